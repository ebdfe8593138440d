package toykafka.kafka;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * A source connector of the tests' own, since Kafka publishes no connect-file 4.4 to Maven: like Kafka's
 * FileStreamSource, one task sends each line of {@code file} to {@code topic}, in order, remembering in Connect's
 * offsets how many lines it has sent. It runs inside Kafka Connect's worker, in a JVM of its own.
 */
public final class LineFileSource extends SourceConnector {

    static final String FILE = "file";
    static final String TOPIC = "topic";
    private static final ConfigDef CONFIG = new ConfigDef()
            .define(FILE, ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "the file whose lines are sent")
            .define(TOPIC, ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "the topic they go to");

    private Map<String, String> settings;

    @Override
    public void start(Map<String, String> props) {
        settings = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return LineFileSourceTask.class;
    }

    /** One task: the lines of one file have one order. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(settings);
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return CONFIG;
    }

    @Override
    public String version() {
        return "1";
    }
}

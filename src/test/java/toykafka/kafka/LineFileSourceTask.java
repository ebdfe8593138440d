package toykafka.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

/**
 * {@link LineFileSource}'s task: each poll sends the whole lines added to the file since the last, its source
 * offset the count of lines sent, so a restarted task goes on where the committed offsets left it.
 */
public final class LineFileSourceTask extends SourceTask {

    private static final String LINE = "line";
    /** How long a poll that finds nothing new waits before it returns, as FileStreamSourceTask does. */
    private static final long IDLE_MS = 100;

    private Path file;
    private String topic;
    private Map<String, String> sourcePartition;
    private long sent;

    @Override
    public void start(Map<String, String> props) {
        file = Path.of(props.get(LineFileSource.FILE));
        topic = props.get(LineFileSource.TOPIC);
        sourcePartition = Map.of(LineFileSource.FILE, file.toString());
        Map<String, Object> committed = context.offsetStorageReader().offset(sourcePartition);
        sent = committed == null ? 0 : ((Number) committed.get(LINE)).longValue();
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        List<String> fresh = wholeLines().stream().skip(sent).toList();
        if (fresh.isEmpty()) {
            Thread.sleep(IDLE_MS);
            return null;
        }
        List<SourceRecord> records = new ArrayList<>();
        for (String line : fresh) {
            sent++;
            records.add(new SourceRecord(sourcePartition, Map.of(LINE, sent), topic, null, null, null,
                    Schema.STRING_SCHEMA, line));
        }
        return records;
    }

    /** The lines ended by a newline: one the test is still writing waits for the next poll. */
    private List<String> wholeLines() {
        try {
            String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            return text.substring(0, text.lastIndexOf('\n') + 1).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
    }

    @Override
    public String version() {
        return "1";
    }
}

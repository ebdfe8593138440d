package toykafka.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/** {@link LineFileSink}'s task: each batch Connect hands it is appended to the file before {@code put} returns. */
public final class LineFileSinkTask extends SinkTask {

    private Path file;

    @Override
    public void start(Map<String, String> props) {
        file = Path.of(props.get(LineFileSink.FILE));
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        StringBuilder lines = new StringBuilder();
        records.forEach(record -> lines.append(record.value()).append('\n'));
        try {
            Files.writeString(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
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

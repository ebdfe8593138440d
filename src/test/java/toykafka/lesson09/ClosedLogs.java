package toykafka.lesson09;

import java.nio.file.Path;
import toykafka.common.TopicConfig;
import toykafka.testing.FileLogs;

/** Logs written and closed cleanly, for the tests that damage their files or open them again. */
public final class ClosedLogs {

    private ClosedLogs() {
    }

    /** Writes orders 0 to {@code count - 1} to orders-0, a batch each, closes the log, and returns its directory. */
    public static Path ordersWith(FileLogs logs, int count, TopicConfig config) {
        try (FileLog log = logs.ordersWith(count, config)) {
            return log.directory();
        }
    }
}

package toykafka.lesson09;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import toykafka.common.Record;
import toykafka.common.TopicConfig;

/** Holds a partition's log open in a process of its own until its input ends: the other writer of DirectoryLockTest. */
public final class DirectoryHolderChild {

    public static void main(String[] args) throws IOException {
        try (FileLog log = FileLog.open(Path.of(args[0]), "orders", 0, TopicConfig.defaults())) {
            log.append(Record.of("till-9", "held", Instant.parse("2024-05-17T12:00:00Z")));
            System.out.println("open");
            System.out.flush();
            while (System.in.read() != -1) {
                // wait for the test to close our input
            }
        }
        System.out.println("closed");
    }
}

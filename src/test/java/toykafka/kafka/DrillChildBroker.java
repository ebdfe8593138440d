package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The broker of a kill -9 drill: {@link KafkaCrashDrillChild} in a JVM of its own on the drill's data directory,
 * advertising the drill's proxy, so clients outlive the kill; ended by SIGKILL.
 */
final class DrillChildBroker {

    final ChildProcess.Running process;
    /** The port the child listens on, which the proxy forwards to. */
    final int port;
    /** Each partition's end offset after recovery, before any client could write. */
    final long[] ends;

    DrillChildBroker(Path dataDir, String topic, int partitions, KafkaProxy proxy, Duration patience)
            throws InterruptedException {
        process = ChildJvm.start(ChildJvm.testClassPath(), KafkaCrashDrillChild.class.getName(), List.of(
                dataDir.toString(), topic, String.valueOf(partitions), String.valueOf(proxy.port())));
        String[] words = process.awaitLine("listening ", patience).split(" "); // listening <port> ends <e0> <e1> ...
        port = Integer.parseInt(words[1]);
        ends = Arrays.stream(words, 3, words.length).mapToLong(Long::parseLong).toArray();
        assertEquals(partitions, ends.length, "an end offset for each partition: " + String.join(" ", words));
    }

    void kill() {
        process.kill();
    }

    void assertNoFaults(String where) {
        assertEquals("", process.errors(), where + ": the broker printed faults of its own");
    }
}

package toykafka.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.Broker;
import toykafka.broker.config.BrokerConfig;
import toykafka.clock.ManualClock;
import toykafka.common.OffsetReset;
import toykafka.common.TopicPartition;
import toykafka.http.HttpFrontEnd;
import toykafka.lesson04.OnDuplicate;

/**
 * {@code ./toykafka consume --group} stopped as a learner stops it, with Ctrl-C or {@code kill}: it leaves its
 * group on the way out, so the other member takes its partitions at once. The broker's clock never moves here,
 * so no session can time out: only the leaving member can hand its partitions over.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConsumeStopLeavesGroupTest {

    private static final String GROUP = "kitchen";
    private static final List<TopicPartition> BOTH = List.of(new TopicPartition("orders", 0), new TopicPartition("orders", 1));

    @TempDir
    Path dataDir;
    private Broker broker;
    private HttpFrontEnd front;

    @BeforeEach
    void startBroker() throws Exception {
        ManualClock stopped = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        broker = Broker.start(BrokerConfig.of(Map.of(BrokerConfig.HTTP_PORT, "0", BrokerConfig.STATS_INTERVAL_MS, "0"))
                .with(BrokerConfig.DATA_DIR, dataDir), stopped, event -> { });
        front = HttpFrontEnd.start(broker, System.err);
        broker.createTopic("orders", 2, Map.of(), OnDuplicate.FAIL);
        front.consumerInstances().create(GROUP, "stays", OffsetReset.EARLIEST);
        front.consumerInstances().subscribe(GROUP, "stays", Set.of("orders"));
    }

    @AfterEach
    void stopBroker() {
        front.close();
        broker.close();
    }

    @Test
    void a_member_stopped_by_sigterm_leaves_its_group_and_the_other_takes_its_partitions() throws Exception {
        Process consume = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "toykafka.cli.Main", "consume", "orders", "--group", GROUP, "--broker", front.address())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            awaitAssignment(assignment -> assignment.size() == 2 && assignment.get("stays").size() == 1,
                    "the consumer joined and took one of the two partitions");
        } finally {
            // SIGTERM, as kill sends; Ctrl-C's SIGINT runs the same shutdown hooks
            consume.toHandle().destroy();
        }
        assertTrue(consume.waitFor(60, TimeUnit.SECONDS), "consume stops on SIGTERM");
        awaitAssignment(assignment -> assignment.equals(Map.of("stays", BOTH)),
                "the stopped consumer left, and the member that stays owns both partitions");
    }

    /**
     * Waits until the group's assignment is as {@code expected} says. The bound only keeps a broken build from
     * hanging: the clock stands still, so a session timeout can never be what satisfies it.
     */
    private void awaitAssignment(Predicate<Map<String, List<TopicPartition>>> expected, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Map<String, List<TopicPartition>> assignment = Map.of();
        while (System.nanoTime() < deadline) {
            assignment = front.consumerInstances().describe(GROUP).assignment();
            if (expected.test(assignment)) {
                return;
            }
            Thread.sleep(50);
        }
        fail(what + "; the group's assignment is " + assignment);
    }

    @Test
    void the_hook_returns_only_once_the_command_has_finished_its_way_out() throws Exception {
        StopOnShutdown ctrlC = new StopOnShutdown(Duration.ofMinutes(5));
        AtomicBoolean left = new AtomicBoolean();
        Thread command = new Thread(() -> {
            while (!ctrlC.stopping()) {
                Thread.onSpinWait();
            }
            left.set(true); // where consume's member leaves its group
            ctrlC.close();
        });
        command.start();
        ctrlC.stopAndWait(); // what the JVM runs on Ctrl-C
        assertTrue(left.get(), "the hook waited for the command to leave before letting the JVM go");
        command.join();
    }

    @Test
    @Timeout(60)
    void the_hook_stops_waiting_for_a_command_that_never_finishes() {
        try (StopOnShutdown ctrlC = new StopOnShutdown(Duration.ofMillis(200))) {
            ctrlC.stopAndWait(); // nobody closes it: it returns after its patience, so Ctrl-C never hangs
            assertTrue(ctrlC.stopping());
        }
    }
}

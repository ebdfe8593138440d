package toykafka.lesson16;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.RangeAssignor;

// tag::drill[]
/**
 * What one slow member costs the others when a cook joins: two cooks read six partitions, three each; one cook's
 * poll loop is busy for a while (a long batch) just as a third cook arrives. Under the classic protocol the join
 * barrier waits for the busy cook to poll again; under Kafka 4's, each member moves on its own heartbeats, and only
 * the partitions the busy cook must hand over wait for it.
 */
public final class BarrierDrill {

    /** The three ways to run a group, as a consumer chooses them. */
    public enum Protocol {
        /** The classic protocol with an eager assignor: a rebalance takes every partition back first. */
        CLASSIC_EAGER(Map.of(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName(),
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000", ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "100")),
        /** The classic protocol with cooperative-sticky (KIP-429): only moving partitions are taken back. */
        CLASSIC_COOPERATIVE(Map.of(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                CooperativeStickyAssignor.class.getName(), ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000",
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "100")),
        /** Kafka 4's protocol (KIP-848): the broker assigns, and sets the heartbeat and the session. */
        CONSUMER(Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer"));

        final Map<String, String> settings;

        Protocol(Map<String, String> settings) {
            this.settings = settings;
        }
    }

    /**
     * What the drill saw.
     *
     * @param steadyFewest    the fewest partitions the steady cook owned at once from the newcomer's arrival on
     * @param steadyIdle      how long the steady cook owned nothing meanwhile
     * @param newcomerFirst   how long the newcomer waited for its first partition
     * @param newcomerShare   how long it waited for its whole share, two partitions
     * @param afterLeave      once the newcomer left again, how long until the other two owned every partition
     */
    public record Result(Protocol protocol, int steadyFewest, Duration steadyIdle, Duration newcomerFirst,
                         Duration newcomerShare, Duration afterLeave) {
    }

    private BarrierDrill() {
    }

    /** One run, in its own group: the busy cook's loop stays away for {@code busy}. */
    public static Result run(String bootstrap, String topic, Protocol protocol, Duration busy, Duration patience)
            throws InterruptedException {
        String group = "line-" + protocol.name().toLowerCase(Locale.ROOT).replace('_', '-');
        try (LineCook steady = new LineCook("steady", bootstrap, group, topic, protocol.settings);
             LineCook slow = new LineCook("slow", bootstrap, group, topic, protocol.settings)) {
            await("the two cooks own three partitions each", patience, List.of(steady, slow),
                    () -> steady.ownedCount() == 3 && slow.ownedCount() == 3);
            steady.resetFewest();
            slow.beBusyFor(busy);
            long arrived = System.nanoTime();
            Duration first;
            Duration share;
            int fewest;
            Duration idle;
            LineCook newcomer = new LineCook("newcomer", bootstrap, group, topic, protocol.settings);
            long left;
            try {
                await("the newcomer owns a partition", patience, List.of(steady, slow, newcomer),
                        () -> newcomer.ownedCount() > 0);
                first = Duration.ofNanos(System.nanoTime() - arrived);
                await("each cook owns two partitions", patience, List.of(steady, slow, newcomer),
                        () -> newcomer.ownedCount() == 2 && steady.ownedCount() == 2 && slow.ownedCount() == 2);
                share = Duration.ofNanos(System.nanoTime() - arrived);
                fewest = steady.fewestOwnedSinceReset();
                idle = steady.timeOwningNothing();
            } finally {
                left = System.nanoTime(); // the newcomer leaves: its close() tells the coordinator, and the rest move on
                newcomer.close();
            }
            await("the two cooks own three partitions each again", patience, List.of(steady, slow),
                    () -> steady.ownedCount() == 3 && slow.ownedCount() == 3);
            return new Result(protocol, fewest, idle, first, share, Duration.ofNanos(System.nanoTime() - left));
        }
    }
    // end::drill[]

    private static void await(String what, Duration patience, List<LineCook> cooks, BooleanSupplier done)
            throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!done.getAsBoolean()) {
            for (LineCook cook : cooks) {
                if (cook.failure() != null) {
                    throw new IllegalStateException("cook " + cook.name + " failed while the drill waited for "
                            + what + ": " + cook.failure(), cook.failure());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("waited " + patience.toSeconds() + " s for " + what + "; the cooks"
                        + " own " + cooks.stream().map(cook -> cook.name + " " + cook.ownedCount()).toList());
            }
            Thread.sleep(20);
        }
    }
}

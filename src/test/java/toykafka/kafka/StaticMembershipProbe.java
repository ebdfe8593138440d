package toykafka.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Static membership (KIP-345) as kafka-clients meets it: two members with a {@code group.instance.id} share a topic;
 * one closes (no LeaveGroup) and a new consumer with its instance id takes back its partitions in the same
 * generation; a third instance of the same id fences the second, whose next poll throws; an admin removes a static
 * member by its instance id. What is written is what either broker must agree on: partitions, whether a generation
 * moved, the group's state and members, and the exception each client sees.
 */
final class StaticMembershipProbe {

    private static final String TOPIC = "booths";
    private static final int PARTITIONS = 4;
    private static final String GROUP = "hosts";

    private final ProbeSession session;

    private StaticMembershipProbe(ProbeSession session) {
        this.session = session;
    }

    static void run(ProbeSession session) {
        session.createTopic(TOPIC, PARTITIONS, Map.of());
        new StaticMembershipProbe(session).restartAndFence();
    }

    private KafkaConsumer<String, String> member(String instance) {
        Map<String, Object> settings = session.consumerSettings(GROUP, "latest");
        settings.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instance);
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, instance);
        settings.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 60_000); // outlives every restart below
        settings.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 100);
        KafkaConsumer<String, String> member = new KafkaConsumer<>(settings);
        member.subscribe(List.of(TOPIC));
        return member;
    }

    private void restartAndFence() {
        KafkaConsumer<String, String> first = member("waiter-a");
        KafkaConsumer<String, String> other = member("waiter-b");
        KafkaConsumer<String, String> restarted = null;
        KafkaConsumer<String, String> second = null;
        try {
            if (!awaitOwners(List.of(first, other), PARTITIONS)) {
                session.write("static: the two members were not stable within " + ProbeSession.WAIT.toSeconds() + " s");
                return;
            }
            int generation = first.groupMetadata().generationId();
            String ownedByA = partitions(first);
            session.write("static: waiter-a owns " + ownedByA + ", waiter-b owns " + partitions(other));
            first.close(); // a static member's close() leaves its place to its next instance
            describe("after waiter-a closed");

            restarted = member("waiter-a");
            awaitOwners(List.of(restarted), PARTITIONS / 2);
            other.poll(Duration.ofMillis(300));
            session.write("static: the restarted waiter-a owns " + partitions(restarted) + ", as before: "
                    + partitions(restarted).equals(ownedByA) + "; same generation: "
                    + (restarted.groupMetadata().generationId() == generation) + "; waiter-b's generation moved: "
                    + (other.groupMetadata().generationId() != generation));

            second = member("waiter-a");
            awaitOwners(List.of(second), PARTITIONS / 2);
            session.write("static: a second waiter-a owns " + partitions(second) + ", same generation: "
                    + (second.groupMetadata().generationId() == generation));
            KafkaConsumer<String, String> replaced = restarted;
            session.step("static: the replaced instance polls", () -> {
                long deadline = System.nanoTime() + ProbeSession.WAIT.toNanos();
                while (System.nanoTime() < deadline) {
                    replaced.poll(Duration.ofMillis(100));
                }
                return null;
            });
            describe("with the second waiter-a");

            try (Admin admin = session.admin()) {
                session.step("static: an admin removes waiter-a by its instance id", () -> admin
                        .removeMembersFromConsumerGroup(GROUP, new RemoveMembersFromConsumerGroupOptions(
                                Set.of(new MemberToRemove("waiter-a")))).all()
                        .get(ProbeSession.WAIT.toMillis(), TimeUnit.MILLISECONDS));
                session.step("static: an admin removes waiter-z, never a member", () -> admin
                        .removeMembersFromConsumerGroup(GROUP, new RemoveMembersFromConsumerGroupOptions(
                                Set.of(new MemberToRemove("waiter-z")))).all()
                        .get(ProbeSession.WAIT.toMillis(), TimeUnit.MILLISECONDS));
            }
            describe("after the removal");
        } finally {
            for (KafkaConsumer<String, String> consumer : java.util.Arrays.asList(other, restarted, second)) {
                if (consumer != null) {
                    consumer.close(ProbeSession.WAIT); // returns once done: a busy machine may need more than 5 s
                }
            }
        }
    }

    /** The group as an admin sees it: its state and each member's instance id. */
    private void describe(String when) {
        try (Admin admin = session.admin()) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).all()
                    .get(ProbeSession.WAIT.toMillis(), TimeUnit.MILLISECONDS).get(GROUP);
            session.write("static: " + when + ", the group is " + group.state() + " with members " + group.members()
                    .stream().map(member -> member.groupInstanceId().orElse("(dynamic)")).sorted().toList());
        } catch (Exception e) {
            session.write("static: " + when + ", describing the group failed: " + e.getClass().getSimpleName());
        }
    }

    /**
     * Polls the members until, in one generation, each owns some partitions and together exactly {@code partitions};
     * false if that never happens.
     */
    private static boolean awaitOwners(List<KafkaConsumer<String, String>> members, int partitions) {
        long deadline = System.nanoTime() + ProbeSession.WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            int owned = 0;
            for (KafkaConsumer<String, String> member : members) {
                member.poll(Duration.ofMillis(50));
                owned += member.assignment().size();
            }
            boolean oneGeneration = members.stream().map(member -> member.groupMetadata().generationId()).distinct()
                    .count() == 1;
            if (owned == partitions && oneGeneration && members.stream().noneMatch(m -> m.assignment().isEmpty())) {
                return true;
            }
        }
        return false;
    }

    private static String partitions(KafkaConsumer<String, String> member) {
        return member.assignment().stream().map(TopicPartition::partition).sorted().map(String::valueOf)
                .collect(Collectors.joining(", ", TOPIC + " [", "]"));
    }
}

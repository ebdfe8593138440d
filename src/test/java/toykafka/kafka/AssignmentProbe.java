package toykafka.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.consumer.RoundRobinAssignor;
import org.apache.kafka.common.TopicPartition;

/**
 * Which partitions each member of a group owns under the range, round-robin and cooperative-sticky assignors:
 * three members join a fresh group one after another, each join awaited until the group is stable, so the
 * history the sticky assignor remembers is the same on both brokers. The assignment is computed by the group's
 * leader, a client, so what a broker decides is who leads, what each member is told, and which partitions each
 * member says it owned when it rejoins. Member ids are the client id, a dash and a UUID: the client ids
 * member-a, member-b, member-c put them in that order whatever the UUIDs.
 */
final class AssignmentProbe {

    private static final String TOPIC = "tables";
    private static final int PARTITIONS = 6;
    private static final List<String> MEMBERS = List.of("member-a", "member-b", "member-c");
    private static final Map<String, Class<?>> ASSIGNORS = Map.of("range", RangeAssignor.class,
            "roundrobin", RoundRobinAssignor.class, "cooperative-sticky", CooperativeStickyAssignor.class);

    private final ProbeSession session;

    private AssignmentProbe(ProbeSession session) {
        this.session = session;
    }

    static void run(ProbeSession session) {
        AssignmentProbe probe = new AssignmentProbe(session);
        session.createTopic(TOPIC, PARTITIONS, Map.of());
        for (String assignor : List.of("range", "roundrobin", "cooperative-sticky")) {
            probe.assign(assignor);
        }
    }

    private void assign(String assignor) {
        String group = "seating-" + assignor;
        List<KafkaConsumer<String, String>> members = new ArrayList<>();
        try {
            for (String clientId : MEMBERS) {
                Map<String, Object> settings = session.consumerSettings(group, "latest");
                settings.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
                settings.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, ASSIGNORS.get(assignor).getName());
                // members learn of a rebalance from a heartbeat's answer: a short interval keeps each join quick
                settings.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 100);
                KafkaConsumer<String, String> member = new KafkaConsumer<>(settings);
                member.subscribe(List.of(TOPIC));
                members.add(member);
                if (!awaitStable(members)) {
                    session.write(assignor + ": the group of " + members.size() + " was not stable within "
                            + ProbeSession.WAIT.toSeconds() + " s: " + owned(members));
                    return;
                }
            }
            for (KafkaConsumer<String, String> member : members) {
                session.write(assignor + ": " + member.groupMetadata().memberId() + " owns " + partitions(member));
            }
        } finally {
            members.forEach(KafkaConsumer::close);
        }
    }

    /**
     * Polls every member in turn until all are in one generation and own every partition between them, each
     * partition once: for the cooperative assignor that is after its second rebalance, in which the partitions
     * taken from one member are given to another.
     */
    private static boolean awaitStable(List<KafkaConsumer<String, String>> members) {
        long deadline = System.nanoTime() + ProbeSession.WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (KafkaConsumer<String, String> member : members) {
                member.poll(Duration.ofMillis(50));
            }
            if (stable(members)) {
                return true;
            }
        }
        return false;
    }

    private static boolean stable(List<KafkaConsumer<String, String>> members) {
        Set<Integer> generations = new HashSet<>();
        Set<TopicPartition> owned = new HashSet<>();
        int count = 0;
        for (KafkaConsumer<String, String> member : members) {
            generations.add(member.groupMetadata().generationId());
            owned.addAll(member.assignment());
            count += member.assignment().size();
        }
        return generations.size() == 1 && !generations.contains(-1) && owned.size() == PARTITIONS && count == PARTITIONS;
    }

    private static String partitions(KafkaConsumer<String, String> member) {
        return member.assignment().stream().map(TopicPartition::partition).sorted().map(String::valueOf)
                .collect(Collectors.joining(", ", TOPIC + " [", "]"));
    }

    private static String owned(List<KafkaConsumer<String, String>> members) {
        return members.stream().map(member -> member.groupMetadata().memberId() + " generation "
                + member.groupMetadata().generationId() + " " + partitions(member)).collect(Collectors.joining("; "));
    }
}

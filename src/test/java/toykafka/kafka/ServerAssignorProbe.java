package toykafka.kafka;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.coordinator.group.api.assignor.ConsumerGroupPartitionAssignor;
import org.apache.kafka.coordinator.group.api.assignor.GroupAssignment;
import org.apache.kafka.coordinator.group.api.assignor.GroupSpec;
import org.apache.kafka.coordinator.group.api.assignor.MemberAssignment;
import org.apache.kafka.coordinator.group.api.assignor.MemberSubscription;
import org.apache.kafka.coordinator.group.api.assignor.SubscribedTopicDescriber;
import org.apache.kafka.coordinator.group.api.assignor.SubscriptionType;

/**
 * Apache Kafka's own server-side assignors ({@code org.apache.kafka.coordinator.group.assignor.UniformAssignor} and
 * {@code RangeAssignor}), run in a child JVM on Kafka 4.4's jars, as the oracle for ours. Each line of standard input
 * is one case, in {@link ServerAssignorCases}' text; each line printed is Kafka's answer in the same text. Members are
 * given to Kafka's assignor in the order the case lists them, and each member's topics and partitions in order, so
 * that what Kafka decides depends on the case alone.
 */
public final class ServerAssignorProbe {

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (!line.isBlank()) {
                System.out.println(answer(ServerAssignorCases.parse(line)));
            }
        }
    }

    private static String answer(ServerAssignorCases.Case c) throws Exception {
        ConsumerGroupPartitionAssignor assignor = (ConsumerGroupPartitionAssignor) Class.forName(
                "org.apache.kafka.coordinator.group.assignor." + (c.assignor().equals("range") ? "RangeAssignor"
                        : "UniformAssignor")).getDeclaredConstructor().newInstance();
        GroupAssignment assignment = assignor.assign(new Spec(c), new SubscribedTopicDescriber() {
            @Override
            public int numPartitions(Uuid topicId) {
                return c.partitions().getOrDefault(topicId.toString(), -1);
            }

            @Override
            public Set<String> racksForPartition(Uuid topicId, int partition) {
                return Set.of();
            }
        });
        Map<String, Map<String, Set<Integer>>> answer = new LinkedHashMap<>();
        for (ServerAssignorCases.CaseMember member : c.members()) {
            Map<String, Set<Integer>> owned = new LinkedHashMap<>();
            MemberAssignment given = assignment.members().get(member.id());
            if (given != null) {
                given.partitions().forEach((topic, partitions) -> {
                    if (!partitions.isEmpty()) {
                        owned.put(topic.toString(), new TreeSet<>(partitions));
                    }
                });
            }
            answer.put(member.id(), owned);
        }
        return ServerAssignorCases.format(answer);
    }

    /** The case as Kafka's GroupSpec: every map and set in the case's order, the outer maps unmodifiable. */
    private record Spec(ServerAssignorCases.Case c) implements GroupSpec {
        @Override
        public Collection<String> memberIds() {
            return c.members().stream().map(ServerAssignorCases.CaseMember::id).toList();
        }

        @Override
        public SubscriptionType subscriptionType() {
            return c.members().stream().map(ServerAssignorCases.CaseMember::subscribed).distinct().count() <= 1
                    ? SubscriptionType.HOMOGENEOUS : SubscriptionType.HETEROGENEOUS;
        }

        @Override
        public boolean isPartitionAssigned(Uuid topicId, int partition) {
            return c.members().stream().anyMatch(member -> member.target().getOrDefault(topicId.toString(), Set.of())
                    .contains(partition));
        }

        /** Kafka 4.4's: every partition may be assigned here. */
        public boolean isPartitionAssignable(Uuid topicId, int partition) {
            return true;
        }

        @Override
        public MemberSubscription memberSubscription(String memberId) {
            ServerAssignorCases.CaseMember member = member(memberId);
            Set<Uuid> topics = new LinkedHashSet<>();
            member.subscribed().forEach(topic -> topics.add(Uuid.fromString(topic)));
            return new MemberSubscription() {
                @Override
                public Optional<String> rackId() {
                    return Optional.empty();
                }

                @Override
                public Optional<String> instanceId() {
                    return Optional.empty();
                }

                @Override
                public Set<Uuid> subscribedTopicIds() {
                    return Collections.unmodifiableSet(topics);
                }
            };
        }

        @Override
        public MemberAssignment memberAssignment(String memberId) {
            Map<Uuid, Set<Integer>> partitions = new LinkedHashMap<>();
            member(memberId).target().forEach((topic, owned) -> partitions.put(Uuid.fromString(topic),
                    Collections.unmodifiableSet(new LinkedHashSet<>(new TreeSet<>(owned)))));
            Map<Uuid, Set<Integer>> unmodifiable = Collections.unmodifiableMap(partitions);
            return () -> unmodifiable;
        }

        private ServerAssignorCases.CaseMember member(String memberId) {
            return c.members().stream().filter(member -> member.id().equals(memberId)).findFirst().orElseThrow();
        }
    }

    private ServerAssignorProbe() {
    }
}

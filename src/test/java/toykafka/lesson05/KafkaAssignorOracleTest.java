package toykafka.lesson05;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupSubscription;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.common.TopicPartition;

/**
 * Kafka's own assignors are the oracle: for the same members, subscriptions and partition counts, ours must
 * give every member exactly the partitions Kafka's RangeAssignor and RoundRobinAssignor give it. Cases come
 * from a seeded generator: uneven partition counts, members reading different topics, and member ids whose
 * text order differs from their number order ("c-10" sorts before "c-9"), since Kafka orders members by id.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaAssignorOracleTest {

    private static final long SEED = 5_2024L;
    private static final int CASES = 3_000;
    private static final List<String> TOPIC_NAMES = List.of("audit", "drinks", "orders", "ready", "sides");

    /** One random group: partition counts of the topics read, and each member's topics. */
    record Case(Map<String, Integer> partitionsPerTopic, Map<String, Set<String>> subscriptions) {
    }

    @Test
    void our_range_assignor_gives_what_kafkas_gives() {
        compare(new RangeAssignor(), new org.apache.kafka.clients.consumer.RangeAssignor(), new Random(SEED));
    }

    @Test
    void our_round_robin_assignor_gives_what_kafkas_gives() {
        compare(new RoundRobinAssignor(), new org.apache.kafka.clients.consumer.RoundRobinAssignor(),
                new Random(SEED + 1));
    }

    @Test
    void both_agree_on_the_lessons_example_of_three_preparers_and_two_topics() {
        Case shop = new Case(Map.of("orders", 3, "drinks", 3), Map.of(
                "anna", Set.of("orders", "drinks"), "ben", Set.of("orders", "drinks")));
        assertEquals(kafka(new org.apache.kafka.clients.consumer.RangeAssignor(), shop),
                new RangeAssignor().assign(shop.partitionsPerTopic(), shop.subscriptions()));
        assertEquals(kafka(new org.apache.kafka.clients.consumer.RoundRobinAssignor(), shop),
                new RoundRobinAssignor().assign(shop.partitionsPerTopic(), shop.subscriptions()));
    }

    // tag::oracle[]
    private static void compare(PartitionAssignor ours, ConsumerPartitionAssignor theirs, Random random) {
        for (int i = 0; i < CASES; i++) {
            Case group = randomCase(random);
            SortedMap<String, List<TopicPartition>> expected = kafka(theirs, group);
            SortedMap<String, List<TopicPartition>> actual = ours.assign(group.partitionsPerTopic(), group.subscriptions());
            assertEquals(expected, actual, "case " + i + ": " + group);
        }
    }
    // end::oracle[]

    /**
     * Kafka's answer through its public assignor interface, as a consumer group leader asks it, in our
     * types: members in id order, each member's partitions sorted.
     */
    static SortedMap<String, List<TopicPartition>> kafka(ConsumerPartitionAssignor assignor, Case group) {
        Map<String, Subscription> subscriptions = new HashMap<>();
        group.subscriptions().forEach((member, topics) ->
                subscriptions.put(member, new Subscription(new ArrayList<>(new TreeSet<>(topics)))));
        Map<String, ConsumerPartitionAssignor.Assignment> theirs =
                assignor.assign(cluster(group), new GroupSubscription(subscriptions)).groupAssignment();
        SortedMap<String, List<TopicPartition>> ours = new TreeMap<>();
        theirs.forEach((member, assignment) -> ours.put(member, assignment.partitions().stream()
                .map(partition -> new TopicPartition(partition.topic(), partition.partition())).sorted().toList()));
        return ours;
    }

    /** The metadata a leader holds: the case's topics and partition counts, all led by one broker. */
    private static Cluster cluster(Case group) {
        Node broker = new Node(0, "localhost", 9092);
        List<PartitionInfo> partitions = new ArrayList<>();
        group.partitionsPerTopic().forEach((topic, count) -> {
            for (int partition = 0; partition < count; partition++) {
                partitions.add(new PartitionInfo(topic, partition, broker, new Node[] {broker}, new Node[] {broker}));
            }
        });
        return new Cluster("oracle", List.of(broker), partitions, Set.of(), Set.of());
    }

    static Case randomCase(Random random) {
        List<String> topics = new ArrayList<>(TOPIC_NAMES.subList(0, 1 + random.nextInt(TOPIC_NAMES.size())));
        java.util.Collections.shuffle(topics, random);
        int members = 1 + random.nextInt(random.nextInt(4) == 0 ? 12 : 5);
        boolean everyoneReadsEverything = random.nextBoolean();
        Map<String, Set<String>> subscriptions = new HashMap<>();
        while (subscriptions.size() < members) {
            String id = random.nextBoolean() ? "c-" + random.nextInt(30) : randomName(random);
            Set<String> reads = new LinkedHashSet<>();
            if (everyoneReadsEverything) {
                reads.addAll(topics);
            } else {
                for (String topic : topics) {
                    if (random.nextBoolean()) {
                        reads.add(topic);
                    }
                }
                if (reads.isEmpty()) {
                    reads.add(topics.get(random.nextInt(topics.size())));
                }
            }
            subscriptions.putIfAbsent(id, Set.copyOf(reads));
        }
        // Only topics someone reads have partitions to share; Kafka's assignors are only asked about those.
        Map<String, Integer> partitionsPerTopic = new TreeMap<>();
        subscriptions.values().forEach(reads -> reads.forEach(topic -> partitionsPerTopic.computeIfAbsent(topic,
                t -> 1 + random.nextInt(random.nextInt(5) == 0 ? 40 : 12))));
        return new Case(partitionsPerTopic, subscriptions);
    }

    private static String randomName(Random random) {
        StringBuilder name = new StringBuilder();
        int length = 1 + random.nextInt(6);
        for (int i = 0; i < length; i++) {
            name.append((char) ((random.nextBoolean() ? 'a' : 'A') + random.nextInt(26)));
        }
        return name.toString();
    }
}

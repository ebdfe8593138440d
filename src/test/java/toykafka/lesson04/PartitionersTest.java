package toykafka.lesson04;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.clock.ManualClock;
import toykafka.common.Header;
import toykafka.common.InvalidPartitionsException;
import toykafka.common.InvalidTopicException;
import toykafka.common.Record;
import toykafka.common.UnknownTopicOrPartitionException;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PartitionersTest {

    private static final Instant NOON = Instant.parse("2024-05-17T12:00:00Z");

    private static Record keyless(String value) {
        return Record.of(null, value, NOON);
    }

    @Test
    void round_robin_really_rotates_through_every_partition() {
        RoundRobinPartitioner partitioner = new RoundRobinPartitioner();
        List<Integer> chosen = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            chosen.add(partitioner.partition("orders", keyless("o" + i), 3));
        }
        assertEquals(List.of(0, 1, 2, 0, 1, 2, 0), chosen, "round robin deals 0, 1, 2 and starts again");
    }

    @Test
    void round_robin_keeps_a_separate_turn_for_each_topic() {
        RoundRobinPartitioner partitioner = new RoundRobinPartitioner();
        assertEquals(0, partitioner.partition("orders", keyless("a"), 3));
        assertEquals(1, partitioner.partition("orders", keyless("b"), 3));
        assertEquals(0, partitioner.partition("drinks", keyless("c"), 2), "drinks has a turn of its own");
        assertEquals(2, partitioner.partition("orders", keyless("d"), 3));
        assertEquals(1, partitioner.partition("drinks", keyless("e"), 2));
    }

    @Test
    void round_robin_spreads_records_evenly() {
        RoundRobinPartitioner partitioner = new RoundRobinPartitioner();
        Map<Integer, Integer> counts = new HashMap<>();
        for (int i = 0; i < 3_000; i++) {
            counts.merge(partitioner.partition("orders", keyless("o"), 5), 1, Integer::sum);
        }
        assertEquals(Map.of(0, 600, 1, 600, 2, 600, 3, 600, 4, 600), counts);
    }

    @Test
    void a_key_always_goes_to_the_same_partition_and_different_keys_spread() {
        KeyHashPartitioner partitioner = new KeyHashPartitioner();
        int first = partitioner.partition("orders", Record.of("till-1", "cod", NOON), 3);
        for (int i = 0; i < 10; i++) {
            assertEquals(first, partitioner.partition("orders", Record.of("till-1", "order " + i, NOON), 3),
                    "the value does not matter, only the key");
        }
        Map<Integer, Integer> counts = new HashMap<>();
        for (int i = 0; i < 3_000; i++) {
            counts.merge(partitioner.partition("orders", Record.of("customer-" + i, "x", NOON), 3), 1, Integer::sum);
        }
        assertEquals(3, counts.size(), "3000 different keys use all 3 partitions");
        counts.values().forEach(count -> assertTrue(count > 900 && count < 1100, "roughly even: " + counts));
    }

    @Test
    void the_key_hash_partitioner_refuses_a_record_without_a_key() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new KeyHashPartitioner().partition("orders", keyless("cod"), 3));
        assertEquals("the key-hash partitioner needs a key, and this record to topic 'orders' has none: give it a"
                + " key, or use a round-robin partitioner", error.getMessage());
    }

    @Test
    void partitioners_refuse_a_partition_count_below_1() {
        IllegalArgumentException hash = assertThrows(IllegalArgumentException.class,
                () -> KeyHashPartitioner.partitionForKey(new byte[] {1}, 0));
        assertEquals("a topic has 1 or more partitions, not 0", hash.getMessage());
        IllegalArgumentException turn = assertThrows(IllegalArgumentException.class,
                () -> new RoundRobinPartitioner().partition("orders", keyless("cod"), -1));
        assertEquals("a topic has 1 or more partitions, not -1", turn.getMessage());
    }

    @Test
    void the_default_partitioner_hashes_keys_and_deals_keyless_records_in_turn() {
        DefaultPartitioner partitioner = new DefaultPartitioner();
        int tillOne = KeyHashPartitioner.partitionForKey("till-1".getBytes(java.nio.charset.StandardCharsets.UTF_8), 3);
        assertEquals(tillOne, partitioner.partition("orders", Record.of("till-1", "cod", NOON), 3));
        assertEquals(List.of(0, 1, 2), List.of(partitioner.partition("orders", keyless("a"), 3),
                partitioner.partition("orders", keyless("b"), 3), partitioner.partition("orders", keyless("c"), 3)));
    }

    @Test
    void the_producer_sends_to_the_chosen_partition_or_the_one_named() {
        TopicRegistry topics = new TopicRegistry(BrokerSettings.STRICT, new ManualClock(NOON));
        topics.createTopic("orders", 3);
        TopicProducer producer = new TopicProducer(topics, new RoundRobinPartitioner());
        assertEquals("orders-0@0", producer.send("orders", keyless("cod")).toString());
        assertEquals("orders-1@0", producer.send("orders", keyless("chips")).toString());
        assertEquals("orders-1@1", producer.send("orders", 1, keyless("peas")).toString(), "the named partition wins");
        assertEquals("orders-2@0", producer.send("orders", keyless("pie")).toString(),
                "a named partition does not use up a round-robin turn");
        UnknownTopicOrPartitionException error = assertThrows(UnknownTopicOrPartitionException.class,
                () -> producer.send("orders", 7, keyless("cod")));
        assertEquals("topic 'orders' has no partition 7: its partitions are 0..2", error.getMessage());
    }

    @Test
    void order_holds_within_a_partition_but_not_across_partitions() {
        TopicRegistry topics = new TopicRegistry(BrokerSettings.STRICT, new ManualClock(NOON));
        topics.createTopic("orders", 3);
        TopicProducer producer = new TopicProducer(topics, new KeyHashPartitioner());
        List<String> placed = new ArrayList<>();
        for (int order = 1; order <= 12; order++) {
            String till = "till-" + (order % 3 + 1);
            producer.send("orders", Record.of(till, till + ":" + order, NOON));
            placed.add(till + ":" + order);
        }
        List<String> readPartitionByPartition = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            List<String> partition = new ArrayList<>();
            var log = topics.log("orders", p);
            for (long offset = 0; offset < log.endOffset(); offset++) {
                partition.add(log.read(offset).valueText());
            }
            List<String> placedOrderOfThisPartition = placed.stream().filter(partition::contains).toList();
            assertEquals(placedOrderOfThisPartition, partition, "within partition " + p + " the placing order holds");
            readPartitionByPartition.addAll(partition);
        }
        assertTrue(!readPartitionByPartition.equals(placed), "across partitions the placing order is lost");
    }

    @Test
    void adding_partitions_keeps_records_but_moves_where_keys_go() {
        TopicRegistry topics = new TopicRegistry(BrokerSettings.STRICT, new ManualClock(NOON));
        topics.createTopic("orders", 3);
        topics.append("orders", 0, keyless("cod"));
        topics.increasePartitions("orders", 4);
        assertEquals(4, topics.partitionsFor("orders"));
        assertEquals("cod", topics.log("orders", 0).read(0).valueText(), "existing records stay where they were");
        byte[] key = "till-1".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(KeyHashPartitioner.partitionForKey(key, 3) != KeyHashPartitioner.partitionForKey(key, 4),
                "till-1 hashes to another partition once there are 4: its old and new orders part company");
        InvalidPartitionsException fewer = assertThrows(InvalidPartitionsException.class,
                () -> topics.increasePartitions("orders", 2));
        assertEquals("topic 'orders' has 4 partitions and cannot go to 2: partitions can only be added, because"
                + " removing one would lose its events; ask for 5 to " + TopicRegistry.MAX_PARTITIONS, fewer.getMessage());
    }

    @Test
    void a_topic_name_of_null_is_refused_with_the_rule() {
        TopicRegistry topics = new TopicRegistry(BrokerSettings.KAFKA_DEFAULTS, new ManualClock(NOON));
        InvalidTopicException create = assertThrows(InvalidTopicException.class, () -> topics.createTopic(null, 1));
        assertEquals("a topic needs a name, and null is not one: a topic name has 1 to 249 characters, each an ASCII"
                + " letter, a digit, '.', '_' or '-'", create.getMessage());
        assertThrows(InvalidTopicException.class, () -> topics.describeTopic(null));
        assertThrows(InvalidTopicException.class, () -> topics.append(null, 0, keyless("cod")));
    }

    @Test
    void a_record_counts_as_a_kafka_batch_of_one() {
        Record record = Record.of("till-1", "cod", NOON).withHeaders(List.of(Header.of("trace", "ab")));
        // 61 of batch header; the record: 1 length, 1 attributes, 1+1 deltas, 1+6 key, 1+3 value, 1 count, 1+5+1+2 header
        assertEquals(61 + 1 + 1 + 2 + 7 + 4 + 1 + 9, record.sizeInBytes());
        assertEquals(NOON.plusSeconds(1), record.withTimestamp(NOON.plusSeconds(1)).timestamp());
        assertEquals(record.headers(), record.withTimestamp(NOON.plusSeconds(1)).headers(), "a new time keeps the headers");
    }
}

package toykafka.lesson04;

import static toykafka.check.MessageFacts.assertMentions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import toykafka.clock.ManualClock;
import toykafka.common.EventLog;
import toykafka.common.Header;
import toykafka.common.InvalidConfigurationException;
import toykafka.common.InvalidPartitionsException;
import toykafka.common.InvalidTopicException;
import toykafka.common.Record;
import toykafka.common.RecordMetadata;
import toykafka.common.RecordTooLargeException;
import toykafka.common.TopicConfig;
import toykafka.common.TopicExistsException;
import toykafka.common.TopicPartition;
import toykafka.common.UnknownTopicOrPartitionException;

/**
 * What every set of topics promises: Kafka's naming rule, one name per topic, config replaced or patched
 * and always checked, partitions that are independent logs, and unknown topics refused or created as the
 * broker is set. The reference registry and a learner's class run these same tests.
 */
@Tag("lesson04")
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class TopicsContract {

    private static final Instant NOON = Instant.parse("2024-05-17T12:00:00Z");

    /** New, empty topics on a broker with these settings, whose clock is {@code clock}. */
    protected abstract Topics newTopics(BrokerSettings settings, Clock clock);

    private final ManualClock clock = new ManualClock(NOON);

    private Topics strict() {
        return newTopics(BrokerSettings.STRICT, clock);
    }

    private static Record order(String till, String order) {
        return Record.of(till, order, NOON.minusSeconds(30));
    }

    private static List<String> values(EventLog<Record> log) {
        return java.util.stream.LongStream.range(log.earliest(), log.endOffset())
                .mapToObj(offset -> log.read(offset).valueText()).toList();
    }

    @Test
    @Order(1)
    void new_topics_hold_no_topic() {
        assertEquals(List.of(), strict().listTopics(), "a new set of topics should list none");
    }

    @Test
    @Order(2)
    void a_created_topic_has_its_partitions_each_an_empty_log() {
        Topics topics = strict();
        assertEquals("orders", topics.createTopic("orders", 3), "createTopic should return the topic's name");
        assertEquals(List.of("orders"), topics.listTopics(), "listTopics should list the topic just created");
        assertEquals(3, topics.describeTopic("orders").partitions(), "orders was created with 3 partitions");
        assertEquals(3, topics.partitionsFor("orders"), "partitionsFor(orders) should be 3");
        for (int p = 0; p < 3; p++) {
            assertEquals(0, topics.log("orders", p).endOffset(), "partition " + p + " of a new topic should be empty");
        }
    }

    @Test
    @Order(3)
    void topics_are_listed_in_alphabetical_order() {
        Topics topics = strict();
        topics.createTopic("orders", 1);
        topics.createTopic("drinks", 1);
        topics.createTopic("ready", 1);
        assertEquals(List.of("drinks", "orders", "ready"), topics.listTopics(),
                "listTopics should give the names in alphabetical order, not in the order they were created");
    }

    @Test
    @Order(4)
    void each_partition_counts_its_own_offsets_from_0() {
        Topics topics = strict();
        topics.createTopic("orders", 2);
        assertEquals(0, topics.append("orders", 0, order("till-1", "cod")).offset(), "first record in partition 0");
        assertEquals(1, topics.append("orders", 0, order("till-1", "chips")).offset(), "second record in partition 0");
        RecordMetadata first = topics.append("orders", 1, order("till-2", "peas"));
        assertEquals(new TopicPartition("orders", 1), first.partition(), "the record went to orders-1");
        assertEquals(0, first.offset(), "partition 1 is a log of its own: its first record gets offset 0");
        assertEquals(List.of("cod", "chips"), values(topics.log("orders", 0)),
                "orders-0 should hold the two records appended to it, in the order they came");
        assertEquals(List.of("peas"), values(topics.log("orders", 1)),
                "orders-1 should hold only its own record: each partition is a log of its own");
    }

    @Test
    @Order(5)
    void a_record_keeps_its_key_value_headers_and_timestamp() {
        Topics topics = strict();
        topics.createTopic("orders", 1);
        Record sent = order("till-1", "{\"order\":271}").withHeaders(List.of(Header.of("trace", "abc")));
        topics.append("orders", 0, sent);
        assertEquals(sent, topics.log("orders", 0).read(0), "the stored record should equal the one sent");
    }

    @Test
    @Order(6)
    @DisplayName("log append time stamps records with the broker's clock")
    void log_append_time_stamps_records_with_the_brokers_clock() {
        Topics topics = strict();
        topics.createTopic("orders", 1);
        Record sent = order("till-1", "cod");
        assertEquals(sent.timestamp(), topics.append("orders", 0, sent).timestamp(),
                "with message.timestamp.type=CreateTime (the default) the producer's timestamp is kept");
        topics.patchConfig("orders", Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE, TopicConfig.LOG_APPEND_TIME));
        clock.advance(Duration.ofSeconds(5));
        RecordMetadata stamped = topics.append("orders", 0, sent);
        assertEquals(NOON.plusSeconds(5), stamped.timestamp(), "with LogAppendTime the broker's clock stamps the record");
        assertEquals(NOON.plusSeconds(5), topics.log("orders", 0).read(1).timestamp(),
                "the stored record carries the broker's timestamp");
    }

    @Test
    @Order(7)
    void names_of_letters_digits_dots_underscores_and_dashes_up_to_249_characters_are_accepted() {
        Topics topics = strict();
        for (String name : List.of("orders", "Fish.and_Chips-2024", "a", "...", "x".repeat(249))) {
            assertEquals(name, topics.createTopic(name, 1), "'" + name + "' is a legal Kafka topic name");
        }
    }

    @Test
    @Order(8)
    void an_empty_name_is_refused() {
        InvalidTopicException error = assertThrows(InvalidTopicException.class, () -> strict().createTopic("", 1),
                "a topic name has 1 to 249 characters, so an empty name should be refused with InvalidTopicException");
        assertMentions(error, "empty");
    }

    @Test
    @Order(9)
    void dot_and_dot_dot_are_refused() {
        Topics topics = strict();
        InvalidTopicException dot = assertThrows(InvalidTopicException.class, () -> topics.createTopic(".", 1),
                "'.' means \"this folder\" on disk, so it should be refused as a topic name with InvalidTopicException");
        assertMentions(dot); // any words: a name of one dot has no fact to carry but itself
        InvalidTopicException dotDot = assertThrows(InvalidTopicException.class, () -> topics.createTopic("..", 1),
                "'..' means \"the folder above\" on disk, so it should be refused as a topic name with"
                        + " InvalidTopicException");
        assertMentions(dotDot, "..");
        assertEquals(List.of(), topics.listTopics(), "a refused name creates nothing");
    }

    @Test
    @Order(10)
    void a_name_of_250_characters_is_refused() {
        InvalidTopicException error = assertThrows(InvalidTopicException.class,
                () -> strict().createTopic("o".repeat(250), 1),
                "250 characters is one more than Kafka's limit of 249: the name should be refused with"
                        + " InvalidTopicException");
        assertMentions(error, 250, 249);
    }

    @Test
    @Order(11)
    void any_other_character_is_refused_and_named() {
        Topics topics = strict();
        InvalidTopicException space = assertThrows(InvalidTopicException.class,
                () -> topics.createTopic("fish chips", 1),
                "a space is not one of a topic name's characters (ASCII letters, digits, '.', '_', '-'): 'fish chips'"
                        + " should be refused with InvalidTopicException");
        assertMentions(space, "fish chips", 4); // the name, and where its first bad character is
        for (String name : List.of("orders/eu", "café", "orders!", "a:b")) {
            assertThrows(InvalidTopicException.class, () -> topics.createTopic(name, 1),
                    "'" + name + "' breaks Kafka's naming rule and should be refused");
        }
        assertEquals(List.of(), topics.listTopics(), "refused names create nothing");
    }

    @Test
    @Order(12)
    void creating_a_name_that_exists_fails_as_in_kafka_and_leaves_the_topic_alone() {
        Topics topics = strict();
        topics.createTopic("orders", 3);
        topics.append("orders", 0, order("till-1", "cod"));
        TopicExistsException error = assertThrows(TopicExistsException.class, () -> topics.createTopic("orders", 5),
                "orders exists already, and by default (OnDuplicate.FAIL) a taken name should be refused with"
                        + " TopicExistsException, as Kafka does");
        assertMentions(error, "orders");
        assertEquals(3, topics.describeTopic("orders").partitions(), "the existing topic keeps its 3 partitions");
        assertEquals(1, topics.log("orders", 0).endOffset(), "and its records");
    }

    @Test
    @Order(13)
    void on_request_a_duplicate_is_renamed_as_katar_does() {
        Topics topics = strict();
        topics.createTopic("orders", 1);
        assertEquals("orders__0", topics.createTopic("orders", 2, OnDuplicate.RENAME), "the first duplicate");
        assertEquals("orders__1", topics.createTopic("orders", 2, OnDuplicate.RENAME), "the second duplicate");
        assertEquals("drinks", topics.createTopic("drinks", 1, OnDuplicate.RENAME), "a free name is used as it is");
        assertEquals(List.of("drinks", "orders", "orders__0", "orders__1"), topics.listTopics(),
                "the renamed duplicates are topics of their own, listed beside the original");
        assertEquals(2, topics.describeTopic("orders__1").partitions(),
                "a renamed duplicate gets the partition count it was created with, 2");
    }

    @Test
    @Order(14)
    void a_topic_needs_at_least_one_partition() {
        Topics topics = strict();
        InvalidPartitionsException zero = assertThrows(InvalidPartitionsException.class,
                () -> topics.createTopic("orders", 0),
                "a topic with 0 partitions could hold no record: it should be refused with InvalidPartitionsException");
        assertMentions(zero, "orders", 0, Topics.MAX_PARTITIONS);
        assertThrows(InvalidPartitionsException.class, () -> topics.createTopic("orders", -3),
                "a negative partition count should be refused with InvalidPartitionsException");
        InvalidPartitionsException huge = assertThrows(InvalidPartitionsException.class,
                () -> topics.createTopic("orders", Integer.MAX_VALUE),
                "a topic of " + Integer.MAX_VALUE + " partitions would exhaust memory long before it was made:"
                        + " it should be refused with InvalidPartitionsException, naming the limit " + Topics.MAX_PARTITIONS);
        assertMentions(huge, Integer.MAX_VALUE, Topics.MAX_PARTITIONS);
        assertEquals(List.of(), topics.listTopics(), "a refused partition count creates no topic");
    }

    @Test
    @Order(15)
    void describe_shows_every_config_value_with_its_default() {
        Topics topics = strict();
        topics.createTopic("orders", 2);
        TopicDescription description = topics.describeTopic("orders");
        assertEquals("orders", description.name(), "describeTopic should describe the topic it was asked about");
        assertEquals(TopicConfig.defaults().values(), description.config(), "a new topic runs on the default config");
        assertEquals(Map.of(), description.overrides(), "a new topic overrides nothing");
        assertEquals("604800000", description.config(TopicConfig.RETENTION_MS), "Kafka keeps records 7 days by default");
    }

    @Test
    @Order(16)
    protected void replace_sets_the_whole_config_so_keys_not_given_go_back_to_defaults() { // protected: a store that refuses compaction states that instead
        Topics topics = strict();
        topics.createTopic("orders", 1);
        topics.replaceConfig("orders", Map.of("retention.ms", "3600000", "cleanup.policy", "compact"));
        topics.replaceConfig("orders", Map.of("retention.ms", "60000"));
        TopicDescription description = topics.describeTopic("orders");
        assertEquals("60000", description.config("retention.ms"), "replace sets the keys it is given");
        assertEquals("delete", description.config("cleanup.policy"), "replace resets cleanup.policy, which it was not given");
        assertEquals(Map.of("retention.ms", "60000"), description.overrides(),
                "after a replace, the overrides are exactly the keys it was given");
    }

    @Test
    @Order(17)
    protected void patch_changes_only_the_keys_given() { // protected: a store that refuses compaction states that instead
        Topics topics = strict();
        topics.createTopic("orders", 1);
        topics.patchConfig("orders", Map.of("retention.ms", "3600000", "cleanup.policy", "compact"));
        topics.patchConfig("orders", Map.of("retention.ms", "60000"));
        TopicDescription description = topics.describeTopic("orders");
        assertEquals("60000", description.config("retention.ms"), "patch sets the keys it is given");
        assertEquals("compact", description.config("cleanup.policy"), "patch leaves cleanup.policy as it was");
        assertEquals(Map.of("retention.ms", "60000", "cleanup.policy", "compact"), description.overrides(),
                "after two patches, the overrides are every key patched, each with its latest value");
    }

    @Test
    @Order(18)
    void an_unknown_config_key_is_refused_and_nothing_changes() {
        Topics topics = strict();
        topics.createTopic("orders", 1);
        InvalidConfigurationException error = assertThrows(InvalidConfigurationException.class,
                () -> topics.patchConfig("orders", Map.of("retention.ms", "1000", "retention.hours", "1")),
                "retention.hours is not a topic config (Kafka's key is retention.ms): patchConfig should refuse it with"
                        + " InvalidConfigurationException");
        assertMentions(error, "retention.hours", "retention.ms");
        assertThrows(InvalidConfigurationException.class,
                () -> topics.replaceConfig("orders", Map.of("retention.hours", "1")),
                "replaceConfig checks its keys as patchConfig does: retention.hours should be refused with"
                        + " InvalidConfigurationException");
        assertEquals(Map.of(), topics.describeTopic("orders").overrides(),
                "a refused change changes nothing, not even its valid keys");
    }

    @Test
    @Order(19)
    void a_bad_config_value_is_refused_with_the_rule_and_nothing_changes() {
        Topics topics = strict();
        topics.createTopic("orders", 1);
        InvalidConfigurationException week = assertThrows(InvalidConfigurationException.class,
                () -> topics.patchConfig("orders", Map.of("retention.ms", "a week")),
                "retention.ms is a number of milliseconds: 'a week' should be refused with InvalidConfigurationException");
        assertMentions(week, "a week", "retention.ms");
        InvalidConfigurationException policy = assertThrows(InvalidConfigurationException.class,
                () -> topics.replaceConfig("orders", Map.of("cleanup.policy", "shred", "retention.ms", "1000")),
                "cleanup.policy is delete, compact or compact,delete: 'shred' should be refused with"
                        + " InvalidConfigurationException");
        assertMentions(policy, "shred", "cleanup.policy", "compact", "delete");
        assertThrows(InvalidConfigurationException.class,
                () -> topics.patchConfig("orders", Map.of("retention.ms", "-2")), "-1 is the smallest retention.ms");
        assertThrows(InvalidConfigurationException.class,
                () -> topics.patchConfig("orders", Map.of("message.timestamp.type", "BrokerTime")),
                "message.timestamp.type is CreateTime or LogAppendTime: 'BrokerTime' should be refused with"
                        + " InvalidConfigurationException");
        assertEquals(Map.of(), topics.describeTopic("orders").overrides(), "refused changes change nothing");
    }

    @Test
    @Order(20)
    void delete_removes_the_topic_and_its_records() {
        Topics topics = strict();
        topics.createTopic("orders", 1);
        topics.append("orders", 0, order("till-1", "cod"));
        topics.deleteTopic("orders");
        assertEquals(List.of(), topics.listTopics(), "a deleted topic is no longer listed");
        topics.createTopic("orders", 1);
        assertEquals(0, topics.log("orders", 0).endOffset(), "a topic created again under the old name starts empty");
    }

    @Test
    @Order(21)
    void an_unknown_topic_is_refused_naming_the_topics_there_are() {
        Topics topics = strict();
        topics.createTopic("orders", 1);
        topics.createTopic("drinks", 1);
        UnknownTopicOrPartitionException describe = assertThrows(UnknownTopicOrPartitionException.class,
                () -> topics.describeTopic("oders"),
                "there is no topic 'oders': describeTopic should throw UnknownTopicOrPartitionException");
        assertMentions(describe, "oders", "drinks", "orders");
        assertThrows(UnknownTopicOrPartitionException.class, () -> topics.deleteTopic("oders"),
                "there is no topic 'oders' to delete: deleteTopic should throw UnknownTopicOrPartitionException");
        assertThrows(UnknownTopicOrPartitionException.class, () -> topics.patchConfig("oders", Map.of()),
                "there is no topic 'oders' to configure: patchConfig should throw UnknownTopicOrPartitionException");
        assertThrows(UnknownTopicOrPartitionException.class, () -> topics.replaceConfig("oders", Map.of()),
                "there is no topic 'oders' to configure: replaceConfig should throw UnknownTopicOrPartitionException");
        assertThrows(UnknownTopicOrPartitionException.class, () -> topics.log("oders", 0),
                "there is no topic 'oders' to read: log should throw UnknownTopicOrPartitionException, not create it");
        assertEquals(List.of("drinks", "orders"), topics.listTopics(), "reading or changing never creates a topic");
    }

    @Test
    @Order(22)
    void writing_to_an_unknown_topic_fails_when_the_broker_does_not_create_topics() {
        Topics topics = strict();
        topics.createTopic("orders", 1);
        UnknownTopicOrPartitionException error = assertThrows(UnknownTopicOrPartitionException.class,
                () -> topics.append("oders", 0, order("till-1", "cod")),
                "with auto.create.topics.enable=false a write to an unknown topic should be refused with"
                        + " UnknownTopicOrPartitionException, not create it");
        assertMentions(error, "oders", "auto.create.topics.enable");
        assertThrows(UnknownTopicOrPartitionException.class, () -> topics.partitionsFor("oders"),
                "with auto.create.topics.enable=false partitionsFor an unknown topic should throw"
                        + " UnknownTopicOrPartitionException too");
        assertEquals(List.of("orders"), topics.listTopics(), "the typo did not become a topic");
    }

    @Test
    @Order(23)
    void writing_to_an_unknown_topic_creates_it_when_the_broker_creates_topics() {
        Topics topics = newTopics(new BrokerSettings(true, 2), clock);
        RecordMetadata written = topics.append("oders", 1, order("till-1", "cod"));
        assertEquals(new TopicPartition("oders", 1), written.partition(),
                "the record should go to the partition asked for in the topic the write created, oders-1");
        assertEquals(List.of("oders"), topics.listTopics(), "the first write created the topic");
        assertEquals(2, topics.describeTopic("oders").partitions(), "with num.partitions=2 partitions");
        assertEquals(2, topics.partitionsFor("fresh"), "asking for a new topic's partitions creates it as well");
        assertEquals(List.of("fresh", "oders"), topics.listTopics(),
                "both topics created on first use should be listed, in alphabetical order");
        assertThrows(InvalidTopicException.class, () -> topics.append("fish chips", 0, order("till-1", "cod")),
                "a topic created on first write must obey the naming rule too");
    }

    @Test
    @Order(24)
    void a_partition_number_outside_the_topic_is_refused() {
        Topics topics = strict();
        topics.createTopic("orders", 3);
        UnknownTopicOrPartitionException append = assertThrows(UnknownTopicOrPartitionException.class,
                () -> topics.append("orders", 3, order("till-1", "cod")),
                "orders has partitions 0..2: a write to partition 3 should throw UnknownTopicOrPartitionException");
        assertMentions(append, "orders", 3, 0, 2);
        UnknownTopicOrPartitionException read = assertThrows(UnknownTopicOrPartitionException.class,
                () -> topics.log("orders", -1),
                "partitions are numbered from 0: log(\"orders\", -1) should throw UnknownTopicOrPartitionException");
        assertMentions(read, "orders", -1, 0, 2);
    }

    @Test
    @Order(25)
    void a_record_larger_than_max_message_bytes_is_refused() {
        Topics topics = strict();
        topics.createTopic("orders", 1);
        topics.patchConfig("orders", Map.of(TopicConfig.MAX_MESSAGE_BYTES, "10"));
        Record cod = Record.of("till-1", "cod", NOON);
        RecordTooLargeException error = assertThrows(RecordTooLargeException.class,
                () -> topics.append("orders", 0, cod),
                "a record is at least 61 bytes as a Kafka batch, over the topic's max.message.bytes of 10: it should be"
                        + " refused with RecordTooLargeException");
        assertMentions(error, cod.sizeInBytes(), "max.message.bytes", 10);
        assertEquals(0, topics.log("orders", 0).endOffset(), "a refused record takes no offset");
        topics.patchConfig("orders", Map.of(TopicConfig.MAX_MESSAGE_BYTES, String.valueOf(cod.sizeInBytes())));
        assertEquals(0, topics.append("orders", 0, cod).offset(), "a batch of exactly max.message.bytes is taken");
    }

    @Test
    @Order(26)
    void names_that_differ_only_by_dot_against_underscore_cannot_both_exist() {
        Topics topics = strict();
        topics.createTopic("fish.orders", 1);
        InvalidTopicException error = assertThrows(InvalidTopicException.class, () -> topics.createTopic("fish_orders", 1),
                "Kafka refuses 'fish_orders' once 'fish.orders' exists: its metrics write '.' as '_', so the two"
                        + " would be one; createTopic should throw InvalidTopicException naming both");
        assertMentions(error, "fish_orders", "fish.orders");
        assertEquals(List.of("fish.orders"), topics.listTopics(), "the colliding topic was not created");
        topics.createTopic("fish-orders", 1);
        assertEquals(List.of("fish-orders", "fish.orders"), topics.listTopics(), "'-' is a character of its own");
    }
}

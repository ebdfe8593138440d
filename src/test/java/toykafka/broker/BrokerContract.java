package toykafka.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.check.MessageFacts.assertMentions;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.Partitions.ProduceRecord;
import toykafka.broker.Partitions.RecordAnswer;
import toykafka.common.Errors;
import toykafka.common.OffsetRecord;
import toykafka.common.Record;
import toykafka.common.TopicConfig;
import toykafka.common.TopicPartition;

/**
 * What the broker's data API promises, whichever front end a client comes through: produce batches and
 * records, an answer per partition, reads bounded by bytes that wait for min bytes up to max wait, list
 * offsets, topics. Run in process ({@link Partitions} itself), through HTTP, and next through Kafka's
 * protocol: each front end supplies an adapter that only translates.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class BrokerContract {

    /** One partition's read as the contract checks it: the records from the offset asked for, decoded. */
    public record Read(Errors error, long highWatermark, long logStartOffset, List<OffsetRecord> records) {
    }

    /** The broker's data API through one front end. */
    public interface DataApi extends AutoCloseable {
        void createTopic(String topic, int partitions, Map<String, String> configs);

        List<String> listTopics();

        /** Each partition's records as one batch, the way a producer sends them. */
        Map<TopicPartition, AppendResult> append(Map<TopicPartition, List<Record>> batches);

        List<RecordAnswer> appendRecords(String topic, List<ProduceRecord> records);

        Map<TopicPartition, Read> read(FetchParams params);

        OffsetAnswer listOffsets(TopicPartition partition, long timestamp);

        /** Whether reads are bounded by bytes (a front end that counts records instead says no). */
        boolean boundsBytes();

        @Override
        void close();
    }

    /** A broker on {@code dataDir} with these settings, and its front end. */
    protected abstract DataApi open(Path dataDir, Map<String, String> settings);

    @TempDir
    Path dataDir;
    private DataApi broker;

    @BeforeEach
    void start() {
        broker = open(dataDir, Map.of(BrokerConfig.STATS_INTERVAL_MS, "0", BrokerConfig.AUTO_CREATE_TOPICS, "false"));
        broker.createTopic("orders", 2, Map.of());
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private static final Instant NOON = Instant.parse("2026-03-01T12:00:00Z");

    static TopicPartition orders(int partition) {
        return new TopicPartition("orders", partition);
    }

    static List<Record> records(String... values) {
        List<Record> records = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            records.add(Record.of(null, values[i], NOON.plusSeconds(i)));
        }
        return records;
    }

    private Read read(TopicPartition partition, long offset) {
        return broker.read(FetchParams.of(partition, offset, 1 << 20, Duration.ZERO)).get(partition);
    }

    /** A partition's answer carries its message as an exception would: the same facts must be in it. */
    private static void mentions(String message, Object... facts) {
        assertMentions(new AssertionError(message), facts);
    }

    private static List<String> values(Read read) {
        return read.records().stream().map(record -> record.record().valueText()).toList();
    }

    @Test
    void batches_to_two_partitions_each_get_offsets_from_zero_and_read_back_as_sent() {
        Map<TopicPartition, List<Record>> batches = new LinkedHashMap<>();
        batches.put(orders(0), records("cod", "chips"));
        batches.put(orders(1), records("haddock"));
        Map<TopicPartition, AppendResult> answers = broker.append(batches);

        assertEquals(Errors.NONE, answers.get(orders(0)).error());
        assertEquals(0, answers.get(orders(0)).baseOffset());
        assertEquals(0, answers.get(orders(1)).baseOffset());
        assertEquals(-1, answers.get(orders(0)).logAppendTime(), "a CreateTime topic keeps the producer's times");
        assertEquals(0, answers.get(orders(0)).logStartOffset());
        broker.append(Map.of(orders(0), records("peas")));

        Read read = read(orders(0), 0);
        assertEquals(Errors.NONE, read.error());
        assertEquals(List.of("cod", "chips", "peas"), values(read));
        assertEquals(List.of(0L, 1L, 2L), read.records().stream().map(OffsetRecord::offset).toList());
        assertEquals(NOON.plusSeconds(1), read.records().get(1).record().timestamp());
        assertEquals(3, read.highWatermark());
        assertEquals(0, read.logStartOffset());
        assertEquals(List.of("chips", "peas"), values(read(orders(0), 1)), "from the offset asked for");
    }

    @Test
    void a_partition_that_refuses_refuses_only_its_own_batch() {
        Map<TopicPartition, List<Record>> batches = new LinkedHashMap<>();
        batches.put(orders(0), records("cod"));
        batches.put(orders(7), records("lost"));
        Map<TopicPartition, AppendResult> answers = broker.append(batches);

        assertEquals(Errors.NONE, answers.get(orders(0)).error());
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, answers.get(orders(7)).error());
        mentions(answers.get(orders(7)).message(), "orders", "7", "0..1");
        assertEquals(List.of("cod"), values(read(orders(0), 0)), "the good partition was written");
    }

    @Test
    void a_batch_to_an_unknown_topic_is_refused_by_name() {
        TopicPartition menus = new TopicPartition("menus", 0);
        AppendResult answer = broker.append(Map.of(menus, records("soup"))).get(menus);
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, answer.error());
        mentions(answer.message(), "menus");
        assertFalse(broker.listTopics().contains("menus"), "no topic is created by a refused produce");
    }

    @Test
    void records_land_where_they_name_or_where_the_partitioner_sends_them() {
        List<ProduceRecord> sent = List.of(new ProduceRecord(1, Record.of(null, "to one", NOON)),
                new ProduceRecord(null, Record.of("till-1", "keyed", NOON)),
                new ProduceRecord(1, Record.of(null, "to one again", NOON)));
        List<RecordAnswer> answers = broker.appendRecords("orders", sent);

        assertEquals(3, answers.size());
        assertEquals(orders(1), answers.get(0).partition());
        assertEquals(0, answers.get(0).offset());
        assertEquals(NOON, answers.get(0).timestamp());
        TopicPartition keyed = answers.get(1).partition();
        assertEquals(keyed, broker.appendRecords("orders", List.of(new ProduceRecord(null, Record.of("till-1", "again", NOON))))
                .get(0).partition(), "a key goes to one partition every time");
        List<String> one = values(read(orders(1), 0));
        assertTrue(one.indexOf("to one") < one.indexOf("to one again"), "one partition's records keep their order: " + one);
        assertEquals("to one again", one.get((int) answers.get(2).offset()), "the answer's offset is where it was written");
    }

    @Test
    void a_record_naming_a_missing_partition_refuses_only_its_partition() {
        List<RecordAnswer> answers = broker.appendRecords("orders", List.of(
                new ProduceRecord(0, Record.of(null, "kept", NOON)), new ProduceRecord(5, Record.of(null, "lost", NOON))));
        assertTrue(answers.get(0).written());
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, answers.get(1).error());
        mentions(answers.get(1).message(), "5", "0..1");
        assertEquals(List.of("kept"), values(read(orders(0), 0)));
    }

    @Test
    void a_log_append_time_topic_is_stamped_by_the_broker_once_for_the_batch() {
        broker.createTopic("stamped", 1, Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE, "LogAppendTime"));
        TopicPartition stamped = new TopicPartition("stamped", 0);
        AppendResult answer = broker.append(Map.of(stamped, records("a", "b"))).get(stamped);
        assertEquals(Errors.NONE, answer.error());
        assertNotEquals(-1, answer.logAppendTime());
        for (OffsetRecord record : read(stamped, 0).records()) {
            assertEquals(answer.logAppendTime(), record.record().timestamp().toEpochMilli(), "the broker's time, not the producer's");
        }
        RecordAnswer viaRecords = broker.appendRecords("stamped", List.of(new ProduceRecord(0, Record.of(null, "c", NOON)))).get(0);
        assertNotEquals(NOON, viaRecords.timestamp(), "records take the same path: the log stamps them");
    }

    @Test
    void a_record_the_topic_rules_refuse_is_refused_with_the_reason() {
        broker.createTopic("keyed", 1, Map.of(TopicConfig.CLEANUP_POLICY, "compact"));
        TopicPartition keyed = new TopicPartition("keyed", 0);
        AppendResult answer = broker.append(Map.of(keyed, records("no key"))).get(keyed);
        assertEquals(Errors.INVALID_RECORD, answer.error());
        mentions(answer.message(), "key");
    }

    @Test
    @DisplayName("an offset out of range is one partition's answer, naming the range")
    void an_offset_out_of_range_is_one_partitions_answer_naming_the_range() {
        broker.append(Map.of(orders(0), records("cod", "chips"), orders(1), records("haddock")));
        Map<TopicPartition, Read> reads = broker.read(new FetchParams(Duration.ZERO, 1, 1 << 20, List.of(
                new FetchPartition(orders(0), 9, 1 << 20), new FetchPartition(orders(1), 0, 1 << 20))));
        assertEquals(Errors.OFFSET_OUT_OF_RANGE, reads.get(orders(0)).error());
        assertEquals(Errors.NONE, reads.get(orders(1)).error());
        assertEquals(List.of("haddock"), values(reads.get(orders(1))));
    }

    @Test
    void a_read_of_an_unknown_partition_is_refused_naming_the_partitions_there_are() {
        Read read = read(orders(4), 0);
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, read.error());
    }

    @Test
    void a_read_at_the_end_waits_for_the_append_and_answers_with_it() {
        CompletableFuture<Read> waiting = CompletableFuture.supplyAsync(() ->
                broker.read(FetchParams.of(orders(0), 0, 1 << 20, Duration.ofMinutes(1))).get(orders(0)));
        while (!waiting.isDone() && read(orders(0), 0).highWatermark() == 0) {
            broker.append(Map.of(orders(0), records("late")));
        }
        Read read = waiting.join();
        assertEquals(Errors.NONE, read.error());
        assertEquals("late", values(read).get(0));
    }

    @Test
    void a_read_nothing_arrives_for_answers_empty_at_max_wait() {
        Read read = broker.read(FetchParams.of(orders(0), 0, 1 << 20, Duration.ofMillis(30))).get(orders(0));
        assertEquals(Errors.NONE, read.error());
        assertEquals(List.of(), read.records());
        assertEquals(0, read.highWatermark());
    }

    @Test
    void reads_go_on_past_segment_ends() {
        broker.createTopic("small", 1, Map.of(TopicConfig.SEGMENT_BYTES, "200"));
        TopicPartition small = new TopicPartition("small", 0);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sent.add("order " + i);
            broker.append(Map.of(small, records("order " + i)));
        }
        assertEquals(sent, values(read(small, 0)), "one read, many segments");
    }

    @Test
    void a_read_takes_no_more_than_max_bytes_but_always_one_whole_batch() {
        if (!broker.boundsBytes()) {
            return;
        }
        String big = "x".repeat(2000);
        broker.append(Map.of(orders(0), records(big, big)));
        broker.append(Map.of(orders(0), records("after")));
        broker.append(Map.of(orders(1), records("haddock")));
        Map<TopicPartition, Read> reads = broker.read(new FetchParams(Duration.ZERO, 1, 100, List.of(
                new FetchPartition(orders(0), 0, 100), new FetchPartition(orders(1), 0, 100))));
        assertEquals(List.of(big, big), values(reads.get(orders(0))), "a batch over max bytes still comes, whole, alone");
        assertEquals(List.of(), values(reads.get(orders(1))), "no room was left for the second partition");
        assertEquals(1, reads.get(orders(1)).highWatermark(), "which still says how far it goes");
    }

    @Test
    void list_offsets_finds_the_earliest_the_latest_and_the_first_at_a_time() {
        broker.append(Map.of(orders(0), records("a", "b", "c"))); // stamped NOON, +1 s, +2 s
        assertEquals(0, broker.listOffsets(orders(0), Partitions.EARLIEST).offset());
        assertEquals(3, broker.listOffsets(orders(0), Partitions.LATEST).offset());
        OffsetAnswer atTime = broker.listOffsets(orders(0), NOON.plusMillis(500).toEpochMilli());
        assertEquals(Errors.NONE, atTime.error());
        assertEquals(1, atTime.offset());
        assertEquals(NOON.plusSeconds(1).toEpochMilli(), atTime.timestamp());
        assertEquals(-1, broker.listOffsets(orders(0), NOON.plusSeconds(60).toEpochMilli()).offset(), "none that late");
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, broker.listOffsets(orders(9), Partitions.LATEST).error());
    }

    @Test
    @DisplayName("topics are listed with the broker's own")
    void topics_are_listed_with_the_brokers_own() {
        broker.createTopic("menus", 1, Map.of());
        List<String> topics = broker.listTopics();
        assertTrue(topics.containsAll(List.of("orders", "menus", Broker.OFFSETS_TOPIC)), topics.toString());
    }
}

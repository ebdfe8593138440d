package toykafka.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.stats.BrokerStats;
import toykafka.broker.stats.StatsRecords;
import toykafka.broker.Partitions.Acks;
import toykafka.broker.Partitions.ProduceRecord;
import toykafka.broker.group.base.OffsetCommitRequest;
import toykafka.common.ApiException;
import toykafka.common.Compression;
import toykafka.common.Errors;
import toykafka.common.OffsetRecord;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.StartedBroker;
import toykafka.testing.StartedBroker.Setting;

/** What {@code __broker_stats} counts: every refusal, only what was delivered, and a record that always fits. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BrokerStatsTest {

    private static final TopicPartition ORDERS = new TopicPartition("orders", 0);
    private static final ObjectMapper JSON = new ObjectMapper();

    @StartedBroker(settings = @Setting(name = BrokerConfig.AUTO_CREATE_TOPICS, value = "false"))
    Broker broker;

    @BeforeEach
    void start() {
        broker.createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
    }

    private static ByteBuffer batch(String value) {
        return RecordBatch.of(List.of(Record.of(null, value, Instant.EPOCH)), 0, Compression.NONE).buffer();
    }

    private BrokerStats.TopicCounts orders() {
        return broker.stats().snapshot().get("orders");
    }

    @Test
    void refusals_of_appends_and_reads_count_as_errors_of_their_topic() {
        assertFalse(broker.partitions().appendRecords("orders", List.of(new ProduceRecord(7,
                Record.of(null, "x", Instant.EPOCH)))).get(0).written(), "partition 7 of 1");
        assertThrows(ApiException.class, () -> broker.partitions().appendRecords("orders", List.of()));
        PartitionData outside = broker.partitions().readAndWait(FetchParams.of(ORDERS, 99, 1000, Duration.ZERO)).get(ORDERS);
        assertEquals(Errors.OFFSET_OUT_OF_RANGE, outside.error());
        assertEquals(new BrokerStats.TopicCounts(0, 0, 0, 0, 3), orders());
    }

    @Test
    void refusals_naming_topics_the_broker_does_not_have_are_counted_under_no_name() {
        for (int i = 0; i < 100; i++) {
            String madeUp = "x".repeat(200) + i;
            assertThrows(ApiException.class, () -> broker.partitions().appendRecords(madeUp,
                    List.of(new ProduceRecord(0, Record.of(null, "x", Instant.EPOCH)))));
            broker.partitions().append(Map.of(new TopicPartition(madeUp, 0), batch("x")), Acks.ALL);
        }
        assertEquals(new TreeSet<>(), new TreeSet<>(broker.stats().snapshot().keySet()),
                "no counters for names that are not topics");
        assertEquals(200, broker.stats().refusedUnknownTopics());
    }

    @Test
    void a_read_that_waits_for_more_counts_what_it_delivers_once() {
        broker.partitions().append(Map.of(ORDERS, batch("soup")), Acks.ALL);
        int first = batch("soup").remaining();
        CompletableFuture<Map<TopicPartition, PartitionData>> waiting = broker.partitions().read(new FetchParams(
                Duration.ofSeconds(30), first + 1, 1 << 20, List.of(new FetchPartition(ORDERS, 0, 1 << 20))));
        assertFalse(waiting.isDone(), "one batch is less than it waits for");
        broker.partitions().append(Map.of(ORDERS, batch("rice")), Acks.ALL);
        PartitionData answer = waiting.join().get(ORDERS);
        assertEquals(2, answer.records(10).size());
        assertEquals(2, orders().recordsOut(), "soup once, though the read looked at it twice");
        assertEquals(answer.size(), orders().bytesOut());
    }

    @Test
    void a_read_a_front_end_refused_after_the_data_path_answered_it_delivers_nothing() {
        broker.partitions().append(Map.of(ORDERS, batch("soup")), Acks.ALL);
        PartitionData read = broker.partitions().readAndWait(FetchParams.of(ORDERS, 0, 1 << 20, Duration.ZERO)).get(ORDERS);
        assertEquals(1, orders().recordsOut());
        broker.stats().refusedRead("orders", read.recordCount(), read.size());
        assertEquals(0, orders().recordsOut());
        assertEquals(0, orders().bytesOut());
        assertEquals(1, orders().errors());
    }

    @Test
    void a_deleted_topics_counters_go_with_it() {
        broker.partitions().append(Map.of(ORDERS, batch("soup")), Acks.ALL);
        broker.deleteTopic("orders");
        assertFalse(broker.stats().snapshot().containsKey("orders"));
    }

    @Test
    void the_statistics_of_thousands_of_groups_are_split_over_records_that_each_fit() throws Exception {
        SortedMap<String, Map<String, Object>> groups = new TreeMap<>();
        for (int i = 0; i < 3000; i++) { // 3000 groups of 1 KB each: 3 MB, three times max.message.bytes
            Map<String, Object> about = new LinkedHashMap<>();
            about.put("members", List.of("m".repeat(1000)));
            about.put("generation", 1);
            about.put("partitions", Map.of());
            groups.put(String.format("%04d", i) + "g".repeat(250), about);
        }
        Map<String, Object> header = new LinkedHashMap<>(Map.of("stat_number", 1));
        List<byte[]> records = StatsRecords.of(header, new TreeMap<>(Map.of("orders", Map.of("records_in", 1))), groups,
                1_048_588);
        assertTrue(records.size() >= 3, "split, " + records.size() + " records");
        int seen = 0;
        for (int i = 0; i < records.size(); i++) {
            assertTrue(records.get(i).length + StatsRecords.OVERHEAD <= 1_048_588, "record " + i + " fits");
            JsonNode part = JSON.readTree(records.get(i));
            assertEquals(i + 1, part.get("part").asInt());
            assertEquals(records.size(), part.get("parts").asInt());
            seen += part.get("groups").size();
        }
        assertEquals(3000, seen, "every group in some part, none summarised away");
    }

    @Test
    void one_group_too_large_for_a_record_is_summarised_with_its_counts_and_lag() throws Exception {
        Map<String, Object> partitions = new TreeMap<>();
        for (int p = 0; p < 1000; p++) {
            partitions.put("t".repeat(200) + "-" + p, Map.of("committed", 1L, "lag", 2L));
        }
        Map<String, Object> huge = new LinkedHashMap<>(Map.of("members", List.of("a", "b"), "generation", 3,
                "partitions", partitions));
        List<byte[]> records = StatsRecords.of(new LinkedHashMap<>(), new TreeMap<>(),
                new TreeMap<>(Map.of("kitchen", huge)), 100_000);
        assertEquals(1, records.size());
        JsonNode kitchen = JSON.readTree(records.get(0)).get("groups").get("kitchen");
        assertTrue(kitchen.get("summarised").asBoolean());
        assertEquals(2, kitchen.get("member_count").asInt());
        assertEquals(1000, kitchen.get("partition_count").asInt());
        assertEquals(2000, kitchen.get("lag").asLong());
    }

    @Test
    void the_broker_writes_its_statistics_whatever_the_groups_and_they_read_back_whole() throws Exception {
        for (int i = 0; i < 50; i++) {
            assertEquals(Errors.NONE, broker.groupCoordinator().commitOffsets(OffsetCommitRequest.standalone(
                    String.format("%02d", i) + "g".repeat(253), Map.of(ORDERS, 0L))));
        }
        broker.jobs().writeStats();
        List<OffsetRecord> written = broker.partitions().readAndWait(FetchParams.of(new TopicPartition(Broker.STATS_TOPIC, 0),
                0, 1 << 24, Duration.ZERO)).get(new TopicPartition(Broker.STATS_TOPIC, 0)).records(100);
        int groups = 0;
        for (OffsetRecord record : written) {
            groups += JSON.readTree(record.record().value()).get("groups").size();
        }
        assertEquals(50, groups);
        assertTrue(JSON.readTree(written.get(0).record().value()).has("errors_unknown_topics"));
    }
}

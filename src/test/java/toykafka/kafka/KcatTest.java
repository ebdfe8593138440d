package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.kafka.RecordTimes.FIRST_TIMESTAMP;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import toykafka.broker.FetchParams;
import toykafka.broker.Partitions;
import toykafka.common.OffsetRecord;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * kcat (librdkafka 2.0.2, Debian's package), unmodified, against our broker's Kafka front end: it lists the
 * broker and its topics, produces keyed records compressed with snappy, and consumes from the beginning, the
 * end, an offset and a time, exiting at the end of the log. Always 127.0.0.1: librdkafka may take localhost
 * for ::1. Records the consumer reads are written through the broker's core, with timestamps the test chose,
 * so that these tests ask kcat only to consume; what kcat produced is read back through the core.
 */
class KcatTest {

    private static final String TOPIC = "till-receipts";
    /** Offset, key, value and timestamp, one record a line. */
    private static final String FORMAT = "%o %k %s %T\\n";

    @StartedBroker(FrontEnd.KAFKA)
    RunningBroker broker;

    private Kcat kcat;

    @BeforeEach
    void start() {
        kcat = Kcat.require();
    }

    @Test
    void kcat_lists_the_broker_and_its_topics_with_their_partitions() {
        broker.broker().createTopic(TOPIC, 2, Map.of(), OnDuplicate.FAIL);
        String listed = kcat.run(null, "-b", bootstrap(), "-L").assertSucceeded().output();
        Matcher brokerLine = Pattern.compile("broker (\\d+) at 127\\.0\\.0\\.1:" + broker.port()).matcher(listed);
        assertTrue(brokerLine.find(), listed);
        String nodeId = brokerLine.group(1);
        assertTrue(listed.contains("topic \"" + TOPIC + "\" with 2 partitions:"), listed);
        for (int partition = 0; partition < 2; partition++) {
            assertTrue(listed.contains("partition " + partition + ", leader " + nodeId + ", replicas: " + nodeId
                    + ", isrs: " + nodeId), listed);
        }
    }

    @Test
    void kcat_produces_keyed_records_compressed_with_snappy() {
        broker.broker().createTopic(TOPIC, 1, Map.of(), OnDuplicate.FAIL);
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            input.append("key-").append(i).append(":receipt ").append(i).append(" ").append("coffee ".repeat(10)).append('\n');
        }
        kcat.run(input.toString(), "-b", bootstrap(), "-t", TOPIC, "-p", "0", "-P", "-K:", "-z", "snappy")
                .assertSucceeded();

        List<OffsetRecord> stored = broker.broker().partitions().readAndWait(
                FetchParams.of(new TopicPartition(TOPIC, 0), 0, 1 << 20, Duration.ZERO)).get(new TopicPartition(TOPIC, 0))
                .records(100);
        assertEquals(20, stored.size(), "every line became a record");
        for (int i = 0; i < 20; i++) {
            Record record = stored.get(i).record();
            assertEquals("key-" + i, new String(record.key(), StandardCharsets.UTF_8), "the key before the ':'");
            assertEquals("receipt " + i + " " + "coffee ".repeat(10), new String(record.value(), StandardCharsets.UTF_8));
        }
        List<StoredBatches.Batch> batches = StoredBatches.of(broker.dataDir(), TOPIC, 0);
        assertFalse(batches.isEmpty());
        for (StoredBatches.Batch batch : batches) {
            assertEquals("snappy", batch.compression(), "librdkafka compresses only when the broker lists Produce v0: " + batch);
        }
    }

    @Test
    void kcat_consumes_from_the_beginning_and_exits_at_the_end() {
        writeTenRecords();
        assertEquals(expected(0, 10), consume("beginning"));
    }

    @Test
    void kcat_consumes_from_the_end_and_finds_nothing_new() {
        writeTenRecords();
        assertEquals(List.of(), consume("end"));
        assertEquals(expected(7, 10), consume("-3"), "-3: three before the end");
    }

    @Test
    void kcat_consumes_from_an_offset_inside_a_stored_batch() {
        writeTenRecords(); // one batch: the broker sends all of it, and librdkafka skips what lies before 7
        assertEquals(expected(7, 10), consume("7"));
    }

    @Test
    void kcat_consumes_from_a_timestamp() {
        writeTenRecords();
        assertEquals(expected(5, 10), consume("s@" + (FIRST_TIMESTAMP + 4_500)), "from the first record at or after the time");
        assertEquals(expected(4, 10), consume("s@" + (FIRST_TIMESTAMP + 4_000)), "a record exactly at the time is included");
    }

    // ---- helpers ----

    private String bootstrap() {
        return "127.0.0.1:" + broker.port();
    }

    /** Ten records in one batch through the broker's core, record i at FIRST_TIMESTAMP + i seconds. */
    private void writeTenRecords() {
        broker.broker().createTopic(TOPIC, 1, Map.of(), OnDuplicate.FAIL);
        List<Partitions.ProduceRecord> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            records.add(new Partitions.ProduceRecord(0, Record.of("key-" + i, "value-" + i,
                    Instant.ofEpochMilli(FIRST_TIMESTAMP + i * 1000L))));
        }
        assertTrue(broker.broker().partitions().appendRecords(TOPIC, records).stream().allMatch(Partitions.RecordAnswer::written));
    }

    private static List<String> expected(int from, int to) {
        List<String> lines = new ArrayList<>();
        for (int i = from; i < to; i++) {
            lines.add(i + " key-" + i + " value-" + i + " " + (FIRST_TIMESTAMP + i * 1000L));
        }
        return lines;
    }

    /** kcat as a consumer of partition 0 without a group, from {@code offset} (kcat's -o), to the end (-e). */
    private List<String> consume(String offset) {
        return kcat.run(null, "-b", bootstrap(), "-t", TOPIC, "-p", "0", "-C", "-o", offset, "-e", "-q", "-f", FORMAT)
                .assertSucceeded().lines();
    }
}

package toykafka.lesson08;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.lesson08.TestRecords.START;
import static toykafka.lesson08.TestRecords.order;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import toykafka.common.Errors;
import toykafka.common.InvalidRecordException;
import toykafka.common.RecordBatchSize;
import toykafka.common.RecordTooLargeException;
import toykafka.common.TopicConfig;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.Header;
import toykafka.common.Record;
import toykafka.common.RecordLog;

/**
 * What every record store promises, in memory or on disk: one contract, two stores, as in a broker
 * whose storage can be swapped. Lesson 1's contract runs against both stores as well.
 */
@Tag("lesson08")
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class RecordLogContract {

    private final List<RecordLog> opened = new ArrayList<>();

    /** A new, empty store with this topic config. */
    protected abstract RecordLog newLog(TopicConfig config);

    private RecordLog log() {
        return log(TopicConfig.defaults());
    }

    private RecordLog log(TopicConfig config) {
        RecordLog log = newLog(config);
        opened.add(log);
        return log;
    }

    @AfterEach
    void closeLogs() {
        opened.forEach(RecordLog::close);
    }

    private static List<Record> orders(int from, int count) {
        List<Record> records = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            records.add(order(i));
        }
        return records;
    }

    @Test
    @Order(1)
    void a_batch_takes_consecutive_offsets_and_append_all_returns_the_first() {
        RecordLog log = log();
        assertEquals(0, log.appendAll(orders(0, 3)), "the first batch starts at offset 0");
        assertEquals(3, log.appendAll(orders(3, 2)), "the second batch starts where the first ended");
        assertEquals(5, log.append(order(5)), "a single append continues the numbering");
        for (int i = 0; i < 6; i++) {
            assertEquals(order(i), log.read(i), "offset " + i + " should hold record " + i);
        }
    }

    @Test
    @Order(2)
    void every_field_of_a_record_comes_back_exactly() {
        RecordLog log = log();
        Record full = TestRecords.everyField();
        Record tombstone = Record.of("cod", null, START);
        Record keyless = Record.of(null, "chips", Instant.EPOCH);
        Record emptyValueWithKey = new Record("k".getBytes(), new byte[0], START, List.of());
        log.appendAll(List.of(full, tombstone, keyless, emptyValueWithKey));
        assertEquals(full, log.read(0), "key bytes, all 256 byte values, headers and milliseconds survive");
        assertEquals(List.of(new Header("none", null)), List.of(log.read(0).headers().get(2)),
                "a header without a value keeps no value, not an empty one");
        assertEquals(tombstone, log.read(1), "a tombstone keeps its key and has no value");
        assertEquals(keyless, log.read(2), "a record without a key, stamped at the earliest time Kafka allows, survives");
        assertEquals(emptyValueWithKey, log.read(3), "an empty value is kept apart from no value");
    }

    @Test
    @Order(3)
    void read_batch_returns_up_to_max_records_from_an_offset() {
        RecordLog log = log();
        log.appendAll(orders(0, 10));
        assertEquals(orders(2, 3), log.readBatch(2, 3), "readBatch(2, 3) should return offsets 2, 3 and 4");
        assertEquals(orders(8, 2), log.readBatch(8, 100), "near the end, a batch holds only what there is");
        assertEquals(orders(9, 1), log.readBatch(-1, 5), "-1 reads from the latest record, as read(-1) does");
        List<Record> all = new ArrayList<>();
        for (long offset = 0; offset < log.endOffset(); offset += 4) {
            all.addAll(log.readBatch(offset, 4));
        }
        assertEquals(orders(0, 10), all, "batches of 4 read in turn return every record once, in order");
    }

    @Test
    @Order(4)
    void read_batch_at_the_end_is_empty_and_past_it_fails_naming_the_range() {
        RecordLog log = log();
        log.appendAll(orders(0, 3));
        assertEquals(List.of(), log.readBatch(3, 10), "at the end offset a consumer is caught up: no records");
        OffsetOutOfRangeException error = assertThrows(OffsetOutOfRangeException.class, () -> log.readBatch(4, 10));
        assertEquals("offset 4 is out of range: valid offsets are 0..2", error.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> log.readBatch(0, 0));
        assertEquals("a batch holds at least 1 record; maxRecords was 0", none.getMessage());
    }

    @Test
    @Order(5)
    void offset_for_time_finds_the_first_record_at_or_after_the_time() {
        RecordLog log = log();
        log.appendAll(orders(0, 10)); // record n is stamped START + n seconds
        assertEquals(OptionalLong.of(4), log.offsetForTime(START.plusSeconds(4)), "exactly at record 4's time");
        assertEquals(OptionalLong.of(5), log.offsetForTime(START.plusMillis(4_500)), "between 4 and 5: record 5");
        assertEquals(OptionalLong.of(0), log.offsetForTime(START.minusSeconds(60)), "before every record: offset 0");
        assertEquals(OptionalLong.empty(), log.offsetForTime(START.plusSeconds(60)),
                "after the newest record there is no such offset");
    }

    @Test
    @Order(6)
    void offset_for_time_copes_with_timestamps_that_go_backwards() {
        RecordLog log = log();
        int[] seconds = {10, 30, 20, 40, 25};
        for (int s : seconds) {
            log.append(TestRecords.valued("at-" + s, START.plusSeconds(s)));
        }
        assertEquals(OptionalLong.of(1), log.offsetForTime(START.plusSeconds(25)),
                "the first record stamped at or after +25s is offset 1 (+30s), not offset 4");
        assertEquals(OptionalLong.of(3), log.offsetForTime(START.plusSeconds(35)), "+35s: offset 3 (+40s)");
    }

    @Test
    @Order(7)
    void a_record_with_no_key_and_no_value_is_stored_as_kafka_stores_it() {
        RecordLog log = log();
        log.append(order(0));
        assertEquals(1, log.append(Record.of(null, null, START)), "no key and no value: a record all the same");
        assertEquals(2, log.append(new Record(null, new byte[0], START, null)), "no key and a 0-byte value, too");
        assertEquals(3, log.endOffset());
        Record nothing = log.read(1);
        assertNull(nothing.key(), "no key comes back as no key");
        assertNull(nothing.value(), "no value comes back as no value, not as an empty one");
        assertEquals(0, log.read(2).valueLength(), "an empty value comes back empty, not missing");
    }

    @Test
    @Order(8)
    void a_batch_over_max_message_bytes_is_refused_and_one_at_the_limit_is_kept() {
        RecordLog log = log(TopicConfig.defaults().with(TopicConfig.MAX_MESSAGE_BYTES, 100));
        Record atLimit = TestRecords.valued("x".repeat(100 - 61 - 7), START);
        assertEquals(100, RecordBatchSize.of(List.of(atLimit)), "61 bytes of batch header, 7 of record fields, 32 of value");
        assertEquals(0, log.append(atLimit), "a batch of exactly the limit is accepted");
        Record over = TestRecords.valued("x".repeat(33), START);
        RecordTooLargeException error = assertThrows(RecordTooLargeException.class, () -> log.append(over));
        assertAll("the refusal names the batch's size, the limit and the setting: " + error.getMessage(),
                () -> assertTrue(error.getMessage().contains("101 bytes")),
                () -> assertTrue(error.getMessage().contains("100 bytes")),
                () -> assertTrue(error.getMessage().contains("max.message.bytes")));
        assertEquals(Errors.MESSAGE_TOO_LARGE, error.error());
        assertThrows(RecordTooLargeException.class, () -> log.appendAll(List.of(atLimit, atLimit)),
                "two records that fit alone make a batch that does not");
        assertThrows(RecordTooLargeException.class, () -> log.append(TestRecords.valued("y".repeat(5_000_000), START)),
                "a far larger record is refused the same way");
        assertEquals(1, log.endOffset(), "refused records take no offset");
    }

    @Test
    @Order(9)
    protected void a_record_without_a_key_is_refused_on_a_compacted_topic() { // protected: a store that refuses compaction states that instead
        RecordLog log = log(TopicConfig.defaults().with(TopicConfig.CLEANUP_POLICY, "compact"));
        assertEquals(0, log.append(Record.of("cod", "1 portion", START)), "a keyed record is fine");
        InvalidRecordException error = assertThrows(InvalidRecordException.class,
                () -> log.append(Record.of(null, "chips", START)));
        assertTrue(error.getMessage().contains("cleanup.policy=compact"), error.getMessage());
        assertEquals(1, log.endOffset());
    }

    @Test
    @Order(12)
    void a_new_config_applies_to_the_next_append() {
        RecordLog log = log();
        log.append(TestRecords.valued("x".repeat(500), START));
        log.reconfigure(TopicConfig.defaults().with(TopicConfig.MAX_MESSAGE_BYTES, 200));
        assertEquals("200", log.config().get(TopicConfig.MAX_MESSAGE_BYTES));
        assertThrows(RecordTooLargeException.class, () -> log.append(TestRecords.valued("x".repeat(500), START)),
                "the lowered max.message.bytes refuses what the default took");
        assertEquals(1, log.endOffset());
        assertEquals("x".repeat(500), log.read(0).valueText(), "records already stored stay");
    }

    @Test
    @Order(10)
    void one_refused_record_refuses_its_whole_batch() {
        RecordLog log = log(TopicConfig.defaults().with(TopicConfig.CLEANUP_POLICY, "compact"));
        log.append(order(0));
        List<Record> batch = List.of(order(1), Record.of(null, "chips", START), order(3));
        InvalidRecordException error = assertThrows(InvalidRecordException.class, () -> log.appendAll(batch));
        assertTrue(error.getMessage().startsWith("record 1 of a batch of 3: this log requires a key"),
                error.getMessage());
        assertEquals(1, log.endOffset(), "no record of a refused batch is appended, not even the good first one");
        assertEquals(1, log.appendAll(List.of(order(1))), "the next batch starts at the same offset");
        assertEquals(order(1), log.read(1));
    }

    @Test
    @Order(11)
    void an_empty_batch_and_a_null_record_in_a_batch_are_refused() {
        RecordLog log = log();
        InvalidRecordException empty = assertThrows(InvalidRecordException.class, () -> log.appendAll(List.of()));
        assertEquals("an empty batch has nothing to append", empty.getMessage());
        List<Record> withNull = new ArrayList<>(List.of(order(0)));
        withNull.add(null);
        NullPointerException error = assertThrows(NullPointerException.class, () -> log.appendAll(withNull));
        assertEquals("a record must not be null", error.getMessage());
        assertEquals(0, log.endOffset());
    }
}

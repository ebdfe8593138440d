package toykafka.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static toykafka.check.MessageFacts.assertMentions;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** What a batch from a client must be before a log takes it, and what each refusal says. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RecordBatchTest {

    private static final Instant NOON = Instant.parse("2024-03-01T12:00:00Z");
    private static final BatchValidator.RecordCheck ANY = (offsetDelta, timestamp, keyLength, valueLength) -> { };

    private static RecordBatch batch(int records) {
        List<Record> list = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            list.add(Record.of("till-" + i, "cod", NOON.plusMillis(i)));
        }
        return RecordBatch.of(list, 0, Compression.NONE);
    }

    /** A copy of the batch's bytes, changed by {@code change}, with the CRC made right again if asked. */
    private static RecordBatch changed(RecordBatch batch, java.util.function.Consumer<ByteBuffer> change, boolean fixCrc) {
        ByteBuffer copy = ByteBuffer.allocate(batch.sizeInBytes()).put(batch.buffer()).flip();
        change.accept(copy);
        if (fixCrc) {
            CRC32C crc = new CRC32C();
            crc.update(copy.duplicate().position(RecordBatch.ATTRIBUTES_AT));
            copy.putInt(RecordBatch.CRC_AT, (int) crc.getValue());
        }
        return RecordBatch.wrap(copy);
    }

    @Test
    void a_flipped_bit_fails_the_crc_and_the_message_gives_both_checksums() {
        RecordBatch damaged = changed(batch(3), bytes -> bytes.put(70, (byte) (bytes.get(70) ^ 1)), false);
        CorruptRecordException error = assertThrows(CorruptRecordException.class, () -> BatchValidator.validate(damaged, ANY));
        assertMentions(error, "CRC", String.format("%08x", damaged.storedCrc()), String.format("%08x", damaged.computeCrc()));
        assertEquals(Errors.CORRUPT_MESSAGE, error.error());
    }

    @Test
    void an_old_message_format_is_refused_naming_the_one_spoken() {
        RecordBatch old = changed(batch(1), bytes -> bytes.put(RecordBatch.MAGIC_AT, (byte) 1), false);
        assertMentions(assertThrows(CorruptRecordException.class, () -> BatchValidator.validate(old, ANY)), "magic 1", 2);
    }

    @Test
    void a_control_batch_that_is_no_transaction_marker_is_refused() {
        RecordBatch control = changed(batch(1), bytes -> bytes.putShort(RecordBatch.ATTRIBUTES_AT, (short) 0x20), true);
        assertMentions(assertThrows(InvalidRecordException.class, () -> BatchValidator.validate(control, ANY)), "control",
                "producer id", -1);
    }

    @Test
    void a_record_count_that_disagrees_with_the_last_offset_delta_is_refused() {
        RecordBatch wrong = changed(batch(3), bytes -> bytes.putInt(RecordBatch.LAST_OFFSET_DELTA_AT, 5), true);
        assertMentions(assertThrows(InvalidRecordException.class, () -> BatchValidator.validate(wrong, ANY)), 3, "lastOffsetDelta", 2, 5);
    }

    @Test
    void records_must_carry_offset_deltas_0_1_2_in_order() {
        // the second record's offset delta sits after its length, attributes and timestamp delta (1 byte each)
        RecordBatch one = batch(1);
        int secondRecord = one.sizeInBytes();
        RecordBatch swapped = changed(batch(2), bytes -> bytes.put(secondRecord + 3, (byte) 4), true); // zigzag 2
        InvalidRecordException error = assertThrows(InvalidRecordException.class, () -> BatchValidator.validate(swapped, ANY));
        assertMentions(error, "offset delta", 2);
    }

    @Test
    void a_timestamp_before_1970_is_refused() {
        RecordBatch early = changed(batch(1), bytes -> bytes.putLong(RecordBatch.BASE_TIMESTAMP_AT, -5), true);
        assertMentions(assertThrows(InvalidTimestampException.class, () -> BatchValidator.validate(early, ANY)), -5, "1970");
    }

    @Test
    void bytes_after_the_last_record_are_refused() {
        RecordBatch batch = batch(1);
        ByteBuffer longer = ByteBuffer.allocate(batch.sizeInBytes() + 3).put(batch.buffer()).put(new byte[3]).flip();
        longer.putInt(RecordBatch.LENGTH_AT, longer.limit() - RecordBatch.LOG_OVERHEAD);
        RecordBatch padded = changed(RecordBatch.wrap(longer), bytes -> { }, true);
        assertMentions(assertThrows(CorruptRecordException.class, () -> BatchValidator.validate(padded, ANY)), 3, "bytes");
    }

    @Test
    void a_cut_off_batch_and_an_impossible_length_are_refused_before_anything_is_read() {
        ByteBuffer bytes = batch(2).buffer();
        ByteBuffer cut = bytes.duplicate().limit(bytes.limit() - 4);
        assertMentions(assertThrows(CorruptRecordException.class, () -> RecordBatch.wrap(cut)), "cut off");
        ByteBuffer tiny = ByteBuffer.allocate(RecordBatch.HEADER_SIZE).putInt(RecordBatch.LENGTH_AT, 3);
        assertMentions(assertThrows(CorruptRecordException.class, () -> RecordBatch.wrap(tiny)), 3, 49);
    }

    @Test
    void the_check_sees_every_records_key_and_value_length_without_copying() {
        List<String> seen = new ArrayList<>();
        BatchValidator.validate(RecordBatch.of(List.of(Record.of("k", "value", NOON),
                        new Record(null, null, NOON.plusMillis(5), List.of())), 7, Compression.GZIP),
                (delta, timestamp, key, value) -> seen.add(delta + ":" + timestamp + ":" + key + ":" + value));
        assertEquals(List.of("0:" + NOON.toEpochMilli() + ":1:5", "1:" + (NOON.toEpochMilli() + 5) + ":-1:-1"), seen);
    }

    @Test
    void an_empty_list_makes_no_batch() {
        assertMentions(assertThrows(InvalidRecordException.class, () -> RecordBatch.of(List.of(), 0, Compression.NONE)),
                "none");
    }

    @Test
    void compressed_bytes_that_do_not_decompress_are_corrupt_not_a_crash() {
        RecordBatch gzip = RecordBatch.of(List.of(Record.of("k", "v".repeat(500), NOON)), 0, Compression.GZIP);
        RecordBatch damaged = changed(gzip, bytes -> bytes.put(RecordBatch.HEADER_SIZE + 12, (byte) 0x55), true);
        assertMentions(assertThrows(CorruptRecordException.class, damaged::records), "gzip");
    }

    @Test
    void a_batch_in_a_direct_buffer_is_checked_the_same_way() {
        List<String> heap = new ArrayList<>();
        List<String> direct = new ArrayList<>();
        RecordBatch good = RecordBatch.of(List.of(Record.of("k", "value", NOON), Record.of(null, "v2", NOON.plusMillis(3))),
                0, Compression.NONE);
        List<RecordBatch> damaged = List.of(
                changed(good, bytes -> bytes.put(RecordBatch.HEADER_SIZE + 4, (byte) 120), true),  // key runs past the record
                changed(good, bytes -> bytes.put(RecordBatch.HEADER_SIZE + 3, (byte) 2), true),    // first offset delta 1
                changed(good, bytes -> bytes.put(RecordBatch.HEADER_SIZE, (byte) 2), true),        // record 1 byte long
                good);
        for (RecordBatch batch : damaged) {
            ByteBuffer copy = ByteBuffer.allocateDirect(batch.sizeInBytes()).put(batch.buffer()).flip();
            heap.add(outcome(batch));
            direct.add(outcome(RecordBatch.wrap(copy)));
        }
        assertEquals(heap, direct);
        assertEquals("ok", heap.get(3), "the good batch passes both ways");
    }

    @Test
    void the_reader_and_the_check_refuse_a_bad_record_in_the_same_words() {
        RecordBatch bad = changed(batch(2), bytes -> bytes.put(RecordBatch.HEADER_SIZE + 4, (byte) 120), true); // key of 60
        String read = assertThrows(CorruptRecordException.class, bad::offsetRecords).getMessage();
        String checked = assertThrows(CorruptRecordException.class, () -> BatchValidator.validate(bad, ANY)).getMessage();
        assertEquals(read, checked);
        assertMentions(assertThrows(CorruptRecordException.class, () -> BatchValidator.validate(bad, ANY)), "key", 60);
    }

    private static String outcome(RecordBatch batch) {
        try {
            BatchValidator.validate(batch, ANY);
            return "ok";
        } catch (RuntimeException refused) {
            return refused.getClass().getSimpleName() + ": " + refused.getMessage();
        }
    }
}

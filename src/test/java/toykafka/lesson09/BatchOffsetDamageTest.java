package toykafka.lesson09;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.lesson08.TestConfigs.ONE_SEGMENT;
import static toykafka.lesson08.TestRecords.order;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.common.CorruptRecordException;
import toykafka.common.Errors;
import toykafka.common.OffsetRecord;
import toykafka.common.TopicConfig;
import toykafka.testing.FileLogs;
import toykafka.testing.TempFileLogs;
import toykafka.tools.SegmentDump;
import toykafka.lesson08.Location;
import toykafka.lesson08.Damage;

/**
 * A batch's base offset lies outside the CRC Kafka's format keeps, so a flipped bit there passes every CRC.
 * The log finds it all the same, by the offsets around it: each batch starts right after the one before
 * (in a log that was never cleaned), ends before the next segment begins and agrees with the index.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BatchOffsetDamageTest {

    /**
     * 1000-byte segments of 12 orders, an index entry every 100 bytes: a clean open reads only the last few
     * batches of each, so damage near a segment's start is found on read.
     */
    private static final TopicConfig SMALL = TopicConfig.defaults().with(TopicConfig.INDEX_INTERVAL_BYTES, 100)
            .with(TopicConfig.SEGMENT_BYTES, 1000);
    /** Byte 2 of the 8-byte base offset: flipping its lowest bit adds 2^40 to the offset. */
    private static final int HIGH_BYTE = 2;
    /** Byte 7, the lowest: flipping its lowest bit moves the offset by one. */
    private static final int LOW_BYTE = 7;

    @TempFileLogs
    FileLogs logs;

    /**
     * Stops the log (cleanly, or as a crash), then flips a bit of the base offset of the batch holding
     * {@code offset}; returns where that batch lies.
     */
    private static Location flipBaseOffset(FileLog log, long offset, int byteOfOffset, boolean crash)
            throws IOException {
        Location at = log.locate(offset);
        if (crash) {
            log.simulateCrash();
        } else {
            log.close();
        }
        Damage.flipByte(log.directory().resolve(at.segment()), at.position() + byteOfOffset);
        return at;
    }

    private static void assertNamesTheBatch(Location damaged, CorruptRecordException error) {
        assertEquals(Errors.CORRUPT_MESSAGE, error.error(), "the log's code for damaged records");
        assertEquals(damaged.segment(), error.segment(), error.getMessage());
        assertEquals(damaged.position(), error.position(), "the damaged batch itself: " + error.getMessage());
    }

    @Test
    void a_high_bit_flipped_in_a_sealed_segment_is_corruption_on_read_never_an_offset_past_the_end() throws IOException {
        FileLog first = logs.ordersWith(30, SMALL);
        Location damaged = flipBaseOffset(first, 14, HIGH_BYTE, false);

        FileLog log = logs.orders(SMALL); // a clean shutdown: the records are not read at open

        CorruptRecordException error = assertThrows(CorruptRecordException.class, () -> log.read(14));
        assertNamesTheBatch(damaged, error);
        assertFalse(error.getMessage().contains("compaction"), error.getMessage());
        for (long from = 0; from < 30; from++) {
            long start = from;
            try {
                for (OffsetRecord record : log.readBatchWithOffsets(start, 100)) {
                    assertTrue(record.offset() < log.endOffset(), "offset " + record.offset() + " read from " + start
                            + " is past the log's end " + log.endOffset());
                }
            } catch (CorruptRecordException refused) {
                assertNamesTheBatch(damaged, refused);
            }
        }
    }

    @Test
    void a_low_bit_flipped_in_a_batch_of_a_log_never_cleaned_is_corruption_too() throws IOException {
        FileLog first = logs.ordersWith(30, SMALL);
        Location damaged = flipBaseOffset(first, 15, LOW_BYTE, false); // 15 -> 14: it overlaps the batch before it

        FileLog log = logs.orders(SMALL);

        assertNamesTheBatch(damaged, assertThrows(CorruptRecordException.class, () -> log.read(15)));
    }

    @Test
    void a_gap_where_the_log_was_never_cleaned_is_corruption_not_records_removed_by_compaction() throws IOException {
        FileLog first = logs.ordersWith(30, SMALL);
        Location damaged = flipBaseOffset(first, 14, LOW_BYTE, false); // 14 -> 15: a gap at 14, as if cleaned away

        FileLog log = logs.orders(SMALL);

        CorruptRecordException error = assertThrows(CorruptRecordException.class, () -> log.read(14));
        assertNamesTheBatch(damaged, error);
        assertFalse(error.getMessage().contains("compaction"), error.getMessage());
    }

    @Test
    void a_flipped_base_offset_is_refused_by_transferTo_rather_than_sent() throws IOException {
        FileLog first = logs.ordersWith(30, SMALL);
        Location damaged = flipBaseOffset(first, 14, HIGH_BYTE, false);

        FileLog log = logs.orders(SMALL);

        assertNamesTheBatch(damaged, assertThrows(CorruptRecordException.class,
                () -> log.transferTo(14, 1 << 20, Channels.newChannel(new ByteArrayOutputStream()))));
    }

    /**
     * Twenty orders in one segment, the base offset of order {@code offset}'s batch flipped and the log crashed: the
     * open refuses, naming the batch, and leaves every file as it was ({@code whyUncut}).
     */
    private void assertCrashedOpenRefusesAndCutsNothing(int offset, String whyUncut) throws IOException {
        FileLog first = logs.ordersWith(20, ONE_SEGMENT);
        Location damaged = flipBaseOffset(first, offset, HIGH_BYTE, true);
        Map<String, String> before = Damage.snapshot(first.directory());

        CorruptRecordException error = assertThrows(CorruptRecordException.class, () -> logs.orders(ONE_SEGMENT));

        assertNamesTheBatch(damaged, error);
        assertEquals(before, Damage.snapshot(first.directory()), whyUncut);
    }

    @Test
    void after_a_crash_a_flipped_base_offset_in_the_newest_segment_refuses_to_open_and_cuts_nothing() throws IOException {
        assertCrashedOpenRefusesAndCutsNothing(9, "nothing was cut: a torn write cannot do this");
    }

    @Test
    void after_a_crash_a_flipped_base_offset_in_the_last_batch_is_damage_not_a_torn_write() throws IOException {
        assertCrashedOpenRefusesAndCutsNothing(19, "its CRC is good: the write was whole");
    }

    @Test
    void after_a_clean_shutdown_a_flipped_base_offset_in_the_last_batch_refuses_to_open() throws IOException {
        FileLog first = logs.ordersWith(20, ONE_SEGMENT);
        Location damaged = flipBaseOffset(first, 19, HIGH_BYTE, false);

        CorruptRecordException error = assertThrows(CorruptRecordException.class, () -> logs.orders(ONE_SEGMENT),
                "the log would end at offset 2^40 + 20");

        assertNamesTheBatch(damaged, error);
    }

    @Test
    void verify_names_the_damaged_batch_itself() throws IOException {
        FileLog first = logs.ordersWith(20, ONE_SEGMENT);
        Location damaged = flipBaseOffset(first, 9, HIGH_BYTE, false);

        SegmentDump.Verification verification = SegmentDump.verify(first.directory().resolve(damaged.segment()));

        assertFalse(verification.ok());
        assertTrue(verification.problems().get(0).startsWith(damaged.segment() + " at byte " + damaged.position()
                + ":"), verification.toString());
    }

    @Test
    void a_cleaned_log_still_reads_across_its_gaps() throws IOException {
        FileLog first = logs.ordersWith(30, SMALL);
        first.close();
        CleanedSegments.clean(first.directory(), 100, offset -> offset % 2 == 1);

        FileLog log = logs.orders(SMALL);

        assertEquals(List.of(1L), log.readBatchWithOffsets(0, 1).stream().map(OffsetRecord::offset).toList());
        assertEquals(order(13), log.read(13));
        assertEquals(List.of(15L), log.readBatchWithOffsets(14, 1).stream().map(OffsetRecord::offset).toList());
    }
}

package toykafka.lesson09;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static toykafka.check.MessageFacts.assertMentions;
import static toykafka.lesson08.TestConfigs.ONE_SEGMENT;
import static toykafka.lesson08.TestConfigs.SMALL;
import static toykafka.lesson08.TestRecords.START;
import static toykafka.lesson08.TestRecords.order;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.common.Compression;
import toykafka.common.CorruptRecordException;
import toykafka.common.Errors;
import toykafka.common.InvalidRecordException;
import toykafka.common.RecordBatch;
import toykafka.testing.FileLogs;
import toykafka.testing.TempFileLogs;
import toykafka.tools.SegmentDump;
import toykafka.lesson08.PartitionDirectory;
import toykafka.lesson08.Damage;

/** The smaller ways a damaged directory or an odd argument could get past the log, each refused or handled. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SmallDamageTest {

    @TempFileLogs(closeMayThrow = RuntimeException.class) // a test that breaks a file has asserted on this already
    FileLogs logs;

    @Test
    void a_crashed_active_segment_cut_at_a_batch_boundary_is_named_as_cut_not_its_indexes() throws IOException {
        FileLog first = logs.ordersWith(40, ONE_SEGMENT);
        first.flush(); // writes the active segment's index entries, and forces the records they point at
        first.simulateCrash();
        Path dir = first.directory();
        Path log = dir.resolve(PartitionDirectory.fileName(0, "log"));
        Damage.truncate(log, Damage.positionOfOrder(15)); // whole batches: no torn write to find
        Map<String, String> before = Damage.snapshot(dir);

        CorruptRecordException error = assertThrows(CorruptRecordException.class, () -> logs.orders(ONE_SEGMENT),
                "the index on disk says flushed records followed offset 14: opening must not drop them in silence");

        assertEquals("00000000000000000000.log", error.segment());
        assertEquals(Damage.positionOfOrder(15), error.position(), "where the file now ends");
        assertMentions(error, "15..", "cut");
        assertEquals(before, Damage.snapshot(dir), "nothing was cut or rewritten");
        List<String> problems = SegmentDump.verify(log).problems();
        assertFalse(problems.isEmpty());
        assertTrue(problems.get(0).startsWith("00000000000000000000.log") && problems.get(0).contains("cut short"),
                "verify names the log as cut, not its index as damaged: " + problems);

        Files.delete(dir.resolve(PartitionDirectory.fileName(0, "index"))); // accepting the loss, as the message says
        FileLog reopened = logs.orders(ONE_SEGMENT);
        assertEquals(15, reopened.endOffset());
        assertEquals(order(14), reopened.read(14));
    }

    @Test
    void an_empty_stray_newer_log_is_named_and_the_good_last_segment_is_not_blamed() throws IOException {
        FileLog first = logs.ordersWith(30, SMALL);
        first.close();
        List<Long> bases = PartitionDirectory.segmentBaseOffsets(first.directory());
        long goodLast = bases.get(bases.size() - 1);
        Files.createFile(first.directory().resolve(PartitionDirectory.fileName(9999, "log")));

        CorruptRecordException error = assertThrows(CorruptRecordException.class, () -> logs.orders(SMALL));

        assertEquals(PartitionDirectory.fileName(9999, "log"), error.segment(), error.getMessage());
        assertFalse(error.getMessage().contains(PartitionDirectory.fileName(goodLast, "log")), error.getMessage());
        Files.delete(first.directory().resolve(PartitionDirectory.fileName(9999, "log")));
        assertEquals(30, logs.orders(SMALL).endOffset(), "without it the log opens whole");
    }

    @Test
    void a_fifo_as_the_active_index_is_refused_naming_the_file() throws Exception {
        FileLog first = logs.ordersWith(5, ONE_SEGMENT);
        first.close();
        Path index = first.directory().resolve(PartitionDirectory.fileName(0, "index"));
        Files.delete(index);
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", index.toString()).start();
        } catch (IOException noMkfifo) {
            assumeTrue(false, "mkfifo is not available here");
            return;
        }
        assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");

        RuntimeException error = assertThrows(RuntimeException.class, () -> logs.orders(ONE_SEGMENT).close());

        assertMentions(error, index.getFileName());
    }

    @Test
    void offsetForTime_at_the_end_of_time_finds_nothing_instead_of_overflowing() {
        FileLog log = logs.ordersWith(5, ONE_SEGMENT);

        assertEquals(OptionalLong.empty(), log.offsetForTime(Instant.MAX));
        assertEquals(OptionalLong.of(0), log.offsetForTime(Instant.MIN));
        assertEquals(OptionalLong.of(2), log.offsetForTime(START.plusSeconds(2)));
    }

    @Test
    void transferTo_refuses_a_negative_maxBytes() {
        FileLog log = logs.ordersWith(5, ONE_SEGMENT);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> log.transferTo(0, -5, Channels.newChannel(sent)));

        assertMentions(error, "-5", "maxBytes");
        assertEquals(0, sent.size(), "nothing was sent");
        assertThrows(IllegalArgumentException.class, () -> log.slice(0, -5));
    }

    @Test
    void appendBatches_takes_a_read_only_buffer() {
        FileLog log = logs.ordersWith(3, ONE_SEGMENT);
        ByteBuffer batch = RecordBatch.of(List.of(order(3), order(4)), 0, Compression.NONE).buffer();

        assertEquals(3, log.appendBatches(batch.asReadOnlyBuffer()));

        assertEquals(List.of(order(3), order(4)), log.readBatch(3, 10));
    }

    @Test
    void a_transactional_batch_without_a_producer_id_is_refused() {
        FileLog log = logs.ordersWith(3, ONE_SEGMENT);
        ByteBuffer batch = RecordBatch.of(List.of(order(3)), 0, Compression.NONE).buffer();
        batch.putShort(RecordBatch.ATTRIBUTES_AT, (short) (batch.getShort(RecordBatch.ATTRIBUTES_AT) | 0x10));
        RecordBatch wrapped = RecordBatch.wrap(batch.duplicate());
        batch.putInt(RecordBatch.CRC_AT, wrapped.computeCrc());
        assertTrue(RecordBatch.wrap(batch.duplicate()).isTransactional());
        assertFalse(RecordBatch.wrap(batch.duplicate()).hasProducerId());

        InvalidRecordException error = assertThrows(InvalidRecordException.class, () -> log.appendBatches(batch));

        assertEquals(Errors.INVALID_RECORD, error.error());
        assertMentions(error, "transactional", "producer id");
        assertEquals(3, log.endOffset(), "nothing was written");
    }
}

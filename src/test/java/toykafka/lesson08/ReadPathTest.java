package toykafka.lesson08;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.lesson08.TestRecords.order;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.archive.Archive;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.CorruptRecordException;
import toykafka.common.TopicConfig;
import toykafka.testing.FileLogs;
import toykafka.testing.TempFileLogs;
import toykafka.lesson09.FileLog;

/** Reading reads what it needs, and a segment that lost records says so instead of reading as empty. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReadPathTest {

    @TempFileLogs
    FileLogs logs;
    private final FaultyDisk disk = new FaultyDisk(); // a real disk that counts the bytes read

    private FileLog open(TopicConfig config) {
        return logs.open(dir -> FileLog.open(dir, "orders", 0, config, Clock.systemUTC(), Archive.discard(), disk.opener()));
    }

    @Test
    void a_lookup_reads_about_one_index_interval_past_its_entry_and_the_records_it_returns() {
        FileLog log = open(TopicConfig.defaults()); // an index entry every 4096 bytes
        List<Record> orders = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            orders.add(order(i));
            log.append(order(i)); // a batch of one: about 150 KB, in one segment
        }
        int window = 4096 + RecordBatch.HEADER_SIZE;
        int frame = 85; // order(n) as a batch of one is 81 to 85 bytes here
        for (long offset : new long[] {0, 1, 80, 81, 82, 1000, 1999}) {
            assertAtMost(window + frame, "read(" + offset + ")", () -> log.read(offset));
            assertAtMost(window + frame, "readBatch(" + offset + ", 1)", () -> log.readBatch(offset, 1));
            assertAtMost(window + 11 * frame, "readBatch(" + offset + ", 10)", () -> log.readBatch(offset, 10));
            assertAtMost(window, "locate(" + offset + ")", () -> log.locate(offset));
            assertAtMost(window + 8192, "fetch(" + offset + ") into 8 KiB",
                    () -> log.fetch(offset, ByteBuffer.allocate(8192)));
        }
        assertEquals(orders.subList(1990, 2000), log.readBatch(1990, 50), "a batch still reads what it asks for");
        assertEquals(orders.subList(500, 600), log.readBatch(500, 100));
    }

    private void assertAtMost(long bytes, String what, Supplier<?> read) {
        long before = disk.bytesRead.get();
        read.get();
        long used = disk.bytesRead.get() - before;
        assertTrue(used <= bytes, what + " read " + used + " bytes; it needs at most " + bytes);
    }

    @Test
    void a_segment_cut_short_while_the_log_is_open_reports_the_damage_on_every_read_path() throws IOException {
        FileLog log = open(TopicConfig.defaults().with(TopicConfig.SEGMENT_BYTES, 300).with(TopicConfig.INDEX_INTERVAL_BYTES, 100));
        for (int i = 0; i < 20; i++) {
            log.append(order(i));
        }
        int last = (int) log.segments().get(0).nextOffset() - 1; // segment 0 is sealed and holds 0..last
        long cut = Damage.positionOfOrder(last);
        Damage.truncate(log.directory().resolve("00000000000000000000.log"), cut); // its last record is gone

        for (Supplier<?> read : List.<Supplier<?>>of(() -> log.read(last), () -> log.readBatch(last, 10),
                () -> log.fetch(last, ByteBuffer.allocate(4096)), () -> log.locate(last))) {
            CorruptRecordException error = assertThrows(CorruptRecordException.class, read::get,
                    "never an empty answer or an IndexOutOfBoundsException");
            assertEquals("00000000000000000000.log", error.segment());
            assertEquals(cut, error.position(), "where the file ends");
            assertTrue(error.reason().endsWith("it was cut short while in use"), error.reason());
        }
        assertEquals(order(last - 1), log.read(last - 1), "the records before the cut still read");
        assertEquals(order(last + 1), log.read(last + 1), "and so do other segments");
    }
}

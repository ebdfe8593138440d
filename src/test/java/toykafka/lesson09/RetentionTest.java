package toykafka.lesson09;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.lesson08.TestRecords.START;
import static toykafka.lesson08.TestRecords.order;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.archive.Archive;
import toykafka.archive.ArchivedEvent;
import toykafka.clock.ManualClock;
import toykafka.common.Record;
import toykafka.common.CorruptRecordException;
import toykafka.common.TopicConfig;
import toykafka.testing.FileLogs;
import toykafka.testing.TempFileLogs;
import toykafka.lesson08.SegmentInfo;
import toykafka.lesson08.Damage;

/** Retention when the archive fails, when a segment is damaged, and while others use the log. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RetentionTest {

    private static final TopicConfig SMALL = TopicConfig.defaults().with(TopicConfig.SEGMENT_BYTES, 300).with(TopicConfig.INDEX_INTERVAL_BYTES, 100)
            .with(TopicConfig.RETENTION_MS, Duration.ofMinutes(1).toMillis());

    @TempFileLogs
    FileLogs logs;
    private final ManualClock clock = new ManualClock(START);
    private final List<ArchivedEvent> archived = Collections.synchronizedList(new ArrayList<>());

    private FileLog open(TopicConfig config, Archive archive) {
        return logs.open(dir -> FileLog.open(dir, "orders", 0, config, clock, archive));
    }

    private List<Long> archivedOffsets() {
        return archived.stream().map(ArchivedEvent::offset).toList();
    }

    @Test
    void after_the_archive_fails_partway_the_next_pass_goes_on_and_sends_no_row_twice() {
        int count = 2 * Retention.ARCHIVE_CHUNK + 5; // three chunks, all in one segment
        boolean[] failOnce = {true};
        FileLog log = open(TopicConfig.defaults().with(TopicConfig.RETENTION_MS, Duration.ofMinutes(1).toMillis()), rows -> {
            if (!archived.isEmpty() && failOnce[0]) { // the first chunk goes in, the second is refused
                failOnce[0] = false;
                throw new UncheckedIOException(new IOException("disk full"));
            }
            archived.addAll(rows);
        });
        List<Record> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batch.add(Record.of("till-" + i % 3, "order-" + i, START)); // all stamped at the start, so all expire
            if (batch.size() == 1000 || i == count - 1) {
                log.appendAll(batch);
                batch.clear();
            }
        }
        clock.advance(Duration.ofHours(1));

        UncheckedIOException error = assertThrows(UncheckedIOException.class, log::applyRetention);

        assertEquals("the archive refused records 10000..19999 of 00000000000000000000.log, so the segment stays,"
                + " and the next retention pass goes on from offset 10000: UncheckedIOException: java.io.IOException:"
                + " disk full", error.getCause().getMessage());
        assertEquals(0, log.earliest(), "the segment stays until all of it is archived");
        assertEquals("order-0", log.read(0).valueText());

        assertEquals(1, log.applyRetention().size(), "the next pass finishes the job");
        assertEquals(LongStream.range(0, count).boxed().toList(), archivedOffsets(), "every record, each once");
        assertEquals(count, log.earliest());
    }

    @Test
    void a_damaged_expired_segment_is_archived_as_far_as_it_can_be_read_moved_aside_and_reported_once()
            throws IOException {
        FileLog first = open(SMALL, archived::addAll);
        for (int i = 0; i < 20; i++) {
            first.append(order(i));
        }
        first.close();
        Path dir = first.directory();
        FileLog log = open(SMALL, archived::addAll);
        Damage.flipByte(dir.resolve("00000000000000000000.log"), Damage.positionOfOrder(1) + 30); // while it runs
        clock.advance(Duration.ofHours(1));

        CorruptRecordException error = assertThrows(CorruptRecordException.class, log::applyRetention);

        assertEquals("00000000000000000000.log", error.segment());
        assertEquals(Damage.positionOfOrder(1), error.position());
        assertTrue(error.reason().startsWith("CRC-32C mismatch"), error.reason());
        assertTrue(error.reason().endsWith("; retention archived every record of the segment it could read, then moved"
                + " its files aside (renamed to end in .damaged) rather than keep an expired segment for ever; the"
                + " records it could not read are not in the archive"), error.reason());
        List<Long> expected = new ArrayList<>(List.of(0L)); // record 1 is damaged; reading goes on at the next index entry
        LongStream.range(2, 20).forEach(expected::add);
        assertEquals(expected, archivedOffsets(), "every readable record went to the archive");
        assertTrue(Files.exists(dir.resolve("00000000000000000000.log.damaged")), "the bytes are kept for a person");
        assertFalse(Files.exists(dir.resolve("00000000000000000000.log")));
        assertEquals(20, log.earliest(), "every expired segment left the log, the damaged one too");

        assertEquals(List.of(), log.applyRetention(), "the next pass has nothing to do, and does not throw");
        log.close();
        assertEquals(20, open(SMALL, archived::addAll).earliest(), "a reopened log does not see the moved files");
    }

    @Test
    void appends_and_reads_go_on_while_retention_writes_the_archive() throws Exception {
        CountDownLatch archiving = new CountDownLatch(1);
        CountDownLatch mayFinish = new CountDownLatch(1);
        FileLog log = open(SMALL, rows -> {
            archiving.countDown();
            try {
                if (!mayFinish.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never let the archive finish");
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            archived.addAll(rows);
        });
        for (int i = 0; i < 20; i++) {
            log.append(order(i));
        }
        clock.advance(Duration.ofMinutes(1).plusSeconds(10)); // records up to +9 s have expired
        CompletableFuture<List<SegmentInfo>> retention = CompletableFuture.supplyAsync(log::applyRetention);
        assertTrue(archiving.await(10, TimeUnit.SECONDS), "retention is writing the archive");

        CompletableFuture<Record> meanwhile = CompletableFuture.supplyAsync(() -> {
            log.append(order(20));
            log.read(0); // the segment being archived can still be read
            return log.read(20);
        });
        assertEquals(order(20), meanwhile.get(10, TimeUnit.SECONDS), "the log's lock is free while archiving");

        mayFinish.countDown();
        assertFalse(retention.get(10, TimeUnit.SECONDS).isEmpty());
        assertEquals(archived.size(), log.earliest(), "what was archived is what left the log");
    }
}

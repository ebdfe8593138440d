package toykafka.lesson09;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.lesson08.TestRecords.order;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.common.CorruptRecordException;
import toykafka.common.TopicConfig;
import toykafka.lesson08.Location;
import toykafka.lesson08.Damage;

/**
 * How opening tells a torn tail, which it cuts, from damage, which it refuses: by what follows the bad batch,
 * and by the offsets a batch may hold where the segment after it begins.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TornTailOrDamageTest {

    @TempDir
    Path dataDir;

    @Test
    void an_intact_batch_of_older_offsets_after_a_bad_last_batch_is_no_record_to_keep_so_the_tail_is_cut()
            throws IOException {
        FileLog crashed = FileLog.open(dataDir, "orders", 0, TopicConfig.defaults());
        for (int i = 0; i < 10; i++) {
            crashed.append(order(i));
        }
        Location third = crashed.locate(3);
        Location fourth = crashed.locate(4);
        Location last = crashed.locate(9);
        crashed.simulateCrash();
        Path segment = crashed.directory().resolve(last.segment());
        byte[] bytes = Files.readAllBytes(segment);
        byte[] olderBatch = Arrays.copyOfRange(bytes, (int) third.position(), (int) fourth.position());
        Damage.flipByte(segment, bytes.length - 1); // the last batch's CRC no longer matches
        Damage.append(segment, olderBatch); // a whole batch, but of offsets the log already holds

        try (FileLog log = FileLog.open(dataDir, "orders", 0, TopicConfig.defaults())) {
            assertTrue(log.recoveryReport().truncated(), log.recoveryReport().toString());
            assertEquals(9, log.endOffset());
            for (int i = 0; i < 9; i++) {
                assertEquals(order(i), log.read(i));
            }
        }
    }

    @Test
    void a_batch_of_a_cleaned_log_reaching_into_the_next_segment_is_refused_at_that_batch() throws IOException {
        TopicConfig small = TopicConfig.defaults().with(TopicConfig.INDEX_INTERVAL_BYTES, 100)
                .with(TopicConfig.SEGMENT_BYTES, 300);
        FileLog first = FileLog.open(dataDir, "orders", 0, small);
        for (int i = 0; i < 30; i++) {
            first.append(order(i));
        }
        long second = first.segments().get(1).baseOffset();
        Location lastOfFirst = first.locate(second - 1);
        first.close();
        Path dir = first.directory();
        Checkpoints.writeCleanerCheckpoint(dir, 0); // gaps allowed: only the next segment's base bounds it
        Damage.flipByte(dir.resolve(lastOfFirst.segment()), lastOfFirst.position() + 2); // base offset + 2^40

        CorruptRecordException refused = assertThrows(CorruptRecordException.class,
                () -> FileLog.open(dataDir, "orders", 0, small));

        assertEquals(lastOfFirst.segment(), refused.segment(), refused.getMessage());
        assertEquals(lastOfFirst.position(), refused.position(), "the batch itself, not the segment's end: "
                + refused.getMessage());
    }
}

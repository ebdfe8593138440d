package toykafka.lesson09;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.common.CorruptRecordException;
import toykafka.common.TopicConfig;
import toykafka.lesson08.DiskFile;
import toykafka.lesson08.PartitionDirectory;
import toykafka.lesson08.FaultyDisk;
import toykafka.testing.FileLogs;
import toykafka.testing.TempFileLogs;

/**
 * An open that fails part way closes the segments it had opened, and a close that fails then is not lost: it is
 * added to the failure the open throws, which stays the one reported.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RefusedOpenClosesSegmentsTest {

    private static final TopicConfig SMALL = TopicConfig.defaults().with(TopicConfig.SEGMENT_BYTES, 300);

    @TempFileLogs
    FileLogs logs;

    @Test
    void a_failed_close_of_an_opened_segment_is_added_to_the_failure_that_stopped_the_open() throws IOException {
        Path dir = ClosedLogs.ordersWith(logs, 30, SMALL);
        List<Long> bases = PartitionDirectory.segmentBaseOffsets(dir);
        FaultyDisk disk = new FaultyDisk();
        disk.refuseToOpen = PartitionDirectory.fileName(bases.get(1), "log"); // the first segment opens, whole
        disk.closeFailure = "the disk went away";

        IOException error = assertThrows(IOException.class,
                () -> Recovery.load(dir, 4096, disk.opener(), false));

        assertEquals("refused to open " + disk.refuseToOpen + ", as the test asked", error.getMessage());
        assertEquals(1, error.getSuppressed().length, "the one segment opened failed to close");
        assertEquals("the disk went away", error.getSuppressed()[0].getMessage());
        assertEquals(3, disk.channels.size(), "the first segment's three files, and no more");
        assertEquals(0, disk.openChannels(), "every file is closed all the same");
    }

    @Test
    void an_open_refused_for_a_log_start_past_the_log_s_end_leaves_no_file_open() throws IOException {
        Path dir = ClosedLogs.ordersWith(logs, 30, SMALL);
        Checkpoints.writeLogStartOffset(dir, 31); // records were deleted past the end: segments are missing
        FaultyDisk disk = new FaultyDisk();

        IOException error = assertThrows(IOException.class, () -> Recovery.load(dir, 4096, disk.opener(), false));

        assertTrue(error.getMessage().contains("segments are missing"), error.getMessage());
        assertTrue(disk.channels.size() > 3, "every segment was opened before the check");
        assertEquals(0, disk.openChannels(), "and every one closed after it");
    }

    @Test
    void junk_between_batches_is_damage_when_its_length_field_leads_to_the_next_records() throws IOException {
        Path dir = ClosedLogs.ordersWith(logs, 10, TopicConfig.defaults());
        Path file = dir.resolve(PartitionDirectory.fileName(0, "log"));
        byte[] bytes = Files.readAllBytes(file);
        int fifth = 0; // where offset 5 starts: after five one-record batches
        for (int i = 0; i < 5; i++) {
            fifth += 12 + ByteBuffer.wrap(bytes, fifth + 8, 4).getInt();
        }
        // 12 bytes of header whose length field spans 20 bytes of junk, then offsets 5 to 9 as they were
        ByteBuffer junk = ByteBuffer.allocate(32).putLong(5).putInt(20);
        ByteBuffer changed = ByteBuffer.allocate(bytes.length + 32).put(bytes, 0, fifth).put(junk.array())
                .put(bytes, fifth, bytes.length - fifth);
        Files.write(file, changed.array());
        Files.delete(dir.resolve(DirectoryClaim.CLEAN_SHUTDOWN)); // a crash: the newest segment is read

        CorruptRecordException refused = assertThrows(CorruptRecordException.class,
                () -> Recovery.load(dir, 4096, DiskFile.Opener.DEFAULT, false));

        assertTrue(refused.getMessage().contains("good records follow it"), refused.getMessage());
        assertEquals(changed.capacity(), Files.size(file), "records 5 to 9 may have been acknowledged: nothing is cut");
    }
}

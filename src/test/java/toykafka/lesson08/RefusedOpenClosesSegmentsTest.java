package toykafka.lesson08;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.lesson08.TestRecords.order;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.common.TopicConfig;

/**
 * An open that fails part way closes the segments it had opened, and a close that fails then is not lost: it is
 * added to the failure the open throws, which stays the one reported.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RefusedOpenClosesSegmentsTest {

    private static final TopicConfig SMALL = TopicConfig.defaults().with(TopicConfig.SEGMENT_BYTES, 300);

    @TempDir
    Path dataDir;

    @Test
    void a_failed_close_of_an_opened_segment_is_added_to_the_failure_that_stopped_the_open() throws IOException {
        Path dir;
        try (FileLog log = FileLog.open(dataDir, "orders", 0, SMALL)) {
            for (int i = 0; i < 30; i++) {
                log.append(order(i));
            }
            dir = log.directory();
        }
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
}

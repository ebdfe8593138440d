package toykafka.lesson08;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A segment deleted or moved aside lets its files go: a removed segment must not keep descriptors, nor disk space,
 * until the process ends.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SegmentRemovalClosesFilesTest {

    @TempDir
    Path dir;
    private final FaultyDisk disk = new FaultyDisk();

    private Segment segmentWith(int count) throws IOException {
        Segment segment = disk.segmentOfOrders(dir, count);
        segment.flush();
        return segment;
    }

    @Test
    void deleting_a_segment_closes_its_three_files() throws IOException {
        Segment segment = segmentWith(5);

        segment.delete();

        assertEquals(0, disk.openChannels());
        assertFalse(Files.exists(dir.resolve(PartitionDirectory.fileName(0, "log"))));
    }

    @Test
    void moving_a_segment_aside_closes_its_three_files() throws IOException {
        Segment segment = segmentWith(5);

        segment.moveAside();

        assertEquals(0, disk.openChannels());
        assertTrue(Files.exists(dir.resolve(PartitionDirectory.fileName(0, "log") + ".damaged")));
    }
}

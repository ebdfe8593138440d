package toykafka.lesson08;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.common.RecordLog;
import toykafka.common.TopicConfig;

/** Lesson 8's log keeps the record log contract on its own, with segments small enough that the tests cross several. */
class LocalLogTest extends RecordLogContract {

    @TempDir
    Path dataDir;
    private int logs;

    @Override
    protected RecordLog newLog(TopicConfig config) {
        return LocalLog.create(dataDir, "contract", logs++, config.with(TopicConfig.SEGMENT_BYTES, 256)
                .with(TopicConfig.INDEX_INTERVAL_BYTES, 64));
    }

    @Test
    void create_refuses_a_directory_that_holds_segments_and_leaves_them_as_they_were() throws Exception {
        LocalLog first = LocalLog.create(dataDir, "kept", 0, TopicConfig.defaults());
        first.append(TestRecords.order(1));
        first.close();
        Path segment = dataDir.resolve("kept-0").resolve(PartitionDirectory.fileName(0, "log"));
        long bytes = Files.size(segment);

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> LocalLog.create(dataDir, "kept", 0, TopicConfig.defaults()));
        assertTrue(refused.getMessage().contains("holds 1 segment(s) already"), refused.getMessage());
        assertTrue(refused.getMessage().contains("FileLog.open"), refused.getMessage());
        assertEquals(bytes, Files.size(segment), "a refused create writes nothing");
        assertEquals(List.of(0L), PartitionDirectory.segmentBaseOffsets(dataDir.resolve("kept-0")));
    }
}

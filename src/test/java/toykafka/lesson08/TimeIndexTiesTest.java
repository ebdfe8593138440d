package toykafka.lesson08;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static toykafka.lesson08.TestRecords.valued;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.common.RecordRules;

/** Batches stamped alike: the time index names the first that holds the newest timestamp, as Kafka's does. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TimeIndexTiesTest {

    @TempDir
    Path dir;
    private final FaultyDisk disk = new FaultyDisk();

    @Test
    void the_time_index_names_the_first_batch_that_holds_the_newest_timestamp() throws IOException {
        try (Segment segment = Segment.create(dir, 0, 100, disk.opener())) {
            for (int i = 0; i < 3; i++) { // three batches stamped alike
                segment.append(PreparedAppend.encode(List.of(valued("v" + i, TestRecords.START)), i,
                        RecordRules.defaults()));
            }
            segment.seal();

            TimeIndex times = segment.timeIndex();
            assertEquals(1, times.entries());
            assertEquals(0, times.offset(0), "a lookup by that time must find offset 0, not skip it");
        }
    }
}

package toykafka.lesson08;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;
import toykafka.common.EventLog;
import toykafka.common.MemoryLog;
import toykafka.common.Record;
import toykafka.common.TopicConfig;
import toykafka.lesson01.LogContract;
import toykafka.storage.MemoryBatchLog;
import toykafka.testing.FileLogs;
import toykafka.testing.TempFileLogs;

/** Lesson 1's promises hold for records, in memory, in lesson 8's segments and lesson 9's log alike, and in the broker's memory storage. */
class LogContractOnBothStoresTest {

    /** Small segments and a small index interval, so 1000 appends roll many segments. */
    private static final TopicConfig SMALL_SEGMENTS = TopicConfig.defaults().with(TopicConfig.SEGMENT_BYTES, 4096)
            .with(TopicConfig.INDEX_INTERVAL_BYTES, 256);

    /** Lesson 1's contract over records: event n is order n. */
    abstract class OfRecords extends LogContract<Record> {
        @Override
        protected Record event(int n) {
            return TestRecords.order(n);
        }
    }

    @Nested
    class InMemory extends OfRecords {
        @Override
        protected EventLog<Record> newLog() {
            return new MemoryLog();
        }
    }

    @Nested
    class InMemoryBatches extends OfRecords {
        @Override
        protected EventLog<Record> newLog() {
            return new MemoryBatchLog(TopicConfig.defaults());
        }
    }

    @Nested
    class InSegments extends OfRecords {
        @TempDir
        Path dataDir;
        private final List<LocalLog> created = new ArrayList<>();

        @Override
        protected EventLog<Record> newLog() {
            LocalLog log = LocalLog.create(dataDir, "lesson-1-contract", created.size(), SMALL_SEGMENTS);
            created.add(log);
            return log;
        }

        @AfterEach
        void closeLogs() {
            created.forEach(LocalLog::close);
        }
    }

    @Nested
    class OnDisk extends OfRecords {
        @TempFileLogs
        FileLogs logs;

        @Override
        protected EventLog<Record> newLog() {
            return logs.open("lesson-1-contract", logs.count(), SMALL_SEGMENTS);
        }
    }
}

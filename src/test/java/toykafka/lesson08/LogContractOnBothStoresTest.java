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

    @Nested
    class InMemory extends LogContract<Record> {
        @Override
        protected EventLog<Record> newLog() {
            return new MemoryLog();
        }

        @Override
        protected Record event(int n) {
            return TestRecords.order(n);
        }
    }

    @Nested
    class InMemoryBatches extends LogContract<Record> {
        @Override
        protected EventLog<Record> newLog() {
            return new MemoryBatchLog(TopicConfig.defaults());
        }

        @Override
        protected Record event(int n) {
            return TestRecords.order(n);
        }
    }

    @Nested
    class InSegments extends LogContract<Record> {
        @TempDir
        Path dataDir;
        private final List<LocalLog> created = new ArrayList<>();

        @Override
        protected EventLog<Record> newLog() {
            TopicConfig config = TopicConfig.defaults().with(TopicConfig.SEGMENT_BYTES, 4096).with(TopicConfig.INDEX_INTERVAL_BYTES, 256);
            LocalLog log = LocalLog.create(dataDir, "lesson-1-contract", created.size(), config);
            created.add(log);
            return log;
        }

        @Override
        protected Record event(int n) {
            return TestRecords.order(n);
        }

        @AfterEach
        void closeLogs() {
            created.forEach(LocalLog::close);
        }
    }

    @Nested
    class OnDisk extends LogContract<Record> {
        @TempFileLogs
        FileLogs logs;

        @Override
        protected EventLog<Record> newLog() {
            // small segments and a small index interval, so 1000 appends roll many segments
            TopicConfig config = TopicConfig.defaults().with(TopicConfig.SEGMENT_BYTES, 4096).with(TopicConfig.INDEX_INTERVAL_BYTES, 256);
            return logs.open("lesson-1-contract", logs.count(), config);
        }

        @Override
        protected Record event(int n) {
            return TestRecords.order(n);
        }
    }
}

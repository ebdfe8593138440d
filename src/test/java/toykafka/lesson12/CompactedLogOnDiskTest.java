package toykafka.lesson12;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.io.TempDirFactory;
import toykafka.archive.Archive;
import toykafka.archive.ArchivedEvent;
import toykafka.common.Directories;
import toykafka.common.InvalidRecordException;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.OffsetRecord;
import toykafka.common.Record;
import toykafka.common.RecordRules;
import toykafka.common.TopicConfig;
import toykafka.lesson02.EventAt;
import toykafka.lesson06.CompactedLog;
import toykafka.lesson06.CompactedLogContract;
import toykafka.lesson06.Compaction;
import toykafka.lesson06.CompactionConfig;
import toykafka.lesson09.FileLog;
import toykafka.lesson08.SegmentInfo;
import toykafka.lesson09.SegmentSwap;

/**
 * Lesson 6's compacted-log contract, its 2,000 random streams included, kept by the log cleaner on lesson 8's
 * files. The contract counts segments in offsets, so the log here rolls every {@code segmentSize} offsets; the
 * dirty ratio is the cleaner's own, in bytes, which for the contract's records of equal size is the same share.
 */
class CompactedLogOnDiskTest extends CompactedLogContract {

    /** Keys one pass can map: fewer than the random streams use, so many compactions take several passes. */
    private static final int MAP_KEYS = 3;

    @TempDir(factory = InMemoryWhereTheMachineHasIt.class)
    Path data;
    private final List<FileLog> opened = new ArrayList<>();

    @Override
    protected CompactedLog newLog(String topic, int partition, CompactionConfig config, Clock clock, Archive archive) {
        // The contract plays one log at a time, so the previous one is finished with: free its files.
        closeAll();
        TopicConfig topicConfig = TopicConfig.of(Map.of(
                TopicConfig.CLEANUP_POLICY, "compact",
                TopicConfig.MIN_CLEANABLE_DIRTY_RATIO, String.valueOf(config.minCleanableDirtyRatio()),
                TopicConfig.DELETE_RETENTION_MS, String.valueOf(config.deleteRetention().toMillis()),
                TopicConfig.SEGMENT_BYTES, String.valueOf(Integer.MAX_VALUE), // rolled by offset instead
                TopicConfig.SEGMENT_MS, String.valueOf(Duration.ofDays(365).toMillis())));
        FileLog log = FileLog.open(data.resolve("log-" + opened.size()), topic, partition, topicConfig, clock,
                Archive.discard());
        opened.add(log);
        return new CleanedFileLog(log, topic, partition, config, clock, archive);
    }

    @AfterEach
    void closeAll() {
        for (FileLog log : opened) {
            log.close();
            try {
                Directories.deleteTree(log.directory());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        opened.clear();
    }

    /**
     * Every roll and every cleaning pass forces files to disk, thousands of times over 2,000 streams: over a
     * minute on a real disk, seconds in memory. These tests are about what compaction keeps, not durability
     * (the crash drills are, on the real disk), so they use Linux's memory-backed /dev/shm when it is there.
     */
    static final class InMemoryWhereTheMachineHasIt implements TempDirFactory {
        @Override
        public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext context) throws IOException {
            Path memory = Path.of("/dev/shm");
            if (Files.isDirectory(memory) && Files.isWritable(memory)) {
                return Files.createTempDirectory(memory, "toykafka-compacted-");
            }
            return Files.createTempDirectory("toykafka-compacted-");
        }
    }

    /** Lesson 6's interface over a file log, compacted by {@link LogCleaner} in as many passes as its map needs. */
    private static final class CleanedFileLog implements CompactedLog {
        private final FileLog log;
        private final String topic;
        private final int partition;
        private final CompactionConfig config;
        private final Clock clock;
        private final Archive archive;
        private final List<Long> removed = new ArrayList<>();
        private final LogCleaner cleaner;

        CleanedFileLog(FileLog log, String topic, int partition, CompactionConfig config, Clock clock, Archive archive) {
            this.log = log;
            this.topic = topic;
            this.partition = partition;
            this.config = config;
            this.clock = clock;
            this.archive = archive;
            this.cleaner = new LogCleaner(new OffsetMap(OffsetMap.BYTES_PER_KEY * (MAP_KEYS + 1)), this::archive, clock);
        }

        /** Passes the rows on, and notes their offsets only once the archive has taken them. */
        private void archive(List<ArchivedEvent> rows) {
            archive.append(rows);
            rows.forEach(row -> removed.add(row.offset()));
        }

        @Override
        public long append(Record record) {
            Objects.requireNonNull(record, "a record must not be null");
            try {
                RecordRules.of(log.config()).check(List.of(record));
            } catch (InvalidRecordException refused) {
                throw new IllegalArgumentException(refused.getMessage(), refused); // lesson 6 refuses it this way
            }
            if (log.endOffset() > 0 && log.endOffset() % config.segmentSize() == 0) {
                log.roll();
            }
            return log.append(record);
        }

        @Override
        public Record read(long offsetOrIndex) {
            return log.read(offsetOrIndex);
        }

        @Override
        public Optional<EventAt<Record>> readFrom(long offset) {
            if (offset < earliest() || offset > endOffset()) {
                throw new OffsetOutOfRangeException("offset " + offset + " is out of range: readFrom accepts offsets "
                        + earliest() + ".." + endOffset() + " (" + endOffset() + " is the end, where nothing is yet)",
                        offset, earliest(), endOffset());
            }
            List<OffsetRecord> next = offset == endOffset() ? List.of() : log.readBatchWithOffsets(offset, 1);
            return next.stream().findFirst().map(found -> new EventAt<>(found.offset(), found.record()));
        }

        @Override
        public long size() {
            return fetch(earliest(), Integer.MAX_VALUE).size();
        }

        @Override
        public long earliest() {
            return log.earliest();
        }

        @Override
        public long endOffset() {
            return log.endOffset();
        }

        @Override
        public CompactionConfig config() {
            return config;
        }

        @Override
        public long activeSegmentStart() {
            List<SegmentInfo> segments = log.segments();
            return segments.get(segments.size() - 1).baseOffset();
        }

        @Override
        public long cleanedUpTo() {
            return SegmentSwap.cleanedUpTo(log);
        }

        @Override
        public double dirtyRatio() {
            return CleaningPlan.of(log.segments(), SegmentSwap.cleanedUpTo(log), clock.instant(), log.config()).dirtyRatio();
        }

        @Override
        public Compaction compact() {
            removed.clear();
            LogCleaner.Pass pass;
            do {
                pass = cleaner.clean(log, topic, partition, true);
            } while (!pass.finished());
            return new Compaction(removed.stream().sorted().toList(), SegmentSwap.cleanedUpTo(log));
        }
    }
}

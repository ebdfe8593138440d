package toykafka.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.archive.Archive;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.RecordBatch;
import toykafka.common.TopicConfig;
import toykafka.lesson09.FileLog;
import toykafka.lesson08.IndexEntry;
import toykafka.lesson08.SegmentInfo;
import toykafka.storage.producers.AbortedTxn;

/** Both of the broker's logs keep the batch log contract; only the log on files has segments to show and clean. */
class BatchLogContractTest {

    @Nested
    class InMemory extends BatchLogContract {
        @Override
        protected BatchLog newLog(TopicConfig config) {
            return new MemoryBatchLog(config, clock);
        }

        @Test
        void has_no_segment_files_to_show_clean_or_keep_an_aborted_transaction_index_beside() {
            BatchLog log = log();
            appendThreeBatches(log, START);
            assertTrue(log.read(0, 4096, true, null, true).slices().isEmpty(), "no files to send slices of");
            appendTransactional(log, "soup");
            endTransaction(log, false);
            assertEquals(1, log.abortedOverlapping(0, log.endOffset()).size(), "its producer state remembers the abort");
            assertTrue(log.segmentFiles().isEmpty(), "no segments, indexes or cleaning in memory");
        }
    }

    @Nested
    class OnFiles extends BatchLogContract {
        @TempDir
        Path dataDir;
        private int partitions;

        @Override
        protected BatchLog newLog(TopicConfig config) {
            return new FileBatchLog(FileLog.open(dataDir, "contract", partitions++, config, clock, Archive.discard()));
        }

        @Test
        void shows_its_segments_and_their_index_and_lets_the_cleaner_rewrite_them() {
            TopicConfig small = TopicConfig.defaults().with(TopicConfig.SEGMENT_BYTES, 200)
                    .with(TopicConfig.INDEX_INTERVAL_BYTES, 1);
            BatchLog log = log(small);
            for (int n = 0; n < 6; n++) {
                appendThreeBatches(log, START);
            }
            SegmentFiles files = log.segmentFiles().orElseThrow();
            List<SegmentInfo> segments = files.segments();
            assertTrue(segments.size() > 1, "small segments roll: " + segments);
            assertEquals(0, segments.get(0).baseOffset());
            SegmentInfo second = segments.get(1);
            assertEquals(second.baseOffset(), files.segmentBaseOffset(second.baseOffset()));
            assertEquals(0, files.segmentBaseOffset(1));
            assertEquals(segments.get(segments.size() - 1).baseOffset(), files.segmentBaseOffset(-1),
                    "a negative index counts from the end");
            assertThrows(OffsetOutOfRangeException.class, () -> files.segmentBaseOffset(log.endOffset()),
                    "an offset not held");
            ((FileBatchLog) log).files().flush(); // the index reaches its file at a flush
            List<IndexEntry> entries = files.indexEntries(0);
            assertFalse(entries.isEmpty(), "an entry per batch at an index interval of 1 byte");
            assertEquals(files.segments().get(0).indexEntries(), entries.size(), "as many as the segment says it has");
            IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> files.indexEntries(7777));
            assertTrue(none.getMessage().contains("no segment with base offset 7777"), none.getMessage());
            assertEquals("cleaned " + ((FileBatchLog) log).files().directory().getFileName(),
                    files.cleanWith(segmentFiles -> "cleaned " + segmentFiles.directory().getFileName()),
                    "the cleaner is handed the segment files and its report comes back");
            assertFalse(log.read(0, 4096, true, null, true).slices().isEmpty(), "slices of the segment files");
        }

        @Test
        void a_bounded_read_ends_before_its_bound_whichever_segment_holds_it() {
            BatchLog log = log(TopicConfig.defaults().with(TopicConfig.SEGMENT_BYTES, 200));
            for (int n = 0; n < 6; n++) {
                appendThreeBatches(log, START);
            }
            assertTrue(log.segmentFiles().orElseThrow().segments().size() > 2, "bounds in several segments");
            List<RecordBatch> all = batchesOf(log.read(0, 1 << 20, true, null, false));
            for (long bound = 0; bound <= log.endOffset(); bound++) {
                long upTo = bound;
                List<Long> below = all.stream().filter(batch -> batch.lastOffset() < upTo)
                        .map(RecordBatch::baseOffset).toList();
                for (boolean asSlices : new boolean[] {false, true}) {
                    StoredBatches read = log.read(0, bound, 1 << 20, true, null, asSlices);
                    assertEquals(below, batchesOf(read).stream().map(RecordBatch::baseOffset).toList(),
                            "bound " + bound + ", asSlices=" + asSlices);
                }
            }
        }

        @Test
        void writes_an_abort_its_producers_see_into_the_index_beside_the_marker_for_kafkas_tools() {
            BatchLog log = log();
            appendTransactional(log, "soup");
            long marker = endTransaction(log, false);
            assertEquals(List.of(new AbortedTxn(7, 0, marker, marker + 1)),
                    log.segmentFiles().orElseThrow().indexedAborted());
        }

        @Test
        void keeps_each_abort_in_the_index_of_the_segment_holding_its_marker_and_rewrites_them_whole() {
            BatchLog log = log(TopicConfig.defaults().with(TopicConfig.SEGMENT_BYTES, 200));
            for (int n = 0; n < 6; n++) {
                appendThreeBatches(log, START);
            }
            SegmentFiles files = log.segmentFiles().orElseThrow();
            long second = files.segments().get(1).baseOffset();
            AbortedTxn inFirst = new AbortedTxn(7, 0, 1, 2);
            AbortedTxn inSecond = new AbortedTxn(8, second, second + 1, second + 2);
            TransactionIndexFiles index = new TransactionIndexFiles(((FileBatchLog) log).files());
            index.add(inFirst);
            index.add(inSecond);
            assertEquals(List.of(inFirst, inSecond), files.indexedAborted());
            Path dir = ((FileBatchLog) log).files().directory();
            assertTrue(Files.exists(TransactionIndex.file(dir, second)), "beside the second segment");

            index.rewrite(List.of(inSecond), Long.MAX_VALUE);
            assertEquals(List.of(inSecond), files.indexedAborted(), "the first segment's entry is gone with the rebuild");
            assertFalse(Files.exists(TransactionIndex.file(dir, 0)), "no file for a segment with no abort");
            index.rewrite(List.of(), second);
            assertEquals(List.of(inSecond), files.indexedAborted(), "segments from the bound on are left alone");
        }
    }
}

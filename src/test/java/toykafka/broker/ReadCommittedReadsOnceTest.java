package toykafka.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.archive.Archive;
import toykafka.broker.stats.BrokerStats;
import toykafka.clock.ManualClock;
import toykafka.common.ControlRecord;
import toykafka.common.FetchedBatches;
import toykafka.common.ForwardingRecordLog;
import toykafka.common.MemoryStorage;
import toykafka.common.OffsetRecord;
import toykafka.common.ProducerBatches;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.TopicConfig;
import toykafka.common.TopicPartition;
import toykafka.lesson04.BrokerSettings;
import toykafka.lesson04.TopicRegistry;
import toykafka.lesson08.FileSlice;
import toykafka.lesson09.FileLog;
import toykafka.storage.BatchLog;
import toykafka.storage.BatchLogStorage;
import toykafka.storage.FileBatchLog;
import toykafka.storage.SegmentFiles;
import toykafka.storage.StoredBatches;
import toykafka.storage.producers.AppendOrigin;
import toykafka.storage.producers.ProducerStateManager;

/**
 * A {@code read_committed} fetch past the last stable offset reads the log once, bounded there, and sends what it
 * read as slices of the segment files like any other fetch, with the aborted transactions of that same read.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReadCommittedReadsOnceTest {

    private static final Instant NOON = Instant.parse("2024-05-01T12:00:00Z");
    private static final TopicPartition ORDERS = new TopicPartition("orders", 0);
    private static final long TILL = 7;
    private static final long KITCHEN = 8;

    @TempDir
    Path dataDir;
    private final ManualClock clock = new ManualClock(NOON);
    private CountingLog log;

    @AfterEach
    void close() {
        if (log != null) {
            log.close();
        }
    }

    /** A partition's log on files that counts the reads the data path makes of it. */
    private static final class CountingLog extends ForwardingRecordLog implements BatchLog {
        private final BatchLog log;
        final List<Long> readsUpTo = new ArrayList<>();

        CountingLog(BatchLog log) {
            super(log);
            this.log = log;
        }

        @Override
        public StoredBatches read(long fromOffset, long upTo, int room, boolean wholeBatchAnyway, ByteBuffer region,
                                  boolean asFileSlices) {
            readsUpTo.add(upTo);
            return log.read(fromOffset, upTo, room, wholeBatchAnyway, region, asFileSlices);
        }

        @Override
        public long appendBatches(ByteBuffer batches) {
            return log.appendBatches(batches);
        }

        @Override
        public FetchedBatches fetch(long fromOffset, ByteBuffer into) {
            return log.fetch(fromOffset, into);
        }

        @Override
        public ProducerStateManager producerState() {
            return log.producerState();
        }

        @Override
        public long deleteRecordsBefore(long before) {
            return log.deleteRecordsBefore(before);
        }

        @Override
        public Optional<OffsetRecord> recordWithMaxTimestamp() {
            return log.recordWithMaxTimestamp();
        }

        @Override
        public long sizeInBytes() {
            return log.sizeInBytes();
        }

        @Override
        public Retained applyRetention() {
            return log.applyRetention();
        }

        @Override
        public Optional<SegmentFiles> segmentFiles() {
            return log.segmentFiles();
        }
    }

    /** The data path's reads over the one counting log. */
    private PartitionReads reads() {
        log = new CountingLog(new FileBatchLog(FileLog.open(dataDir, ORDERS.topic(), ORDERS.partition(),
                TopicConfig.defaults(), clock, Archive.discard())));
        BatchLogStorage storage = new CountingStorage(log);
        OpenLogs logs = new OpenLogs(storage);
        logs.openLog(ORDERS, TopicConfig.defaults());
        return new PartitionReads(new TopicRegistry(BrokerSettings.STRICT, clock), logs, new BrokerStats(topic -> true));
    }

    private static final class CountingStorage extends MemoryStorage implements BatchLogStorage {
        private final BatchLog log;

        CountingStorage(BatchLog log) {
            this.log = log;
        }

        @Override
        public BatchLog openLog(TopicPartition partition, TopicConfig config) {
            return log;
        }

        @Override
        public List<BatchLog> openBatchLogs(List<TopicPartition> partitions, Map<String, TopicConfig> configs) {
            return List.of(log);
        }
    }

    private void plain(String value) {
        log.appendBatches(ProducerBatches.plain(Record.of("till", value, NOON)));
    }

    private void transactional(long producerId, String value) {
        log.appendAsLeader(ORDERS, ProducerBatches.transactional(producerId, (short) 0, 0,
                Record.of("till", value, NOON)), AppendOrigin.CLIENT);
    }

    private void abort(long producerId) {
        log.appendAsLeader(ORDERS, new ControlRecord(false, 0).batch(producerId, (short) 0, NOON).buffer(),
                AppendOrigin.COORDINATOR);
    }

    @Test
    void a_read_committed_fetch_past_the_last_stable_offset_reads_the_log_once_and_sends_slices() throws IOException {
        PartitionReads reads = reads();
        plain("soup");                 // 0
        transactional(TILL, "stew");   // 1
        abort(TILL);                   // 2
        plain("bread");                // 3
        transactional(KITCHEN, "pie"); // 4: open, the last stable offset
        plain("tea");                  // 5
        log.readsUpTo.clear();

        FetchParams params = new FetchParams(Duration.ZERO, 1, 1 << 20,
                List.of(new FetchPartition(ORDERS, 0, 1 << 20)), true);
        PartitionData data = reads.read(params, null, PartitionReads.Form.FILE_SLICES).partitions().get(ORDERS);

        assertEquals(List.of(4L), log.readsUpTo, "one read of the log, bounded at the last stable offset");
        assertEquals(4, data.lastStableOffset());
        assertEquals(4, data.batches().nextOffset());
        assertFalse(data.slices().isEmpty(), "sent from the segment file, like any fetch");
        assertEquals(List.of(0L, 1L, 2L, 3L), baseOffsets(data.slices()));
        assertEquals(List.of(new AbortedTransaction(TILL, 1)), data.abortedTransactions());
        assertEquals(6, data.highWatermark());
    }

    /** The base offsets of the batches the slices hold, as a front end would send them. */
    private static List<Long> baseOffsets(List<FileSlice> slices) throws IOException {
        List<Long> offsets = new ArrayList<>();
        for (FileSlice slice : slices) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (WritableByteChannel sink = Channels.newChannel(out)) {
                for (long sent = 0; sent < slice.bytes(); ) {
                    sent += slice.transferOnce(sent, sink);
                }
            }
            RecordBatch.wrapAll(ByteBuffer.wrap(out.toByteArray())).forEach(batch -> offsets.add(batch.baseOffset()));
        }
        return offsets;
    }
}

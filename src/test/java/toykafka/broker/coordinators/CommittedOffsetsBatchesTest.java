package toykafka.broker.coordinators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.txn.MarkerWriter;
import toykafka.common.Record;
import toykafka.common.RecordBatchSize;
import toykafka.common.TopicConfig;
import toykafka.common.OffsetAndMetadata;
import toykafka.common.TopicPartition;
import toykafka.storage.MemoryBatchLog;

/**
 * A commit too large for one batch of {@code __consumer_offsets} is written in as few batches as the topic's
 * {@code max.message.bytes} allows, each within it, the records in the commit's order.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CommittedOffsetsBatchesTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    /** Keeps each batch the coordinator appends, and appends nothing. */
    private static final class RecordingWriter implements PartitionWriter {
        final List<List<Record>> batches = new ArrayList<>();

        @Override
        public long append(TopicPartition partition, List<Record> records) {
            batches.add(List.copyOf(records));
            return batches.size();
        }

        @Override
        public long appendTransactional(TopicPartition partition, long producerId, short epoch, List<Record> records) {
            throw new AssertionError("no transaction here");
        }

        @Override
        public MarkerWriter.Written writeMarker(TopicPartition partition, long producerId, short epoch,
                                                boolean commit) {
            throw new AssertionError("no transaction here");
        }
    }

    private static List<List<Record>> commit(int maxMessageBytes, int partitions) {
        MemoryBatchLog log = new MemoryBatchLog(TopicConfig.defaults().with(TopicConfig.MAX_MESSAGE_BYTES,
                maxMessageBytes));
        RecordingWriter writer = new RecordingWriter();
        Map<TopicPartition, OffsetAndMetadata> committed = new TreeMap<>();
        for (int p = 0; p < partitions; p++) {
            committed.put(new TopicPartition("orders", p), new OffsetAndMetadata(1_000L + p, 0,
                    "till " + (char) ('a' + p % 26)));
        }
        new CommittedOffsets(CLOCK, partition -> log, writer).write("kitchen", "m", 1, committed);
        return writer.batches;
    }

    @Test
    void a_commit_larger_than_max_message_bytes_is_split_into_full_batches_in_order() {
        List<Record> all = commit(1_000_000, 40).get(0);
        assertEquals(40, all.size(), "one batch while it fits");
        // every record here encodes to the same size; leave room for ten, each with two bytes to spare for its
        // offset delta, as the writer does
        long recordSize = RecordBatchSize.of(List.of(all.get(0))) - RecordBatchSize.BATCH_OVERHEAD;
        int limit = (int) (RecordBatchSize.BATCH_OVERHEAD + 10 * (recordSize + 2));

        List<List<Record>> batches = commit(limit, 40);
        assertEquals(List.of(10, 10, 10, 10), batches.stream().map(List::size).toList(),
                "as many records as fit in each batch, with a limit of " + limit + " bytes");
        List<Record> joined = batches.stream().flatMap(List::stream).toList();
        for (int i = 0; i < all.size(); i++) {
            assertTrue(Arrays.equals(all.get(i).key(), joined.get(i).key()), "record " + i + " in the commit's order");
        }
        for (List<Record> batch : batches) {
            assertTrue(RecordBatchSize.of(batch) <= limit, "a batch within max.message.bytes: "
                    + RecordBatchSize.of(batch) + " of " + limit);
        }
    }
}

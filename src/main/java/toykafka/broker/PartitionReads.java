package toykafka.broker;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import toykafka.broker.Partitions.FetchParams;
import toykafka.broker.Partitions.FetchPartition;
import toykafka.broker.Partitions.PartitionData;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.OffsetRange;
import toykafka.common.RecordBatch;
import toykafka.common.TopicName;
import toykafka.common.TopicPartition;
import toykafka.common.UnknownTopicOrPartitionException;
import toykafka.lesson04.TopicRegistry;
import toykafka.lesson08.FetchedBatches;
import toykafka.lesson08.FileLog;

/**
 * One read of many partitions' logs, now, within its byte bounds: what {@link Partitions#read} does each
 * time it looks, before and after any waiting. Kafka calls this {@code ReplicaManager.readFromLocalLog}.
 */
final class PartitionReads {

    private final TopicRegistry topics;
    private final OpenLogs logs;
    private final BrokerStats stats;

    PartitionReads(TopicRegistry topics, OpenLogs logs, BrokerStats stats) {
        this.topics = topics;
        this.logs = logs;
        this.stats = stats;
    }

    /** Runs {@code completions} (an append completing the reads it satisfies) with their reads shared. */
    void together(Runnable completions) {
        COMPLETING.set(new HashMap<>());
        try {
            completions.run();
        } finally {
            COMPLETING.remove();
        }
    }

    /** The read, now, with what is there. */
    Map<TopicPartition, PartitionData> read(FetchParams params, ByteBuffer into) {
        Map<TopicPartition, PartitionData> results = new LinkedHashMap<>();
        long room = params.maxBytes();
        int used = 0; // of into
        boolean first = true; // the first partition with data gets a whole batch, however large
        for (FetchPartition wanted : params.partitions()) {
            int here = (int) Math.max(0, Math.min(wanted.maxBytes(), room));
            ByteBuffer region = null;
            if (into != null) {
                here = Math.min(here, into.capacity() - used);
                region = into.slice(used, here);
            }
            PartitionData data = readPartition(new PartitionRead(wanted, here, first), region);
            int size = data.batches().bytes().remaining();
            room -= size;
            used = Math.min(into == null ? 0 : into.capacity(), used + size);
            first &= size == 0;
            results.put(wanted.partition(), data);
        }
        return results;
    }

    /** One partition's part of a read: where from, how many bytes, and whether one whole batch comes anyway. */
    private record PartitionRead(FetchPartition wanted, int room, boolean wholeBatchAnyway) {
    }

    /**
     * While an append completes the reads waiting on it, what each partition's read found: a thousand
     * consumers at the end of a log ask for the same bytes, and they are read once.
     */
    private static final ThreadLocal<Map<PartitionRead, PartitionData>> COMPLETING = new ThreadLocal<>();

    /** One read buffer per reading thread, for reads whose answers get buffers of their own. */
    private static final ThreadLocal<ByteBuffer[]> SCRATCH = ThreadLocal.withInitial(() -> new ByteBuffer[1]);

    private PartitionData readPartition(PartitionRead read, ByteBuffer region) {
        Map<PartitionRead, PartitionData> completing = COMPLETING.get();
        if (completing == null) {
            return counted(read, readPartitionNow(read, region));
        }
        PartitionData data = completing.computeIfAbsent(read, key -> readPartitionNow(key, null));
        FetchedBatches batches = data.batches();
        return counted(read, new PartitionData(data.error(), data.message(), data.highWatermark(), data.logStartOffset(),
                new FetchedBatches(batches.bytes().duplicate(), batches.fromOffset(), batches.nextOffset())));
    }

    private PartitionData counted(PartitionRead read, PartitionData data) {
        ByteBuffer bytes = data.batches().bytes();
        if (bytes.hasRemaining()) {
            stats.consumed(read.wanted().partition().topic(), recordsIn(bytes), bytes.remaining());
        }
        return data;
    }

    /**
     * Up to {@code room} bytes of whole batches from one partition, reading on past segment ends, into
     * {@code region}, or with none into this thread's buffer and then copied out to an exact size.
     */
    private PartitionData readPartitionNow(PartitionRead read, ByteBuffer region) {
        FetchPartition wanted = read.wanted();
        TopicPartition partition = wanted.partition();
        FileLog log = logs.log(partition);
        try {
            if (log == null) {
                throw unknown(partition);
            }
            long logStart = log.earliest();
            long end = log.endOffset();
            long offset = wanted.offset();
            if (!OffsetRange.holds(offset, logStart, end)) { // the range comes too, for the reader to move into
                return new PartitionData(Errors.OFFSET_OUT_OF_RANGE, OffsetOutOfRangeException.of(offset, logStart, end)
                        .getMessage(), end, logStart, empty(offset));
            }
            int room = read.room();
            ByteBuffer space = region != null ? region : scratch(room);
            ByteBuffer whole = null; // a first batch larger than the room: read into a buffer of its own
            int filled = 0;
            int largest = 0; // batch: a read stops when the room left would not hold one like it
            long next = offset;
            while (next < end && filled < room && room - filled >= largest) {
                FetchedBatches fetched = log.fetch(next, space.slice(filled, room - filled));
                if (fetched.isEmpty()) {
                    break;
                }
                int size = fetched.bytes().remaining();
                if (size > room - filled) { // larger than the room: only a first batch may come anyway
                    if (filled == 0 && read.wholeBatchAnyway()) {
                        whole = fetched.bytes();
                        next = fetched.nextOffset();
                    }
                    break;
                }
                largest = Math.max(largest, largestBatch(fetched.bytes()));
                filled += size;
                next = fetched.nextOffset();
            }
            if (whole == null && room == 0 && read.wholeBatchAnyway() && next < end) {
                FetchedBatches one = log.fetch(next, ByteBuffer.allocate(0)); // no room at all: still one batch
                whole = one.bytes();
                next = one.nextOffset();
            }
            ByteBuffer bytes = whole != null ? whole : region != null ? space.slice(0, filled) : copy(space.slice(0, filled));
            return new PartitionData(Errors.NONE, null, end, logStart, new FetchedBatches(bytes, offset, next));
        } catch (OffsetOutOfRangeException e) { // retention took the segment while it was read
            return new PartitionData(e.error(), e.getMessage(), e.logEndOffset(), e.logStartOffset(), empty(wanted.offset()));
        } catch (ApiException e) {
            return PartitionData.refused(e, wanted.offset());
        } catch (IllegalStateException closed) {
            return PartitionData.refused(unknown(partition), wanted.offset()); // deleted while it was read
        }
    }

    private static int largestBatch(ByteBuffer batches) {
        int largest = 0;
        for (int at = batches.position(); at < batches.limit(); at += RecordBatch.sizeAt(batches, at)) {
            largest = Math.max(largest, RecordBatch.sizeAt(batches, at));
        }
        return largest;
    }

    private static ByteBuffer scratch(int size) {
        ByteBuffer[] mine = SCRATCH.get();
        if (mine[0] == null || mine[0].capacity() < size) {
            mine[0] = ByteBuffer.allocateDirect(Math.max(size, 64 * 1024));
        }
        return mine[0];
    }

    private static ByteBuffer copy(ByteBuffer bytes) {
        ByteBuffer copy = ByteBuffer.allocate(bytes.remaining());
        copy.put(bytes.duplicate());
        return copy.flip();
    }

    /** How many records the batches hold, by their headers: nothing is decoded to count them. */
    static long recordsIn(ByteBuffer batches) {
        long records = 0;
        for (int at = batches.position(); at < batches.limit(); at += RecordBatch.sizeAt(batches, at)) {
            records += batches.getInt(at + RecordBatch.RECORDS_COUNT_AT);
        }
        return records;
    }

    static FetchedBatches empty(long offset) {
        return new FetchedBatches(ByteBuffer.allocate(0), offset, offset);
    }

    /** The registry's refusal of a partition that has no open log, naming the partitions there are. */
    ApiException unknown(TopicPartition partition) {
        try {
            TopicName.validate(partition.topic()); // a name no topic can have is named as such, not as unknown
            topics.log(partition.topic(), partition.partition());
            return new UnknownTopicOrPartitionException(partition + " is not open: its topic is being deleted");
        } catch (ApiException e) {
            return e;
        }
    }
}

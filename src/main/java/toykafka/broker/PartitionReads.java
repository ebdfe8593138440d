package toykafka.broker;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
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
import toykafka.lesson08.BatchLog;
import toykafka.lesson08.FetchedBatches;
import toykafka.lesson08.FileLog;
import toykafka.lesson08.FileSlice;
import toykafka.storage.MemoryBatchLog;

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

    /**
     * How a read hands out its batches: read into memory (for a front end that decodes them, or has no
     * file to send from), or left in the log's files as {@link FileSlice}s for a front end to send unread.
     */
    enum Form { BYTES, FILE_SLICES }

    /**
     * A read's answer, with how many records each partition's batches hold. Nothing is counted until the
     * answer is {@link #delivered}: a look that finds too little and waits for more delivers nothing.
     */
    record Answer(Map<TopicPartition, PartitionData> partitions, Map<TopicPartition, Long> records) {
    }

    /**
     * Counts an answer as handed out, and returns it: each partition's records and bytes, or its refusal
     * (an unknown partition, an offset out of range, a storage error), as the statistics' errors.
     */
    Map<TopicPartition, PartitionData> delivered(Answer answer) {
        answer.partitions().forEach((partition, data) -> {
            if (data.error() != Errors.NONE) {
                stats.refused(partition.topic());
            } else if (data.size() > 0) {
                stats.consumed(partition.topic(), answer.records().getOrDefault(partition, 0L), data.size());
            }
        });
        return answer.partitions();
    }

    /** The read, now, with what is there; in {@code into} (bytes only) if not null. */
    Answer read(FetchParams params, ByteBuffer into, Form form) {
        Map<TopicPartition, PartitionData> results = new LinkedHashMap<>();
        Map<TopicPartition, Long> records = new HashMap<>();
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
            Found found = readPartition(new PartitionRead(wanted, here, first, form), region);
            PartitionData data = found.data();
            long size = data.size();
            room -= size;
            used = (int) Math.min(into == null ? 0 : into.capacity(), used + size);
            first &= size == 0;
            results.put(wanted.partition(), data);
            records.put(wanted.partition(), found.records());
        }
        return new Answer(results, records);
    }

    /** One partition's part of a read: where from, how many bytes, whether one whole batch comes anyway, and how. */
    private record PartitionRead(FetchPartition wanted, int room, boolean wholeBatchAnyway, Form form) {
    }

    /** What one partition's read found, and how many records that is: reads that share it count them once. */
    private record Found(PartitionData data, long records) {
    }

    /**
     * While an append completes the reads waiting on it, what each partition's read found: a thousand
     * consumers at the end of a log ask for the same bytes, and they are read once.
     */
    private static final ThreadLocal<Map<PartitionRead, Found>> COMPLETING = new ThreadLocal<>();

    /** One read buffer per reading thread, for reads whose answers get buffers of their own. */
    private static final ThreadLocal<ByteBuffer[]> SCRATCH = ThreadLocal.withInitial(() -> new ByteBuffer[1]);

    private Found readPartition(PartitionRead read, ByteBuffer region) {
        Map<PartitionRead, Found> completing = COMPLETING.get();
        if (completing == null) {
            return readPartitionNow(read, region);
        }
        Found found = completing.computeIfAbsent(read, key -> readPartitionNow(key, null));
        PartitionData data = found.data();
        FetchedBatches batches = data.batches(); // slices never change; a buffer's position does, so each gets its own
        return new Found(new PartitionData(data.error(), data.message(), data.highWatermark(),
                data.logStartOffset(), new FetchedBatches(batches.bytes().duplicate(), batches.fromOffset(),
                batches.nextOffset()), data.slices()), found.records());
    }

    /**
     * Up to {@code room} bytes of whole batches from one partition, reading on past segment ends: as slices
     * of the log's files, or read into {@code region}, or with none into this thread's buffer and then
     * copied out to an exact size.
     */
    private Found readPartitionNow(PartitionRead read, ByteBuffer region) {
        FetchPartition wanted = read.wanted();
        TopicPartition partition = wanted.partition();
        BatchLog stored = logs.log(partition);
        try {
            if (stored == null) {
                throw unknown(partition);
            }
            if (stored instanceof MemoryBatchLog memory) {
                return readMemory(memory, read, region);
            }
            FileLog log = (FileLog) stored;
            long logStart = log.earliest();
            long end = log.endOffset();
            long offset = wanted.offset();
            if (!OffsetRange.holds(offset, logStart, end)) { // the range comes too, for the reader to move into
                return new Found(new PartitionData(Errors.OFFSET_OUT_OF_RANGE, OffsetOutOfRangeException.forRead(offset,
                        logStart, end).getMessage(), end, logStart, empty(offset)), 0);
            }
            List<FileSlice> slices = slices(log, read, offset, end);
            if (read.form() == Form.FILE_SLICES) {
                long next = slices.isEmpty() ? offset : slices.get(slices.size() - 1).nextOffset();
                long records = 0;
                for (FileSlice slice : slices) {
                    records += log.recordsIn(slice);
                }
                return new Found(new PartitionData(Errors.NONE, null, end, logStart,
                        new FetchedBatches(ByteBuffer.allocate(0), offset, next), slices), records);
            }
            FetchedBatches batches = readInto(log, slices, offset, region);
            return new Found(new PartitionData(Errors.NONE, null, end, logStart, batches), recordsIn(batches.bytes()));
        } catch (OffsetOutOfRangeException e) { // retention took the segment while it was read
            return new Found(new PartitionData(e.error(), e.getMessage(), e.logEndOffset(), e.logStartOffset(),
                    empty(wanted.offset())), 0);
        } catch (ApiException e) {
            return new Found(PartitionData.refused(e, wanted.offset()), 0);
        } catch (IllegalStateException closed) {
            return new Found(PartitionData.refused(unknown(partition), wanted.offset()), 0); // deleted while it was read
        }
    }

    /**
     * One partition's read of a log in memory: its batches copied into {@code region} if they fit, else into
     * a buffer of their own, whichever form was asked for, since there are no files to send slices of (a
     * Kafka front end sends them from the heap instead).
     */
    private static Found readMemory(MemoryBatchLog log, PartitionRead read, ByteBuffer region) {
        long offset = read.wanted().offset();
        long logStart = log.earliest();
        long end = log.endOffset();
        if (!OffsetRange.holds(offset, logStart, end)) {
            return new Found(new PartitionData(Errors.OFFSET_OUT_OF_RANGE, OffsetOutOfRangeException.of(offset,
                    logStart, end).getMessage(), end, logStart, empty(offset)), 0);
        }
        FetchedBatches batches = log.read(offset, read.room(), read.wholeBatchAnyway(), region);
        return new Found(new PartitionData(Errors.NONE, null, end, logStart, batches), recordsIn(batches.bytes()));
    }

    /**
     * Where the whole batches of one partition's read lie: from the one holding {@code offset}, at most the
     * read's room (but one whole batch anyway if the read says so), on into the next segment while the room
     * is not filled. The log's lock is taken for each segment only to find the bytes, never to read them.
     */
    private static List<FileSlice> slices(FileLog log, PartitionRead read, long offset, long end) {
        List<FileSlice> slices = new ArrayList<>();
        long room = read.room();
        long taken = 0;
        long next = offset;
        while (next < end && (taken < room || slices.isEmpty() && read.wholeBatchAnyway())) {
            FileSlice slice = log.slice(next, (int) (room - taken));
            boolean fits = slice.bytes() <= room - taken;
            if (slice.isEmpty() || !fits && !(slices.isEmpty() && read.wholeBatchAnyway())) {
                break; // larger than the room: only a first batch may come anyway
            }
            slices.add(slice);
            taken += slice.bytes();
            next = slice.nextOffset();
            if (!fits || !slice.reachesSegmentEnd()) {
                break; // the next batch did not fit
            }
        }
        return slices;
    }

    /** The slices' batches, checked, in {@code region} if they fit, else read into this thread's buffer and copied out. */
    private static FetchedBatches readInto(FileLog log, List<FileSlice> slices, long offset, ByteBuffer region) {
        long total = slices.stream().mapToLong(FileSlice::bytes).sum();
        ByteBuffer space = region != null && total <= region.capacity() ? region : scratch((int) total);
        int filled = 0;
        long next = offset;
        for (FileSlice slice : slices) {
            FetchedBatches read = log.read(slice, next, space.slice(filled, (int) slice.bytes()));
            filled += read.bytes().remaining();
            next = read.nextOffset();
            if (read.bytes().remaining() < slice.bytes()) {
                break; // a damaged batch further on: the next read, starting there, reports it
            }
        }
        ByteBuffer bytes = space == region ? region.slice(0, filled) : copy(space.slice(0, filled));
        return new FetchedBatches(bytes, offset, next);
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

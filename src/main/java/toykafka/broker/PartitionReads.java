package toykafka.broker;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import toykafka.broker.stats.BrokerStats;
import toykafka.common.ApiException;
import toykafka.common.EpochEndOffset;
import toykafka.common.Errors;
import toykafka.common.FetchedBatches;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.RecordBatch;
import toykafka.common.TopicName;
import toykafka.common.TopicPartition;
import toykafka.common.UnknownTopicOrPartitionException;
import toykafka.lesson04.TopicRegistry;
import toykafka.lesson08.FileSlice;
import toykafka.storage.BatchLog;
import toykafka.storage.StoredBatches;

/**
 * One read of many partitions' logs, now, within its byte bounds: what {@link Partitions#read} does each
 * time it looks, before and after any waiting. Kafka calls this {@code ReplicaManager.readFromLocalLog}.
 */
record PartitionReads(TopicRegistry topics, OpenLogs logs, BrokerStats stats) {

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
            Found found = readPartition(new PartitionRead(wanted, here, first, form, params.readCommitted()), region);
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

    /**
     * One partition's part of a read: where from, how many bytes, whether one whole batch comes anyway, how,
     * and whether only up to the last stable offset.
     */
    private record PartitionRead(FetchPartition wanted, int room, boolean wholeBatchAnyway, Form form,
                                 boolean readCommitted) {
    }

    /** What one partition's read found, and how many records that is: reads that share it count them once. */
    private record Found(PartitionData data, long records) {
    }

    /**
     * While an append completes the reads waiting on it, what each partition's read found: a thousand
     * consumers at the end of a log ask for the same bytes, and they are read once.
     */
    private static final ThreadLocal<Map<PartitionRead, Found>> COMPLETING = new ThreadLocal<>();

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
                batches.nextOffset()), data.slices(), data.lastStableOffset(), data.abortedTransactions(),
                data.divergingEpoch()), found.records());
    }

    /**
     * Up to {@code room} bytes of whole batches from one partition, reading on past segment ends: as slices
     * of the log's files, or read into {@code region}, or with none into this thread's buffer and then
     * copied out to an exact size.
     */
    private Found readPartitionNow(PartitionRead read, ByteBuffer region) {
        FetchPartition wanted = read.wanted();
        TopicPartition partition = wanted.partition();
        BatchLog log = logs.log(partition);
        try {
            if (log == null) {
                throw unknown(partition);
            }
            Found beforeTheRead = checkEpochs(wanted, log);
            if (beforeTheRead != null) {
                return beforeTheRead;
            }
            if (read.readCommitted()) {
                return readCommitted(read, log, region);
            }
            StoredBatches found = log.read(wanted.offset(), read.room(), read.wholeBatchAnyway(), region,
                    read.form() == Form.FILE_SLICES);
            long stable = log.producerState().lastStableOffsetIfLoaded().orElse(found.endOffset());
            return new Found(new PartitionData(Errors.NONE, null, found.endOffset(), found.logStartOffset(),
                    found.batches(), found.slices(), Math.min(stable, found.endOffset()), null), found.records());
        } catch (OffsetOutOfRangeException e) { // out of the log's range, or retention took the segment while it was read
            return new Found(new PartitionData(e.error(), e.getMessage(), e.logEndOffset(), e.logStartOffset(),
                    PartitionData.noBatches(wanted.offset())), 0);
        } catch (ApiException e) {
            return new Found(PartitionData.refused(e, wanted.offset()), 0);
        } catch (IllegalStateException closed) {
            return new Found(PartitionData.refused(unknown(partition), wanted.offset()), 0); // deleted while it was read
        }
    }

    /**
     * The reader's epochs against the partition's one leader epoch, {@link RecordBatch#FIRST_LEADER_EPOCH}, as Kafka's
     * {@code Partition.readRecords} checks them before it reads: a current leader epoch above it is
     * UNKNOWN_LEADER_EPOCH (the reader has heard of a leader this broker has not); a last fetched epoch this log
     * never had, or an offset below the log start, is OFFSET_OUT_OF_RANGE; and an offset past the end of the last
     * fetched epoch, the end of the log, is answered with that epoch's end and no batches. Null: read on.
     */
    private static Found checkEpochs(FetchPartition wanted, BatchLog log) {
        int leaderEpoch = RecordBatch.FIRST_LEADER_EPOCH;
        if (wanted.currentLeaderEpoch() > leaderEpoch) {
            return new Found(new PartitionData(Errors.UNKNOWN_LEADER_EPOCH, "the current leader epoch asked for, "
                    + wanted.currentLeaderEpoch() + ", is newer than this leader's, " + leaderEpoch, -1, -1,
                    PartitionData.noBatches(wanted.offset())), 0);
        }
        int lastFetched = wanted.lastFetchedEpoch();
        if (lastFetched == FetchPartition.NO_EPOCH) {
            return null;
        }
        long start = log.earliest();
        long end = log.endOffset();
        if (lastFetched != leaderEpoch) {
            return outOfRange("Could not determine the end offset of the last fetched epoch Optional[" + lastFetched
                    + "] from the request", wanted, start, end);
        }
        if (wanted.offset() < start) {
            return outOfRange("Received request for offset " + wanted.offset() + " for partition " + wanted.partition()
                    + ", but we only have log segments in the range " + start + " to " + end + ".", wanted, start, end);
        }
        if (end < wanted.offset()) {
            long stable = log.producerState().lastStableOffsetIfLoaded().orElse(end);
            return new Found(new PartitionData(Errors.NONE, null, end, start, PartitionData.noBatches(wanted.offset()),
                    List.of(), Math.min(stable, end), null, new EpochEndOffset(leaderEpoch, end)), 0);
        }
        return null;
    }

    private static Found outOfRange(String message, FetchPartition wanted, long start, long end) {
        return new Found(new PartitionData(Errors.OFFSET_OUT_OF_RANGE, message, end, start,
                PartitionData.noBatches(wanted.offset())), 0);
    }

    // tag::read-committed[]
    /**
     * A {@code read_committed} read: the batches below the last stable offset, read once and bounded there, and
     * the aborted transactions whose records those batches may hold. The stable offset is taken first, the
     * aborted transactions after the read: a transaction aborted meanwhile is listed, not handed out as committed.
     */
    private Found readCommitted(PartitionRead read, BatchLog log, ByteBuffer region) {
        FetchPartition wanted = read.wanted();
        long stable = log.lastStableOffset();
        StoredBatches found = log.read(wanted.offset(), stable, read.room(), read.wholeBatchAnyway(), region,
                read.form() == Form.FILE_SLICES);
        FetchedBatches batches = found.batches();
        List<AbortedTransaction> aborted = batches.nextOffset() <= wanted.offset() ? List.of()
                : log.abortedOverlapping(wanted.offset(), batches.nextOffset()).stream()
                        .map(entry -> new AbortedTransaction(entry.producerId(), entry.firstOffset())).toList();
        return new Found(new PartitionData(Errors.NONE, null, found.endOffset(), found.logStartOffset(), batches,
                found.slices(), stable, aborted), found.records());
    }
    // end::read-committed[]

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

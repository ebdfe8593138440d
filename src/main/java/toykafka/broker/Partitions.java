package toykafka.broker;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToIntFunction;
import toykafka.broker.coordinators.InternalTopics;
import toykafka.broker.share.ShareLog;
import toykafka.broker.stats.BrokerStats;
import toykafka.common.ApiException;
import toykafka.common.Compression;
import toykafka.common.ControlRecord;
import toykafka.common.DelayedActionQueue;
import toykafka.common.EnumLookup;
import toykafka.common.Errors;
import toykafka.common.InvalidRequestException;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.RefusedBatchException;
import toykafka.common.TopicPartition;
import toykafka.common.UnknownTopicOrPartitionException;
import toykafka.lesson04.DefaultPartitioner;
import toykafka.lesson04.Partitioner;
import toykafka.lesson04.TopicRegistry;
import toykafka.lesson08.FileSlice;
import toykafka.storage.BatchLog;
import toykafka.storage.StoredBatches;
import toykafka.storage.producers.ActiveProducer;
import toykafka.storage.producers.AppendOrigin;
import toykafka.storage.producers.BatchMetadata;
import toykafka.storage.producers.ProducerStateManager;

/**
 * The broker's data path, one partition at a time: record batches in as bytes, stored batches out as
 * bytes, and for every partition an answer (an error code, offsets) instead of an exception for the whole
 * request. Kafka calls this the {@code ReplicaManager} ({@code appendRecords}, {@code fetchMessages}) and
 * answers ListOffsets beside it. Front ends only translate: HTTP turns JSON into {@link #appendRecords}
 * and decodes what {@link #read} hands out; Kafka's protocol passes the bytes through untouched.
 *
 * <p>Each partition's log checks its batches (format, CRC, the topic's rules), gives them offsets and, for
 * a topic with {@code message.timestamp.type=LogAppendTime}, stamps the broker's time: that happens in one
 * place, the log, whichever front end the bytes came through.
 */
public final class Partitions {

    /** ListOffsets' timestamp for the log start offset. */
    public static final long EARLIEST = PartitionOffsets.EARLIEST;
    /** ListOffsets' timestamp for the end: Kafka answers a client with the high watermark, here the end offset. */
    public static final long LATEST = PartitionOffsets.LATEST;
    /** ListOffsets' timestamp for the record with the largest timestamp (Kafka's MAX_TIMESTAMP). */
    public static final long MAX_TIMESTAMP = PartitionOffsets.MAX_TIMESTAMP;

    // tag::acks[]
    /**
     * How much a producer waits for, as Kafka's {@code acks} says it. On one broker the leader is the only
     * replica, so the log itself decides when a batch is safe: with {@code flush.messages=1} an append
     * returns once an fsync (shared with the appends around it: lesson 9's group commit) has put it on disk;
     * otherwise once it is in the operating system's page cache, to be flushed later, as Kafka leaves it.
     */
    public enum Acks {
        /**
         * acks=0: the producer waits for nothing. The batch is appended like any other, but its answer is
         * not wanted: a Kafka front end sends none, so the producer never hears of a refusal.
         */
        NONE(0),
        /** acks=1: the answer comes once the leader's log holds the batch, as its flush settings say. */
        LEADER(1),
        /**
         * acks=all (-1): once every in-sync replica holds it. On one broker the leader is every replica,
         * so this waits exactly as long as acks=1; with replicas it would wait for their fetches too.
         */
        ALL(-1);

        private final int code;

        Acks(int code) {
            this.code = code;
        }

        /** The number a producer sends. */
        public int code() {
            return code;
        }

        /** The acks a producer sent: 0, 1, or -1 for all. */
        public static Acks of(int code) {
            return EnumLookup.byId(values(), Acks::code, code)
                    .orElseThrow(() -> new InvalidRequestException("acks must be 0, 1 or -1 (all), was " + code));
        }
    }
    // end::acks[]

    /** A record to produce, and the partition it must go to, or null to let the partitioner choose. */
    public record ProduceRecord(Integer partition, Record record) {
        public ProduceRecord {
            Objects.requireNonNull(record, "a record must not be null");
        }
    }

    /** One produced record's answer: its partition, and its offset and time or why its partition refused it. */
    public record RecordAnswer(TopicPartition partition, long offset, Instant timestamp, Errors error, String message) {

        public boolean written() {
            return error == Errors.NONE;
        }
    }

    private final OpenLogs logs;
    private final PartitionReads reader;
    private final ToIntFunction<String> partitionsForWrite;
    private final BrokerStats stats;
    private final DelayedFetches delayedFetches;
    private final DelayedActionQueue actions;
    private final ProducerAppends producers = new ProducerAppends();
    private final Partitioner partitioner = new DefaultPartitioner();

    /**
     * @param partitionsForWrite a topic's partition count, refusing a name or topic clients may not write to,
     *                           creating the topic first if the broker does that (auto.create.topics.enable)
     */
    Partitions(TopicRegistry topics, OpenLogs logs, ToIntFunction<String> partitionsForWrite, BrokerStats stats,
               DelayedFetches delayedFetches, DelayedActionQueue actions) {
        this.logs = logs;
        this.reader = new PartitionReads(topics, logs, stats);
        this.partitionsForWrite = partitionsForWrite;
        this.stats = stats;
        this.delayedFetches = delayedFetches;
        this.actions = actions;
    }

    // ---- append ----

    // tag::append[]
    /**
     * Appends each partition's record batches, encoded by a producer (RecordBatch v2): Kafka's produce.
     * Each partition is answered on its own, so a partition that refuses (unknown, a bad batch, over
     * max.message.bytes) refuses only its own batches. See {@link Acks} for when this returns.
     */
    public Map<TopicPartition, AppendResult> append(Map<TopicPartition, ByteBuffer> batches, Acks acks) {
        Objects.requireNonNull(acks, "acks");
        Map<TopicPartition, AppendResult> results = new LinkedHashMap<>();
        Map<String, ApiException> refusedTopics = new LinkedHashMap<>();
        batches.forEach((partition, bytes) -> {
            ApiException refused = refusedTopics.computeIfAbsent(partition.topic(), Partitions::userTopicRefusal);
            if (refused != null) {
                stats.refused(partition.topic());
            }
            results.put(partition, refused != null ? AppendResult.refused(refused) : appendTo(partition, bytes));
        });
        return results;
    }

    /**
     * One partition's batches into its log: the one place every append goes through. The batches take the
     * topic's compression.type first (see {@link Recompression}); an idempotent producer's batch then goes
     * through the broker's checks to the log's append for producers, which checks it against what the
     * partition knows of the producer (see {@link ProducerAppends}); other batches go straight to the log.
     */
    private AppendResult appendTo(TopicPartition partition, ByteBuffer batches) {
        BatchLog log = logs.log(partition);
        try {
            if (log == null) {
                throw reader.unknown(partition);
            }
            ProducerAppends.refuseControlBatches(batches, partition);
            ByteBuffer stored = Recompression.toTopicCodec(batches, log.config());
            if (!ProducerAppends.fromProducer(stored)) {
                return write(partition, log, stored);
            }
            Optional<BatchMetadata> duplicate = producers.append(partition, log, stored);
            return duplicate.isPresent() ? ProducerAppends.answerDuplicate(duplicate.get(), log)
                    : appended(partition, log, stored, RecordBatch.wrap(stored.duplicate()).baseOffset());
        } catch (RefusedBatchException e) {
            stats.refused(partition.topic());
            return AppendResult.refusedRecords(e, e.recordErrors(), startOf(log));
        } catch (ApiException e) {
            stats.refused(partition.topic());
            return AppendResult.refused(e);
        } catch (IllegalStateException closed) {
            stats.refused(partition.topic());
            return AppendResult.refused(reader.unknown(partition)); // the topic was deleted while the append ran
        }
    }

    // tag::write-marker[]
    /**
     * Ends a producer's transaction in one partition: appends a COMMIT or ABORT marker (a control batch)
     * stamped {@code timestamp}, which moves the last stable offset past the transaction. Written by the
     * transaction coordinator, never by a client; refused for an epoch older than the producer's.
     */
    public AppendResult writeMarker(TopicPartition partition, long producerId, short producerEpoch, boolean commit,
                                    int coordinatorEpoch, Instant timestamp) {
        try {
            return appendInternal(partition, new ControlRecord(commit, coordinatorEpoch)
                    .batch(producerId, producerEpoch, timestamp));
        } catch (ApiException e) {
            return AppendResult.refused(e);
        } catch (IllegalStateException closed) {
            return AppendResult.refused(reader.unknown(partition));
        }
    }
    // end::write-marker[]

    // tag::append-internal[]
    /**
     * The way in for a batch the broker writes itself, through {@link CoordinatorPartitionWriter}: to a topic
     * of its own, or a marker to any topic. A marker or a transactional batch goes to the log's append for
     * producers, which checks it against its producer's state as it writes it; then it is counted and wakes the
     * reads parked on the partition, as every append does. Throws the partition's refusal.
     */
    AppendResult appendInternal(TopicPartition partition, RecordBatch batch) {
        BatchLog log = logs.log(partition);
        if (log == null) {
            throw reader.unknown(partition);
        }
        ByteBuffer bytes = batch.buffer();
        if (batch.isControl()) {
            log.appendAsLeader(partition, bytes, AppendOrigin.COORDINATOR); // a marker: only its epoch is checked
        } else if (batch.isTransactional()) {
            producers.appendForCoordinator(partition, log, bytes);
        } else {
            return write(partition, log, bytes);
        }
        return appended(partition, log, bytes, RecordBatch.wrap(bytes.duplicate()).baseOffset());
    }
    // end::append-internal[]

    /** The producers a partition knows; throws UNKNOWN_TOPIC_OR_PARTITION for one the broker has not. */
    public List<ActiveProducer> activeProducers(TopicPartition partition) {
        BatchLog log = logs.log(partition);
        if (log == null) {
            throw reader.unknown(partition);
        }
        return log.activeProducers();
    }

    /** Hands the transaction coordinator the say over which transactional batches are written. */
    public void verifyTransactionsWith(TransactionVerifier verifier) {
        producers.verifyTransactionsWith(verifier);
    }

    /** The log start offset for a refusal's answer, or -1 if the topic was deleted meanwhile. */
    private static long startOf(BatchLog log) {
        try {
            return log.earliest();
        } catch (IllegalStateException closed) {
            return -1;
        }
    }

    /** Writes the batches to the log and wakes the reads waiting for them; throws the log's refusals. */
    private AppendResult write(TopicPartition partition, BatchLog log, ByteBuffer batches) {
        long baseOffset = log.appendBatches(batches); // checks, gives offsets, stamps LogAppendTime
        return appended(partition, log, batches, baseOffset);
    }

    /**
     * The answer to batches the log has just written from {@code batches}, their offsets and stamp now in them:
     * counted, and the reads waiting for them woken once the append is answered ({@link DelayedActionQueue}).
     */
    private AppendResult appended(TopicPartition partition, BatchLog log, ByteBuffer batches, long baseOffset) {
        int bytes = batches.remaining();
        RecordBatch first = RecordBatch.wrap(batches.duplicate()); // as stored: the log's stamp is in it
        long logAppendTime = first.isLogAppendTime() ? first.maxTimestamp() : -1;
        stats.produced(partition.topic(), StoredBatches.recordsIn(batches), bytes);
        actions.add(() -> reader.together(() -> delayedFetches.appended(partition, bytes))); // after the answer
        return new AppendResult(Errors.NONE, null, baseOffset, logAppendTime, log.earliest());
    }
    // end::append[]

    /** The partition's producer state, as its log keeps it: for tests. */
    ProducerStateManager producerState(TopicPartition partition) {
        return logs.log(partition).producerState();
    }

    // tag::append-records[]
    /**
     * Records to one topic, each to the partition it names or the one lesson 4's partitioner picks (murmur2
     * of the key, round robin without one): HTTP's way in. Each partition's records are encoded once, as the
     * one batch a producer would send, and take the same path as a producer's bytes. Answers each record, in
     * request order; a partition that refuses refuses only its own records.
     *
     * @throws ApiException for the whole request when it has no records, or the topic cannot be written
     */
    public List<RecordAnswer> appendRecords(String topic, List<ProduceRecord> records) {
        int partitionCount;
        try {
            if (records == null || records.isEmpty()) {
                throw new InvalidRequestException("a produce request needs 1 or more records; it had none");
            }
            partitionCount = partitionsForWrite.applyAsInt(topic); // the name's one check
        } catch (ApiException refused) {
            stats.refused(topic);
            throw refused;
        }
        Map<Integer, List<Integer>> byPartition = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            ProduceRecord produce = records.get(i);
            int partition = produce.partition() != null ? produce.partition()
                    : partitioner.partition(topic, produce.record(), partitionCount);
            byPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(i);
        }
        RecordAnswer[] answers = new RecordAnswer[records.size()];
        byPartition.forEach((partition, indexes) -> {
            TopicPartition where = new TopicPartition(topic, partition);
            List<Record> batch = indexes.stream().map(i -> records.get(i).record()).toList();
            AppendResult result = partition < 0 || partition >= partitionCount
                    ? refusedPartition(topic, partition, partitionCount)
                    : appendTo(where, RecordBatch.of(batch, 0, Compression.NONE).buffer());
            for (int k = 0; k < indexes.size(); k++) {
                answers[indexes.get(k)] = !result.written()
                        ? new RecordAnswer(where, -1, null, result.error(), result.message())
                        : new RecordAnswer(where, result.baseOffset() + k, result.logAppendTime() >= 0
                                ? Instant.ofEpochMilli(result.logAppendTime()) : batch.get(k).timestamp(), Errors.NONE, null);
            }
        });
        return List.of(answers);
    }
    // end::append-records[]

    private AppendResult refusedPartition(String topic, int partition, int partitionCount) {
        stats.refused(topic);
        return AppendResult.refused(UnknownTopicOrPartitionException.unknownPartition(topic, partition, partitionCount));
    }

    // ---- read ----

    // tag::read[]
    /**
     * Reads many partitions, answering each on its own: stored batches as they lie on disk, reading on past
     * segment ends up to the byte bounds. If fewer than {@code minBytes} are there, the read waits, without
     * a thread, in the purgatory ({@link DelayedFetches}): the future completes when appends to its
     * partitions bring enough, or at {@code maxWait} with what there is. An error in any partition answers
     * at once, as Kafka does.
     *
     * @param into where the answer's bytes go, from position 0 to its capacity, so a front end that reuses
     *             one buffer reads without allocating; the answer is views of it (or, for a batch larger
     *             than the room, or bytes shared by reads an append completed together, of a buffer of its
     *             own), so keep it until done with the answer. Null gives each answer a buffer of its own.
     */
    public CompletableFuture<Map<TopicPartition, PartitionData>> read(FetchParams params, ByteBuffer into) {
        return read(params, into, PartitionReads.Form.BYTES);
    }

    /**
     * As {@link #read(FetchParams, ByteBuffer)}, within the same bounds, but the batches stay in the log's
     * files: each partition's answer is {@link FileSlice}s, for a front end to send from the file to its
     * socket without reading them (Kafka's {@code FileRecords}, sent by {@code sendfile}).
     */
    public CompletableFuture<Map<TopicPartition, PartitionData>> readFileSlices(FetchParams params) {
        return read(params, null, PartitionReads.Form.FILE_SLICES);
    }

    private CompletableFuture<Map<TopicPartition, PartitionData>> read(FetchParams params, ByteBuffer into,
                                                                       PartitionReads.Form form) {
        PartitionReads.Answer look = reader.read(params, into, form);
        Map<TopicPartition, PartitionData> now = look.partitions();
        long bytes = bytesIn(now);
        if (bytes >= params.minBytes() || params.maxWait().isZero() || anyError(now)) {
            return CompletableFuture.completedFuture(reader.delivered(look));
        }
        CompletableFuture<Map<TopicPartition, PartitionData>> answer = new CompletableFuture<>();
        List<TopicPartition> watched = params.partitions().stream().map(FetchPartition::partition).toList();
        Runnable completeNow = delayedFetches.watch(watched, params.minBytes() - bytes, params.maxWait(), () -> {
            try {
                answer.complete(reader.delivered(reader.read(params, into, form)));
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        if (appendedSince(now)) {
            completeNow.run(); // an append landed before the read was watched: no append will tell it now
        }
        return answer;
    }

    /** As {@link #read(FetchParams, ByteBuffer)}, each answer in a buffer of its own. */
    public CompletableFuture<Map<TopicPartition, PartitionData>> read(FetchParams params) {
        return read(params, null);
    }

    /** As {@link #read(FetchParams, ByteBuffer)}, waiting on the caller's thread: for a thread per request. */
    public Map<TopicPartition, PartitionData> readAndWait(FetchParams params, ByteBuffer into) {
        return read(params, into).join();
    }
    // end::read[]

    /** As {@link #readAndWait(FetchParams, ByteBuffer)}, each answer in a buffer of its own. */
    public Map<TopicPartition, PartitionData> readAndWait(FetchParams params) {
        return readAndWait(params, null);
    }

    /**
     * How many reads are waiting in the purgatory now: what Kafka's {@code PurgatorySize} metric for
     * fetches shows, and how a test knows a long poll is parked before it appends.
     */
    public int waitingReads() {
        return delayedFetches.waiting();
    }

    private static long bytesIn(Map<TopicPartition, PartitionData> read) {
        long bytes = 0;
        for (PartitionData data : read.values()) {
            bytes += data.size();
        }
        return bytes;
    }

    /** Whether any partition has an error, or a diverging epoch, which its reader must act on before reading on. */
    private static boolean anyError(Map<TopicPartition, PartitionData> read) {
        return read.values().stream().anyMatch(data -> data.error() != Errors.NONE || data.divergingEpoch() != null);
    }

    /** Whether any partition's end moved since the read: then an append came between the read and its watch. */
    private boolean appendedSince(Map<TopicPartition, PartitionData> read) {
        for (Map.Entry<TopicPartition, PartitionData> entry : read.entrySet()) {
            BatchLog log = logs.log(entry.getKey());
            if (log == null || log.endOffset() != entry.getValue().highWatermark()) {
                return true;
            }
        }
        return false;
    }

    // ---- offsets ----

    /**
     * Kafka's ListOffsets for one partition: {@link #EARLIEST} (-2) for the log start offset, {@link #LATEST}
     * (-1) for the end offset, {@link #MAX_TIMESTAMP} (-3) for the first record with the largest timestamp, or
     * a time in milliseconds for the first offset stamped at or after it; the last two with that record's
     * timestamp (-1 for both when there is no such record, as in an empty log). With {@code readCommitted},
     * the last stable offset is the end: LATEST answers it, and a record at or past it is not found.
     */
    public OffsetAnswer listOffsets(TopicPartition partition, long timestamp, boolean readCommitted) {
        BatchLog log = logs.log(partition);
        try {
            if (log == null) {
                throw reader.unknown(partition);
            }
            long end = readCommitted ? log.lastStableOffset() : log.endOffset();
            return PartitionOffsets.list(log, timestamp, end);
        } catch (ApiException e) {
            return new OffsetAnswer(e.error(), e.getMessage(), -1, -1);
        } catch (IllegalStateException closed) {
            ApiException gone = reader.unknown(partition);
            return new OffsetAnswer(gone.error(), gone.getMessage(), -1, -1);
        }
    }

    /** {@link #listOffsets(TopicPartition, long, boolean)} of everything written, committed or not. */
    public OffsetAnswer listOffsets(TopicPartition partition, long timestamp) {
        return listOffsets(partition, timestamp, false);
    }

    // ---- share groups ----

    /**
     * The data path as share groups use it: a share fetch reads now and waits in the purgatory without reading, for it
     * reads through its share partitions; dead letters are appended as a client's records are.
     */
    ShareLog shareLog() {
        return new ShareLog() {
            @Override
            public Offset listOffsets(TopicPartition partition, long timestamp) {
                OffsetAnswer answer = Partitions.this.listOffsets(partition, timestamp);
                return new Offset(answer.error(), answer.message(), answer.offset());
            }

            @Override
            public Read read(TopicPartition partition, long offset, int maxBytes, boolean readCommitted) {
                PartitionData data = readAndWait(new FetchParams(Duration.ZERO, 0, maxBytes,
                        List.of(new FetchPartition(partition, offset, maxBytes)), readCommitted)).get(partition);
                List<RecordBatch> batches = data.batches().batches();
                return new Read(data.error(), data.message(), batches, data.highWatermark(), data.lastStableOffset(),
                        CommittedBatches.aborted(batches, data.abortedTransactions()));
            }

            @Override
            public Runnable awaitAppend(List<TopicPartition> watched, Duration maxWait, Runnable onAppend) {
                return delayedFetches.watch(watched, 1, maxWait, onAppend);
            }

            @Override
            public void addToActionQueue(Runnable action) {
                actions.add(action);
            }

            @Override
            public Appended append(TopicPartition partition, List<Record> records) {
                RecordAnswer answer = appendRecords(partition.topic(), records.stream()
                        .map(record -> new ProduceRecord(partition.partition(), record)).toList()).get(0);
                return new Appended(answer.error(), answer.message()); // one batch: its records share one answer
            }
        };
    }

    // ---- refusals ----

    /** Why a client may not write to the topic, or null if it may. */
    private static ApiException userTopicRefusal(String topic) {
        try {
            InternalTopics.requireUserTopic(topic, "produce to");
            return null;
        } catch (ApiException e) {
            return e;
        }
    }
}

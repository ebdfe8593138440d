package toykafka.restproxy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import toykafka.broker.Broker;
import toykafka.broker.Partitions;
import toykafka.broker.FetchParams;
import toykafka.broker.FetchPartition;
import toykafka.broker.PartitionData;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.KafkaStorageException;
import toykafka.common.NoOffsetForPartitionException;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.OffsetRange;
import toykafka.common.OffsetRecord;
import toykafka.common.OffsetReset;
import toykafka.common.TopicPartition;
import toykafka.common.UnknownTopicOrPartitionException;
import toykafka.lesson05.ConsumerRecord;

/**
 * One REST Proxy consumer instance: how it reads (a subscription to topics or to a pattern, which makes it a
 * member of its group, or partitions assigned by hand, which does not), the member it is in its group (its
 * coordinator-given id, generation and assignment) and what a Kafka consumer would keep for itself, its
 * position in each partition it owns. Guarded by its group's lock in {@link ConsumerInstances}.
 */
final class ConsumerInstance {

    /** The most bytes one read takes from a partition: Kafka's max.partition.fetch.bytes default. */
    static final int MAX_PARTITION_FETCH_BYTES = 1024 * 1024;
    /**
     * The most bytes one read takes in all, though always one whole batch: less than Kafka's fetch.max.bytes,
     * since what a poll does not return is read again by the next, where a Kafka consumer keeps it.
     */
    static final int FETCH_MAX_BYTES = 4 * 1024 * 1024;

    /** How an instance reads, as Kafka's consumer has it: the kinds exclude each other until it unsubscribes. */
    enum Reading { NOTHING, TOPICS, PATTERN, ASSIGNED }

    final String name;
    final ConsumerInstanceConfig config;
    final OffsetReset reset;
    Reading reading = Reading.NOTHING;
    Set<String> topics = Set.of(); // its subscription's topics: those named, or those its pattern matches now
    Pattern pattern;               // under PATTERN
    List<TopicPartition> manual = List.of(); // under ASSIGNED
    String memberId = "";          // the coordinator's id for it, once it has joined
    int generation = -1;
    boolean joining;
    List<TopicPartition> assigned = List.of();
    int assignedInGeneration = -1;
    Instant lastHeard;
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private int generationSeen = -1;
    private int firstPartition; // turns with each read, so a small max_records starves no partition

    ConsumerInstance(String name, ConsumerInstanceConfig config, Instant now) {
        this.name = name;
        this.config = config;
        this.reset = config.reset();
        this.lastHeard = now;
    }

    /** Subscribed to topics or a pattern: a member of its group. */
    boolean subscribed() {
        return reading == Reading.TOPICS || reading == Reading.PATTERN;
    }

    /** Subscribed or assigned: it has partitions to read, or will have. */
    boolean reads() {
        return reading != Reading.NOTHING;
    }

    /**
     * The partitions it owns: those assigned by hand, or those its group gave it in its generation (none
     * while that assignment is on the way).
     */
    List<TopicPartition> owned() {
        if (reading == Reading.ASSIGNED) {
            return manual;
        }
        return subscribed() && assignedInGeneration == generation ? assigned : List.of();
    }

    /** The topics of its pattern among {@code existing}, the broker's own left out as Kafka leaves internal ones. */
    Set<String> matching(List<String> existing) {
        Set<String> matched = new TreeSet<>();
        for (String topic : existing) {
            if (!Broker.isInternal(topic) && pattern.matcher(topic).matches()) {
                matched.add(topic);
            }
        }
        return matched;
    }

    /** Forgets what it read and where: Kafka's unsubscribe, which also drops a manual assignment. */
    void readNothing() {
        reading = Reading.NOTHING;
        topics = Set.of();
        pattern = null;
        manual = List.of();
        assigned = List.of();
        memberId = "";
        generation = -1;
        assignedInGeneration = -1;
        generationSeen = -1;
        positions.clear();
    }

    /** Its positions, after {@link #syncPositions}. */
    SortedMap<TopicPartition, Long> positions() {
        return new TreeMap<>(positions);
    }

    /**
     * After a rebalance, forgets partitions the instance lost and places it in those it gained. An instance
     * whose client did not call while the group rebalanced twice or more may have lost a partition and got
     * it back, and another member may have read further and committed meanwhile: none of its positions can
     * be trusted then, and each partition starts again at the group's committed offset.
     */
    List<TopicPartition> syncPositions(Broker broker, String groupId, Map<TopicPartition, Long> committed) {
        List<TopicPartition> owned = owned();
        if (assignedInGeneration - generationSeen > 1) {
            positions.clear();
        }
        positions.keySet().retainAll(owned);
        for (TopicPartition partition : owned) {
            if (!positions.containsKey(partition)) {
                positions.put(partition, startingOffset(broker, groupId, partition, committed.get(partition)));
            }
        }
        generationSeen = assignedInGeneration;
        return owned;
    }

    /** Where a partition with no position starts: the group's commit if the log still holds it, else the reset. */
    private long startingOffset(Broker broker, String groupId, TopicPartition partition, Long committed) {
        Broker.PartitionInfo log = broker.describePartition(partition.topic(), partition.partition());
        if (committed != null && OffsetRange.holds(committed, log.logStartOffset(), log.endOffset())) {
            return committed;
        }
        return switch (reset) {
            case EARLIEST -> log.logStartOffset();
            case LATEST -> end(broker, partition, log);
            case NONE -> throw committed == null ? NoOffsetForPartitionException.of(groupId, partition)
                    : OffsetOutOfRangeException.of(committed, log.logStartOffset(), log.endOffset());
        };
    }

    /**
     * A read of its partitions from its positions, bounded by bytes as a Kafka consumer's fetch is, the
     * partitions in turn from the one whose turn it is, so a small max_records starves none of them.
     */
    FetchParams fetchParams(Duration maxWait) {
        List<TopicPartition> owned = owned();
        List<FetchPartition> wanted = new ArrayList<>();
        int first = owned.isEmpty() ? 0 : Math.floorMod(firstPartition, owned.size());
        for (int i = 0; i < owned.size(); i++) {
            TopicPartition partition = owned.get((first + i) % owned.size());
            wanted.add(new FetchPartition(partition, positions.get(partition), MAX_PARTITION_FETCH_BYTES));
        }
        // the immediate read takes what is there; a waiting one waits for fetch.min.bytes
        return new FetchParams(maxWait, maxWait.isZero() ? 1 : Math.max(1, config.fetchMinBytes()), FETCH_MAX_BYTES, wanted,
                config.readCommitted());
    }

    /**
     * Up to {@code maxRecords} records, and about {@code maxBytes} of keys and values (always at least one
     * record), from its partitions, read now through the data path, each handed over as {@code decode}
     * makes it; positions move past them only once every one is made, so a record {@code decode} refuses
     * is read again by the next poll, never skipped. A position the log no longer holds (retention passed
     * it) is reset as auto.offset.reset says (see {@link #resetOutOfRange}), one in a cleaned log moves past
     * batches that hold only gaps, and the read goes on from there.
     */
    <T> List<T> read(Partitions partitions, int maxRecords, long maxBytes, Function<ConsumerRecord, T> decode) {
        Taken<T> taken;
        do {
            FetchParams params = fetchParams(Duration.ZERO);
            taken = take(params, partitions.readAndWait(params), maxRecords, maxBytes, decode);
        } while (taken.records.isEmpty() && taken.moved);
        return taken.records;
    }

    /** What a read answered, decoded: the records, and whether a position moved without any. */
    private record Taken<T>(List<T> records, boolean moved) {
    }

    /**
     * As {@link #read}, from an answer already read for {@code params}; null if the answer is for positions
     * it no longer has (a seek or another poll came between), for the caller to read again.
     */
    <T> List<T> takeIfCurrent(FetchParams params, Map<TopicPartition, PartitionData> answer, int maxRecords,
                              long maxBytes, Function<ConsumerRecord, T> decode) {
        for (FetchPartition wanted : params.partitions()) {
            if (!Long.valueOf(wanted.offset()).equals(positions.get(wanted.partition()))) {
                return null;
            }
        }
        return take(params, answer, maxRecords, maxBytes, decode).records;
    }

    private <T> Taken<T> take(FetchParams params, Map<TopicPartition, PartitionData> answer, int maxRecords,
                              long maxBytes, Function<ConsumerRecord, T> decode) {
        if (reset == OffsetReset.NONE) { // refused before any position moves, so no record is skipped
            for (FetchPartition wanted : params.partitions()) {
                PartitionData data = answer.get(wanted.partition());
                if (data.error() == Errors.OFFSET_OUT_OF_RANGE) {
                    resetOutOfRange(wanted.partition(), wanted.offset(), data);
                }
            }
        }
        List<ConsumerRecord> records = new ArrayList<>();
        Map<TopicPartition, Long> moves = new HashMap<>(); // applied once every record is decoded
        long bytes = 0;
        boolean full = false;
        boolean moved = false;
        for (FetchPartition wanted : params.partitions()) {
            TopicPartition partition = wanted.partition();
            PartitionData data = answer.get(partition);
            if (data.error() == Errors.OFFSET_OUT_OF_RANGE) {
                long inRange = resetOutOfRange(partition, wanted.offset(), data);
                moves.put(partition, inRange);
                moved |= inRange != wanted.offset();
                continue;
            }
            if (data.error() != Errors.NONE) {
                throw refusal(data);
            }
            if (full) {
                continue;
            }
            List<OffsetRecord> read = data.records(maxRecords - records.size());
            int taken = 0;
            for (OffsetRecord record : read) {
                long size = size(record);
                if (!records.isEmpty() && bytes + size > maxBytes) {
                    full = true;
                    break;
                }
                bytes += size;
                records.add(new ConsumerRecord(partition, record.offset(), record.record()));
                taken++;
            }
            full |= records.size() >= maxRecords;
            if (!full && !data.batches().isEmpty()) {
                moves.put(partition, data.batches().nextOffset()); // all of it, past any gap at its end
                moved |= read.isEmpty() && data.batches().nextOffset() > wanted.offset();
            } else if (taken > 0) {
                moves.put(partition, read.get(taken - 1).offset() + 1);
            }
        }
        List<T> decoded = new ArrayList<>(records.size());
        records.forEach(record -> decoded.add(decode.apply(record))); // a refusal here leaves every position as it was
        positions.putAll(moves);
        firstPartition++;
        return new Taken<>(decoded, moved);
    }

    /** What max_bytes counts: the bytes of a record's key and value, as REST Proxy counts them. */
    private static long size(OffsetRecord read) {
        byte[] key = read.record().key();
        byte[] value = read.record().value();
        return (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
    }

    // tag::reset-out-of-range[]
    /**
     * Where a position the log does not hold goes, as a Kafka consumer's auto.offset.reset sends it when a
     * fetch answers OFFSET_OUT_OF_RANGE: to the log start offset under {@code earliest}, to the end offset
     * under {@code latest}; under {@code none} the poll fails, naming the range, until the client seeks.
     */
    private long resetOutOfRange(TopicPartition partition, long position, PartitionData data) {
        long logStart = data.logStartOffset();
        long end = data.highWatermark();
        return switch (reset) {
            case EARLIEST -> logStart;
            case LATEST -> end;
            case NONE -> throw new OffsetOutOfRangeException("consumer instance '" + name + "' has position "
                    + position + " in " + partition + ", which the log no longer holds: "
                    + OffsetOutOfRangeException.of(position, logStart, end).getMessage()
                    + "; its auto.offset.reset is none, so seek to an offset from " + logStart + " to " + end,
                    position, logStart, end);
        };
    }
    // end::reset-out-of-range[]

    /** A partition's refusal of the read, as the exception the poll answers with. */
    private static ApiException refusal(PartitionData data) {
        return switch (data.error()) {
            case UNKNOWN_TOPIC_OR_PARTITION -> new UnknownTopicOrPartitionException(data.message()); // deleted meanwhile
            case KAFKA_STORAGE_ERROR -> new KafkaStorageException(data.message(), null);
            default -> new Refused(data.error(), data.message());
        };
    }

    /** A refusal the instance passes on under the error it came with: the data path's, or its group's. */
    static final class Refused extends ApiException {
        Refused(Errors error, String message) {
            super(error, message);
        }
    }

    /**
     * Moves its position in a partition it owns (after {@link #syncPositions}). A partition it does not own
     * is Kafka's IllegalStateException ("no current assignment"), which REST Proxy answers with 409.
     */
    void seek(Broker broker, TopicPartition partition, long offset) {
        requireOwned(partition, "seek in");
        Broker.PartitionInfo log = broker.describePartition(partition.topic(), partition.partition());
        positions.put(partition, OffsetRange.check(offset, log.logStartOffset(), log.endOffset(),
                "cannot seek to offset " + offset + " in " + partition + ": a position is the next offset to read"));
    }

    /** Moves its position to the log start offset ({@code beginning}) or the end offset of a partition it owns. */
    void seekToEdge(Broker broker, TopicPartition partition, boolean beginning) {
        requireOwned(partition, "seek to the " + (beginning ? "beginning" : "end") + " of");
        Broker.PartitionInfo log = broker.describePartition(partition.topic(), partition.partition());
        positions.put(partition, beginning ? log.logStartOffset() : end(broker, partition, log));
    }

    /** The end a consumer seeks to: the last stable offset at read_committed, as Kafka's ListOffsets answers it. */
    private long end(Broker broker, TopicPartition partition, Broker.PartitionInfo log) {
        return config.readCommitted() ? broker.partitions().listOffsets(partition, Partitions.LATEST, true).offset()
                : log.endOffset();
    }

    /** Kafka's IllegalStateException for a partition it does not own, naming those it does. */
    void requireOwned(TopicPartition partition, String what) {
        if (!owned().contains(partition)) {
            throw new IllegalStateException("consumer instance '" + name + "' cannot " + what + " " + partition
                    + ": it owns " + owned() + (reads() ? "" : "; subscribe or assign partitions first"));
        }
    }

    @Override
    public String toString() {
        return "ConsumerInstance[" + name + ", " + reading + ", " + memberId + ", generation " + generation + ", owns " + owned() + "]";
    }
}

package toykafka.kafka;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.Partitions;
import toykafka.broker.OffsetAnswer;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.common.Errors;
import toykafka.common.InvalidRequestException;
import toykafka.common.RecordBatch;
import toykafka.common.TopicPartition;

// tag::list-offsets[]
/**
 * ListOffsets (key 2), versions 1–11: where a consumer with no committed offset starts, and how tools
 * find a partition's ends. Kafka's {@code ListOffsetsRequest} and {@code KafkaApis.handleListOffsetRequest}.
 * Each partition's timestamp goes to {@link Partitions#listOffsets}: -2 for the log start offset, -1 for
 * the end offset, -3 (v7+, MAX_TIMESTAMP) for the first record with the largest timestamp, or a time in
 * milliseconds for the first offset stamped at or after it; the last two are answered with that record's
 * timestamp (-1 and -1 when there is no such record, an empty partition included). Each partition is
 * answered on its own: an unknown one gets UNKNOWN_TOPIC_OR_PARTITION. Versions 6 and up are flexible.
 *
 * <p>Tiered storage's two (the log keeps every record on local disk, so both are answered as Kafka answers
 * them for a topic without remote storage): -4 (v8+, EARLIEST_LOCAL) is the log start offset, and -5 (v9+,
 * LATEST_TIERED) is -1 and -1, no offset having been copied to remote storage; so is -6 (v11+,
 * EARLIEST_PENDING_UPLOAD, KIP-1023), as Kafka answers it for a topic without remote storage, there being no upload
 * pending. Version 11 adds only that timestamp. Version 0 (several offsets per partition) is gone from Kafka 4. Served as noted, ignored, or answered as fixed values:
 * <ul>
 * <li>replica_id: a follower and a consumer see the same offsets on one broker, where the high watermark
 *     is the end of the log.</li>
 * <li>isolation_level (v2+) is served: READ_COMMITTED's latest is the last stable offset, and a record at
 *     or past it is not found by time, as in Kafka.</li>
 * <li>current_leader_epoch (v4+) is read and dropped; leader_epoch is answered 0 with every offset found, the
 *     one epoch this broker's partitions have had, and -1 with none, as Kafka's one node answers.</li>
 * <li>timeout_ms (v10), the wait for remote storage, which there is none of.</li>
 * <li>throttle_time_ms (v2+) is always 0.</li>
 * </ul>
 *
 * <p>With an authorizer, each topic needs DESCRIBE, else its partitions are TOPIC_AUTHORIZATION_FAILED, as Kafka's
 * {@code handleListOffsetRequest} answers.
 */
final class Api02ListOffsets extends BrokerApi {
    // end::list-offsets[]

    /** Tiered storage's earliest offset still on local disk: here every offset is. */
    static final long EARLIEST_LOCAL = -4;
    /** Tiered storage's last offset copied to remote storage: here none is. */
    static final long LATEST_TIERED = -5;
    /** Tiered storage's earliest offset not yet copied to remote storage: none is waiting, there being none. */
    static final long EARLIEST_PENDING_UPLOAD = -6;

    private final AuthHelper auth;

    Api02ListOffsets(Broker broker, AuthHelper auth) {
        super(broker, 2, "ListOffsets", 1, 11, 6);
        this.auth = auth;
    }

    /** One partition asked about, and the time (or -2, -1) asked for. */
    private record Wanted(int partition, long timestamp) {
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        ProtocolReader in = request.body();
        in.int32("replica_id");
        boolean readCommitted = false;
        if (version >= 2) {
            byte isolation = in.int8("isolation_level");
            if (isolation != 0 && isolation != 1) {
                throw new InvalidRequestException("isolation_level must be 0 (READ_UNCOMMITTED) or 1 (READ_COMMITTED),"
                        + " was " + isolation);
            }
            readCommitted = isolation == 1;
        }
        boolean committedOnly = readCommitted;
        List<TopicPartitions<Wanted>> topics = in.array("topics", topic -> {
            TopicPartitions<Wanted> wanted = new TopicPartitions<>(topic.string("name"),
                    topic.array("partitions", partition -> {
                        int index = partition.int32("partition_index");
                        if (version >= 4) {
                            partition.int32("current_leader_epoch");
                        }
                        Wanted one = new Wanted(index, partition.int64("timestamp"));
                        partition.taggedFields("ListOffsetsPartition");
                        return one;
                    }));
            topic.taggedFields("ListOffsetsTopic");
            return wanted;
        });
        if (version >= 10) {
            in.int32("timeout_ms");
        }
        in.taggedFields("ListOffsetsRequest");

        Set<String> undescribable = !auth.enabled() ? Set.of() : auth.refusedOf(request, AclOperation.DESCRIBE,
                ResourceType.TOPIC, topics.stream().map(TopicPartitions::topic).toList());
        TraceList asked = new TraceList();
        TraceList answered = new TraceList();
        ProtocolWriter out = responseWithThrottleTime(request, 2);
        out.topics(topics, TopicPartitions::topic, TopicPartitions::partitions, (partitionOut, topic, wanted) -> {
            String name = topic.topic() + "-" + wanted.partition();
            OffsetAnswer answer = undescribable.contains(topic.topic()) // Kafka asks DESCRIBE on each topic first
                    ? new OffsetAnswer(Errors.TOPIC_AUTHORIZATION_FAILED, "not authorized to DESCRIBE " + topic.topic(),
                    -1, -1) : answer(topic.topic(), wanted, committedOnly);
            partitionOut.int32(wanted.partition()).int16(answer.error().code()).int64(answer.timestamp())
                    .int64(answer.offset());
            if (version >= 4) {
                partitionOut.int32(answer.error() == Errors.NONE && answer.offset() >= 0
                        ? RecordBatch.FIRST_LEADER_EPOCH : RecordBatch.NO_PARTITION_LEADER_EPOCH);
            }
            asked.add(name + " " + describe(wanted.timestamp()));
            answered.add(name + " " + (answer.error() != Errors.NONE ? answer.error() + ": " + answer.message()
                    : "offset " + answer.offset() + (answer.timestamp() >= 0 ? " stamped " + answer.timestamp() : "")));
        });
        out.taggedFields();
        request.asked(asked.toString());
        request.answered(answered.toString());
        return CompletableFuture.completedFuture(out);
    }

    private OffsetAnswer answer(String topic, Wanted wanted, boolean readCommitted) {
        if (wanted.partition() < 0) {
            return new OffsetAnswer(Errors.UNKNOWN_TOPIC_OR_PARTITION, "partition numbers start at 0", -1, -1);
        }
        TopicPartition partition = new TopicPartition(topic, wanted.partition());
        if (wanted.timestamp() == LATEST_TIERED || wanted.timestamp() == EARLIEST_PENDING_UPLOAD) {
            OffsetAnswer known = broker.partitions().listOffsets(partition, Partitions.LATEST); // for its error, if any
            return known.error() != Errors.NONE ? known : new OffsetAnswer(Errors.NONE, null, -1, -1);
        }
        return broker.partitions().listOffsets(partition, wanted.timestamp() == EARLIEST_LOCAL ? Partitions.EARLIEST
                : wanted.timestamp(), readCommitted);
    }

    private static String describe(long timestamp) {
        if (timestamp == Partitions.EARLIEST) {
            return "earliest";
        }
        if (timestamp == Partitions.MAX_TIMESTAMP) {
            return "max timestamp";
        }
        if (timestamp == EARLIEST_LOCAL) {
            return "earliest local";
        }
        if (timestamp == LATEST_TIERED) {
            return "latest tiered";
        }
        if (timestamp == EARLIEST_PENDING_UPLOAD) {
            return "earliest pending upload";
        }
        return timestamp == Partitions.LATEST ? "latest" : "at time " + timestamp;
    }
}

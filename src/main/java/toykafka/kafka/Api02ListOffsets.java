package toykafka.kafka;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.Partitions;
import toykafka.broker.Partitions.OffsetAnswer;
import toykafka.common.Errors;
import toykafka.common.InvalidRequestException;
import toykafka.common.TopicPartition;

// tag::list-offsets[]
/**
 * ListOffsets (key 2), versions 1–5: where a consumer with no committed offset starts, and how tools
 * find a partition's ends. Kafka's {@code ListOffsetsRequest} and {@code KafkaApis.handleListOffsetRequest}.
 * Each partition's timestamp goes to {@link Partitions#listOffsets}: -2 for the log start offset, -1 for
 * the end offset, or a time in milliseconds for the first offset stamped at or after it, answered with
 * that record's timestamp (-1 and -1 when no record is that late). Each partition is answered on its own:
 * an unknown one gets UNKNOWN_TOPIC_OR_PARTITION.
 *
 * <p>Version 0 (several offsets per partition) is gone from Kafka 4; 6 and up are flexible and not served,
 * so -3 (the record with the largest timestamp, v7+) is not asked for. Ignored, or answered as fixed values:
 * <ul>
 * <li>replica_id: a follower and a consumer see the same offsets on one broker, where the high watermark
 *     is the end of the log.</li>
 * <li>isolation_level (v2+): READ_COMMITTED's latest (the last stable offset) is the end offset as for
 *     READ_UNCOMMITTED, since there are no transactions.</li>
 * <li>current_leader_epoch (v4+) is read and dropped; leader_epoch is answered -1 (unknown), so a Java
 *     consumer keeps no epoch with its position and does not try to validate it against the leader's
 *     (OffsetForLeaderEpoch, which this broker does not serve).</li>
 * <li>throttle_time_ms (v2+) is always 0.</li>
 * </ul>
 */
final class Api02ListOffsets extends Api {
    // end::list-offsets[]

    private static final int UNKNOWN_LEADER_EPOCH = -1;

    private final Partitions partitions;

    Api02ListOffsets(Broker broker) {
        super(2, "ListOffsets", 1, 5, 6);
        this.partitions = broker.partitions();
    }

    /** One partition asked about, and the time (or -2, -1) asked for. */
    private record Wanted(int partition, long timestamp) {
    }

    private record WantedTopic(String name, List<Wanted> partitions) {
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        ProtocolReader in = request.body();
        in.int32("replica_id");
        if (version >= 2) {
            byte isolation = in.int8("isolation_level");
            if (isolation != 0 && isolation != 1) {
                throw new InvalidRequestException("isolation_level must be 0 (READ_UNCOMMITTED) or 1 (READ_COMMITTED),"
                        + " was " + isolation);
            }
        }
        List<WantedTopic> topics = in.array("topics", false, topic -> new WantedTopic(topic.string("name", false),
                topic.array("partitions", false, partition -> {
                    int index = partition.int32("partition_index");
                    if (version >= 4) {
                        partition.int32("current_leader_epoch");
                    }
                    return new Wanted(index, partition.int64("timestamp"));
                })));

        TraceList asked = new TraceList();
        TraceList answered = new TraceList();
        ProtocolWriter out = new ProtocolWriter();
        if (version >= 2) {
            out.int32(0); // throttle_time_ms
        }
        out.array(topics, false, (topicOut, topic) -> {
            topicOut.string(topic.name(), false);
            topicOut.array(topic.partitions(), false, (partitionOut, wanted) -> {
                String name = topic.name() + "-" + wanted.partition();
                OffsetAnswer answer = wanted.partition() < 0
                        ? new OffsetAnswer(Errors.UNKNOWN_TOPIC_OR_PARTITION, "partition numbers start at 0", -1, -1)
                        : partitions.listOffsets(new TopicPartition(topic.name(), wanted.partition()), wanted.timestamp());
                partitionOut.int32(wanted.partition()).int16(answer.error().code()).int64(answer.timestamp())
                        .int64(answer.offset());
                if (version >= 4) {
                    partitionOut.int32(UNKNOWN_LEADER_EPOCH);
                }
                asked.add(name + " " + describe(wanted.timestamp()));
                answered.add(name + " " + (answer.error() != Errors.NONE ? answer.error() + ": " + answer.message()
                        : "offset " + answer.offset() + (answer.timestamp() >= 0 ? " stamped " + answer.timestamp() : "")));
            });
        });
        request.asked(asked.toString());
        request.answered(answered.toString());
        return CompletableFuture.completedFuture(out);
    }

    private static String describe(long timestamp) {
        if (timestamp == Partitions.EARLIEST) {
            return "earliest";
        }
        return timestamp == Partitions.LATEST ? "latest" : "at time " + timestamp;
    }
}

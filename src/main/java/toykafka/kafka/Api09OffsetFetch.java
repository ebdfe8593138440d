package toykafka.kafka;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.group.GroupCoordinator;
import toykafka.broker.group.OffsetFetchResponse;
import toykafka.common.Errors;
import toykafka.common.TopicPartition;

/**
 * OffsetFetch (key 9), versions 1–5: a group's committed offsets, each with the metadata committed beside it,
 * where a consumer given partitions starts reading. Kafka's {@code KafkaApis.handleOffsetFetchRequest}. A
 * partition with no commit is answered offset -1 and metadata "", error NONE, as Kafka answers it; the
 * consumer then starts where {@code auto.offset.reset} says. From v2 a null list of topics asks for every
 * partition the group has an offset for ({@code kafka-consumer-groups --describe}, {@code
 * Admin.listConsumerGroupOffsets}), and the answer carries an error for the whole group (v1 puts it in each
 * partition). v5 answers the committed leader epoch: -1, unknown, as Fetch and ListOffsets answer it.
 *
 * <p>Version 0 (offsets kept in ZooKeeper) is gone from Kafka 4. Ignored: throttling (always 0 ms). Versions
 * 6 and up (flexible; from v7 {@code require_stable}, from v8 several groups) are not served: with no
 * transactions there is nothing unstable to wait for.
 */
final class Api09OffsetFetch extends Api {

    private final GroupCoordinator coordinator;

    Api09OffsetFetch(Broker broker) {
        super(9, "OffsetFetch", 1, 5, 6);
        this.coordinator = broker.groupCoordinator();
    }

    private record Wanted(String topic, List<Integer> partitions) {
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        ProtocolReader in = request.body();
        String groupId = GroupMemberFields.groupId(in);
        List<Wanted> wanted = version >= 2
                ? in.nullableArray("topics", false, Api09OffsetFetch::readTopic)
                : in.array("topics", false, Api09OffsetFetch::readTopic);
        request.asked(() -> "group " + groupId + ": " + (wanted == null ? "every partition" : Summaries.list(
                wanted.stream().flatMap(t -> t.partitions().stream().map(p -> t.topic() + "-" + p)).toList())));

        List<TopicPartition> asked = wanted == null ? null : wanted.stream().flatMap(t -> t.partitions().stream()
                .filter(p -> p >= 0).map(p -> new TopicPartition(t.topic(), p))).toList();
        OffsetFetchResponse committed = coordinator.fetchOffsets(groupId, asked);
        List<Wanted> answered = wanted != null ? wanted : byTopic(committed);
        request.answered(() -> committed.error() != Errors.NONE ? committed.error().toString() : Summaries.list(
                committed.offsets().entrySet().stream().map(e -> e.getKey() + " at " + e.getValue()).toList()));

        ProtocolWriter out = new ProtocolWriter();
        if (version >= 3) {
            out.int32(0); // throttle time
        }
        Errors partitionError = version < 2 ? committed.error() : Errors.NONE;
        out.array(answered, false, (w, topic) -> {
            w.string(topic.topic(), false);
            w.array(topic.partitions(), false, (p, index) -> {
                TopicPartition partition = index < 0 ? null : new TopicPartition(topic.topic(), index);
                Long offset = partition == null ? null : committed.offsets().get(partition);
                p.int32(index).int64(offset == null ? -1 : offset);
                if (version >= 5) {
                    p.int32(-1); // committed leader epoch: unknown
                }
                p.nullableString(offset == null ? "" : committed.metadataOf(partition), false).int16(partitionError.code());
            });
        });
        if (version >= 2) {
            out.int16(committed.error().code());
        }
        return CompletableFuture.completedFuture(out);
    }

    private static Wanted readTopic(ProtocolReader topic) {
        String name = topic.string("topic name", false);
        return new Wanted(name, topic.array("partition_indexes of " + name, false, p -> p.int32("partition index")));
    }

    /** The committed partitions, by topic, for the all-partitions form. */
    private static List<Wanted> byTopic(OffsetFetchResponse committed) {
        Map<String, List<Integer>> topics = new LinkedHashMap<>();
        committed.offsets().keySet().forEach(partition -> topics.computeIfAbsent(partition.topic(),
                topic -> new ArrayList<>()).add(partition.partition()));
        return topics.entrySet().stream().map(e -> new Wanted(e.getKey(), e.getValue())).toList();
    }
}

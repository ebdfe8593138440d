package toykafka.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.Partitions;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.broker.share.SharePartitions;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.RecordBatch;
import toykafka.common.TopicId;
import toykafka.common.TopicPartition;

/**
 * DescribeShareGroupOffsets (key 90), versions 0–1, flexible: where each of a share group's share partitions starts,
 * and (v1) its lag: the log end, less the start offset, less the records after it whose delivery is complete. Kafka's
 * {@code GroupCoordinatorService.describeShareGroupOffsets}; {@code kafka-share-groups --describe} and Admin's {@code
 * listShareGroupOffsets} ask it. Topics left null ask for every partition the group has: those it has read, and those
 * of the topics its members read now. A partition it never read has start offset -1 and lag -1, as Kafka answers
 * one whose state was never initialized; a topic the broker does not have is answered so too, with a zero topic id.
 * A group of another type is GROUP_ID_NOT_FOUND.
 *
 * <p>With an authorizer, as Kafka's handler answers: a group the principal may not DESCRIBE is
 * GROUP_AUTHORIZATION_FAILED with no topics; of every partition, the topics it may not DESCRIBE are left out, and of
 * the topics named, those are answered after the others, with a zero topic id and each partition
 * TOPIC_AUTHORIZATION_FAILED.
 */
final class Api90DescribeShareGroupOffsets extends BrokerApi {

    private final AuthHelper auth;

    Api90DescribeShareGroupOffsets(Broker broker, AuthHelper auth) {
        super(broker, 90, "DescribeShareGroupOffsets", 0, 1, 0);
        this.auth = auth;
    }

    private record Asked(String groupId, SortedMap<String, List<Integer>> topics) {
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        ProtocolReader in = request.body();
        List<Asked> asked = in.array("groups", group -> {
            String groupId = group.string("group_id");
            List<Map.Entry<String, List<Integer>>> topics = group.nullableArray("topics", topic -> {
                String name = topic.string("topic_name");
                List<Integer> partitions = topic.array("partitions", p -> p.int32("partition"));
                topic.taggedFields("DescribeShareGroupOffsetsRequestTopic");
                return Map.entry(name, partitions);
            });
            group.taggedFields("DescribeShareGroupOffsetsRequestGroup");
            SortedMap<String, List<Integer>> byTopic = null;
            if (topics != null) {
                byTopic = new TreeMap<>();
                for (Map.Entry<String, List<Integer>> topic : topics) {
                    byTopic.put(topic.getKey(), topic.getValue());
                }
            }
            return new Asked(groupId, byTopic);
        });
        in.taggedFields("DescribeShareGroupOffsetsRequest");
        request.asked(() -> Summaries.list(asked.stream().map(a -> a.groupId() + (a.topics() == null ? " (all)"
                : " " + a.topics())).toList()));
        TopicIds ids = TopicIds.of(broker);

        ProtocolWriter out = responseWithThrottleTime(request);
        out.array(asked, (w, group) -> {
            w.string(group.groupId());
            if (!auth.authorize(request, AclOperation.DESCRIBE, ResourceType.GROUP, group.groupId())) {
                w.arrayLength(0).int16(Errors.GROUP_AUTHORIZATION_FAILED.code()).nullableString(null).taggedFields();
                return;
            }
            boolean otherType = broker.groupCoordinator().groupType(group.groupId()).filter(t -> !t.equals("share"))
                    .isPresent();
            SortedMap<String, List<Integer>> topics = otherType ? new TreeMap<>()
                    : group.topics() != null ? group.topics() : everyPartition(group.groupId());
            Set<String> refused = auth.refusedOf(request, AclOperation.DESCRIBE, ResourceType.TOPIC, topics.keySet());
            List<Map.Entry<String, List<Integer>>> answered = new ArrayList<>(topics.entrySet().stream()
                    .filter(topic -> !refused.contains(topic.getKey())).toList());
            if (group.topics() != null) { // named ones refused are answered last; of all, they are left out
                topics.entrySet().stream().filter(topic -> refused.contains(topic.getKey())).forEach(answered::add);
            }
            w.array(answered, (t, topic) -> {
                if (refused.contains(topic.getKey())) {
                    writeRefused(t, topic.getKey(), topic.getValue(), version);
                    return;
                }
                TopicId id = ids.id(topic.getKey());
                t.string(topic.getKey()).topicId(id);
                t.array(topic.getValue(), (p, partition) -> writePartition(p, group.groupId(),
                        id.equals(TopicId.ZERO) ? null : new TopicPartition(topic.getKey(), partition), partition,
                        version));
                t.taggedFields();
            });
            w.int16(otherType ? Errors.GROUP_ID_NOT_FOUND.code() : Errors.NONE.code())
                    .nullableString(otherType ? "Group " + group.groupId() + " is not a share group." : null);
            w.taggedFields();
        });
        request.answered(() -> asked.size() + " groups");
        return CompletableFuture.completedFuture(out.taggedFields());
    }

    /** The partitions the group has read, and those of the topics its members read now, by topic. */
    private SortedMap<String, List<Integer>> everyPartition(String groupId) {
        SortedMap<String, TreeSet<Integer>> found = new TreeMap<>();
        broker.sharePartitions().of(groupId).keySet().forEach(partition ->
                found.computeIfAbsent(partition.topic(), t -> new TreeSet<>()).add(partition.partition()));
        for (String topic : broker.groupCoordinator().shareGroupTopics(groupId)) {
            try {
                int count = broker.partitionCount(topic);
                for (int partition = 0; partition < count; partition++) {
                    found.computeIfAbsent(topic, t -> new TreeSet<>()).add(partition);
                }
            } catch (ApiException noSuchTopic) {
                // a topic subscribed to before it is made has no partitions yet
            }
        }
        SortedMap<String, List<Integer>> partitions = new TreeMap<>();
        found.forEach((topic, numbers) -> partitions.put(topic, new ArrayList<>(numbers)));
        return partitions;
    }

    /** A topic the principal may not DESCRIBE, as Kafka answers it: no id, and each partition refused. */
    private static void writeRefused(ProtocolWriter out, String topic, List<Integer> partitions, short version) {
        out.string(topic).topicId(TopicId.ZERO);
        out.array(partitions, (p, partition) -> {
            p.int32(partition).int64(-1).int32(0);
            if (version >= 1) {
                p.int64(-1);
            }
            p.int16(Errors.TOPIC_AUTHORIZATION_FAILED.code()).nullableString("Topic authorization failed.")
                    .taggedFields();
        });
        out.taggedFields();
    }

    private void writePartition(ProtocolWriter out, String groupId, TopicPartition partition, int index,
                                short version) {
        SharePartitions.StartOffset start = partition == null ? null
                : broker.sharePartitions().startOffset(groupId, partition);
        long lag = -1;
        if (start != null) {
            long end = broker.partitions().listOffsets(partition, Partitions.LATEST).offset();
            lag = end < 0 ? -1 : Math.max(0, end - start.startOffset() - start.deliveryComplete());
        }
        out.int32(index).int64(start == null ? -1 : start.startOffset()).int32(RecordBatch.FIRST_LEADER_EPOCH);
        if (version >= 1) {
            out.int64(lag);
        }
        out.int16(Errors.NONE.code()).nullableString(null).taggedFields();
    }
}

package toykafka.kafka;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Stream;
import toykafka.broker.Broker;
import toykafka.broker.group.GroupCoordinator;
import toykafka.broker.group.base.OffsetFetchResponse;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.common.Errors;
import toykafka.common.OffsetAndMetadata;
import toykafka.common.TopicId;
import toykafka.common.TopicPartition;

/**
 * OffsetFetch (key 9), versions 1–10: a group's committed offsets, each with the metadata committed beside it,
 * where a consumer given partitions starts reading. Kafka's {@code KafkaApis.handleOffsetFetchRequest}. A
 * partition with no commit is answered offset -1 and metadata "", error NONE, as Kafka answers it; the
 * consumer then starts where {@code auto.offset.reset} says. From v2 a null list of topics asks for every
 * partition the group has an offset for ({@code kafka-consumer-groups --describe}, {@code
 * Admin.listConsumerGroupOffsets}), and the answer carries an error for the whole group (v1 puts it in each
 * partition). v5 answers the committed leader epoch: -1, unknown, as Fetch and ListOffsets answer it. v6 is
 * the first flexible version. v7's {@code require_stable} (a {@code read_committed} consumer sends it; Kafka
 * Streams at exactly-once insists on it) answers UNSTABLE_OFFSET_COMMIT, offset -1, for a partition whose
 * offsets a transaction has committed and not yet ended, and the client asks again: it must not start reading
 * from an offset the transaction is about to move. From v8 one request asks for several groups, each answered
 * on its own.
 *
 * <p>v9 says who asks: a member of a Kafka 4 consumer group sends its member id and epoch, and must be a member at
 * that epoch (UNKNOWN_MEMBER_ID, STALE_MEMBER_EPOCH for the whole group, which is then answered with no topics);
 * anyone else sends null and -1. Version 10 names each topic by its id instead of its name (KIP-848), in the request
 * and the answer: an id no topic has is answered UNKNOWN_TOPIC_ID for each of its partitions (offset -1), after the
 * topics found, as Kafka answers it; asked for every partition, a topic that no longer exists, having no id, is
 * left out. Version 0 (offsets kept in ZooKeeper) is gone from Kafka 4.
 */
final class Api09OffsetFetch extends BrokerApi {

    /** The first version that names topics by id. */
    private static final short FIRST_TOPIC_ID_VERSION = 10;

    private final AuthHelper auth;

    Api09OffsetFetch(Broker broker, AuthHelper auth) {
        super(broker, 9, "OffsetFetch", 1, 10, 6);
        this.auth = auth;
    }

    /** A topic asked for by id (v10): its name, or null when no topic has the id. */
    private record AskedById(TopicId id, TopicPartitionNumbers topic) {
    }

    /**
     * One group the request asks about, who asks (v9), and its topics (null: every partition it committed); from v10
     * also the topics asked for by an id no topic has, by id.
     */
    private record AskedGroup(String groupId, String memberId, int memberEpoch, List<TopicPartitionNumbers> topics,
                              List<AskedById> unknownIds) {
    }

    /**
     * One group's answer: what it committed, which of the partitions a transaction holds, and the topics the
     * principal may not DESCRIBE.
     */
    private record GroupAnswer(AskedGroup asked, OffsetFetchResponse committed, Set<TopicPartition> unstable,
                               Set<String> undescribable) {
        /**
         * The topics answered: none for a group refused as a whole (from v8, as Kafka answers it); asked for every
         * partition, those the principal may DESCRIBE, as Kafka leaves the others out.
         */
        List<TopicPartitionNumbers> topics(short version) {
            if (version >= 8 && committed.error() != Errors.NONE) {
                return List.of();
            }
            return asked.topics() != null ? asked.topics() : byTopic(committed).stream()
                    .filter(topic -> !undescribable.contains(topic.topic())).toList();
        }
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        ProtocolReader in = request.body();
        TopicIds ids = version >= FIRST_TOPIC_ID_VERSION ? TopicIds.of(broker) : null;
        List<AskedGroup> groups;
        if (version >= 8) {
            groups = in.array("groups", group -> {
                String groupId = group.string("group_id");
                String memberId = version >= 9 ? group.nullableString("member_id") : null;
                int memberEpoch = version >= 9 ? group.int32("member_epoch") : -1;
                if (ids != null) {
                    List<AskedById> byId = group.nullableArray("topics", topic -> readById(topic, ids));
                    group.taggedFields("OffsetFetchRequestGroup");
                    return byId == null ? new AskedGroup(groupId, memberId, memberEpoch, null, List.of())
                            : new AskedGroup(groupId, memberId, memberEpoch, byId.stream().filter(t -> t.topic()
                            .topic() != null).map(AskedById::topic).toList(), byId.stream().filter(t -> t.topic()
                            .topic() == null).toList());
                }
                List<TopicPartitionNumbers> topics = group.nullableArray("topics",
                        topic -> TopicPartitionNumbers.read(topic, "OffsetFetchRequestTopics"));
                group.taggedFields("OffsetFetchRequestGroup");
                return new AskedGroup(groupId, memberId, memberEpoch, topics, List.of());
            });
        } else {
            String groupId = in.string("group_id");
            Function<ProtocolReader, TopicPartitionNumbers> topic =
                    each -> TopicPartitionNumbers.read(each, "OffsetFetchRequestTopic");
            List<TopicPartitionNumbers> topics = version >= 2 ? in.nullableArray("topics", topic)
                    : in.array("topics", topic);
            groups = List.of(new AskedGroup(groupId, null, -1, topics, List.of()));
        }
        boolean requireStable = version >= 7 && in.bool("require_stable");
        in.taggedFields("OffsetFetchRequest");
        request.asked(() -> Summaries.list(groups.stream().map(group -> "group " + group.groupId() + ": "
                + (group.topics() == null ? "every partition" : Summaries.list(Stream.concat(group.topics().stream()
                .flatMap(t -> t.partitions().stream().map(p -> t.topic() + "-" + p)), group.unknownIds().stream()
                .map(t -> "unknown topic id " + t.id())).toList()))).toList())
                + (requireStable ? ", stable offsets only" : ""));

        List<GroupAnswer> answers = groups.stream().map(group -> answer(request, group, requireStable)).toList();
        request.answered(() -> Summaries.list(answers.stream().map(Api09OffsetFetch::summary).toList()));

        ProtocolWriter out = responseWithThrottleTime(request, 3);
        if (version >= 8) {
            out.array(answers, (w, answer) -> {
                w.string(answer.asked().groupId());
                topics(w, version, ids, answer, answer.committed().error());
                w.int16(answer.committed().error().code()).taggedFields();
            });
        } else {
            GroupAnswer answer = answers.get(0);
            topics(out, version, ids, answer, answer.committed().error());
            if (version >= 2) {
                out.int16(answer.committed().error().code());
            }
        }
        return CompletableFuture.completedFuture(out.taggedFields());
    }

    /**
     * One group's answer, as Kafka's {@code handleOffsetFetchRequest} asks the authorizer: READ on the group, else
     * GROUP_AUTHORIZATION_FAILED for it; then DESCRIBE on each topic, a partition of one refused answered
     * TOPIC_AUTHORIZATION_FAILED.
     */
    private GroupAnswer answer(Request request, AskedGroup group, boolean requireStable) {
        if (!auth.authorize(request, AclOperation.READ, ResourceType.GROUP, group.groupId())) {
            return new GroupAnswer(group, OffsetFetchResponse.none(Errors.GROUP_AUTHORIZATION_FAILED), Set.of(),
                    Set.of());
        }
        GroupAnswer answer = answer(group, requireStable);
        Set<String> topics = new LinkedHashSet<>();
        if (group.topics() != null) {
            group.topics().forEach(topic -> topics.add(topic.topic()));
        } else {
            answer.committed().committed().keySet().forEach(partition -> topics.add(partition.topic()));
        }
        return new GroupAnswer(group, answer.committed(), answer.unstable(),
                auth.refusedOf(request, AclOperation.DESCRIBE, ResourceType.TOPIC, topics));
    }

    private GroupAnswer answer(AskedGroup group, boolean requireStable) {
        List<TopicPartition> asked = group.topics() == null ? null : group.topics().stream().flatMap(t ->
                t.partitions().stream().filter(p -> p >= 0).map(p -> new TopicPartition(t.topic(), p))).toList();
        // Asked before the offsets are read: a transaction that ends in between is answered unstable, never stale.
        GroupCoordinator coordinator = broker.groupCoordinator();
        Set<TopicPartition> unstable = requireStable ? coordinator.unstableOffsets(group.groupId()) : Set.of();
        return new GroupAnswer(group, coordinator.fetchOffsets(group.groupId(), group.memberId(), group.memberEpoch(),
                asked), unstable, Set.of());
    }

    private static String summary(GroupAnswer answer) {
        OffsetFetchResponse committed = answer.committed();
        return "group " + answer.asked().groupId() + ": " + (committed.error() != Errors.NONE ? committed.error().toString()
                : Summaries.list(committed.committed().entrySet().stream().map(e -> answer.unstable().contains(
                e.getKey()) ? e.getKey() + " " + Errors.UNSTABLE_OFFSET_COMMIT
                : e.getKey() + " at " + e.getValue().offset()).toList()));
    }

    /** A topic asked for by id, with the name of the topic that has it, or a null name when none has. */
    private static AskedById readById(ProtocolReader in, TopicIds ids) {
        TopicId id = in.topicId("topic_id");
        List<Integer> partitions = in.array("partitions of topic " + id, p -> p.int32("partition index"));
        in.taggedFields("OffsetFetchRequestTopics");
        return new AskedById(id, new TopicPartitionNumbers(ids.name(id), partitions));
    }

    /**
     * The topics of one group's answer, each partition with its offset, metadata and error; from v10 named by id
     * ({@code ids}), those of an unknown id last, as Kafka adds them after the coordinator's answer.
     */
    private static void topics(ProtocolWriter out, short version, TopicIds ids, GroupAnswer answer, Errors groupError) {
        if (ids != null) {
            List<AskedById> found = answer.topics(version).stream().map(t -> new AskedById(ids.id(t.topic()), t))
                    .filter(t -> !t.id().equals(TopicId.ZERO)).toList(); // a topic gone has no id to be named by
            List<AskedById> all = new ArrayList<>(found);
            if (answer.committed().error() == Errors.NONE) {
                all.addAll(answer.asked().unknownIds());
            }
            out.topicsNamedBy(all, (w, t) -> w.topicId(t.id()), t -> t.topic().partitions(), (p, t, index) -> {
                if (t.topic().topic() == null) {
                    p.int32(index).int64(-1).int32(OffsetAndMetadata.NO_LEADER_EPOCH).nullableString("")
                            .int16(Errors.UNKNOWN_TOPIC_ID.code());
                } else {
                    partition(p, version, answer, groupError, t.topic(), index);
                }
            });
            return;
        }
        out.topics(answer.topics(version), TopicPartitionNumbers::topic, TopicPartitionNumbers::partitions,
                (p, topic, index) -> partition(p, version, answer, groupError, topic, index));
    }

    private static void partition(ProtocolWriter p, short version, GroupAnswer answer, Errors groupError,
                                  TopicPartitionNumbers topic, int index) {
        OffsetFetchResponse committed = answer.committed();
        if (answer.undescribable().contains(topic.topic())) {
            p.int32(index).int64(-1);
            if (version >= 5) {
                p.int32(OffsetAndMetadata.NO_LEADER_EPOCH);
            }
            p.nullableString("").int16(Errors.TOPIC_AUTHORIZATION_FAILED.code());
            return;
        }
        TopicPartition partition = index < 0 ? null : new TopicPartition(topic.topic(), index);
        boolean pending = partition != null && answer.unstable().contains(partition);
        OffsetAndMetadata value = partition == null || pending ? null : committed.committed().get(partition);
        p.int32(index).int64(value == null ? -1 : value.offset());
        if (version >= 5) {
            p.int32(value == null ? OffsetAndMetadata.NO_LEADER_EPOCH : value.leaderEpoch());
        }
        Errors error = pending ? Errors.UNSTABLE_OFFSET_COMMIT : version < 2 ? groupError : Errors.NONE;
        p.nullableString(value == null ? "" : value.metadata()).int16(error.code());
    }

    /** The committed partitions, by topic, for the all-partitions form. */
    private static List<TopicPartitionNumbers> byTopic(OffsetFetchResponse committed) {
        Map<String, List<Integer>> topics = new LinkedHashMap<>();
        committed.committed().keySet().forEach(partition -> topics.computeIfAbsent(partition.topic(),
                topic -> new ArrayList<>()).add(partition.partition()));
        return topics.entrySet().stream().map(e -> new TopicPartitionNumbers(e.getKey(), e.getValue())).toList();
    }
}

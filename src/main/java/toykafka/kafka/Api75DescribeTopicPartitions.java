package toykafka.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.RecordBatch;
import toykafka.common.TopicId;
import toykafka.common.TopicName;
import toykafka.common.UnknownTopicOrPartitionException;

/**
 * DescribeTopicPartitions (key 75), version 0: each topic's partitions with their leaders and replicas, a page at
 * a time (KIP-966). Kafka 4.4's {@code Admin.describeTopics}, and so {@code kafka-topics --describe}, asks it by
 * name, and asks Metadata only of a broker that does not serve it. Kafka's {@code
 * DescribeTopicPartitionsRequestHandler} over {@code KRaftMetadataCache.describeTopicResponse}. Every version is
 * flexible.
 *
 * <p>Topics: those named, each once, or every topic, the broker's own too, for an empty list; either way in name
 * order, from the cursor's topic on. An answer holds at most {@code ResponsePartitionLimit} partitions, at least 1
 * and never more than 2000 (Kafka's default {@code max.request.partition.size.limit}); where it stops, {@code
 * NextCursor} names the topic and partition to go on from, and the client asks again with it as its {@code Cursor}.
 * A cursor's topic must be one of those named, and its partition not negative: else every topic named is answered
 * INVALID_REQUEST and nothing else, as Kafka's error response does. An unknown topic named is
 * UNKNOWN_TOPIC_OR_PARTITION, a name no topic can have INVALID_TOPIC_EXCEPTION, each with the zero id and no
 * partitions, counting nothing against the limit; a topic is never created here.
 *
 * <p>Each partition as {@link Api03Metadata} answers it on this broker, the whole cluster: the leader and only
 * replica, in sync, at leader epoch 0, none offline. Eligible leader replicas and the last known ones (KIP-966's
 * ELR) are empty lists, as Kafka sends them for a partition whose replicas are all in sync. There is no flag to ask
 * for the authorized operations: each topic answered carries them, those the authorizer allows, every operation on
 * a topic when none is configured ({@link AuthorizedOperations}). With an authorizer a listing of every topic leaves
 * out those the principal may not DESCRIBE, and one named that it may not is TOPIC_AUTHORIZATION_FAILED, with the
 * zero id and no partitions, after the page, as Kafka's handler answers.
 */
final class Api75DescribeTopicPartitions extends BrokerApi {

    /** Kafka's default {@code max.request.partition.size.limit}: the most partitions one answer holds. */
    static final int MAX_PARTITIONS_PER_RESPONSE = 2000;


    /** Where to begin: a topic, and its first partition to answer. */
    private record Cursor(String topic, int partition) {
        @Override
        public String toString() {
            return topic + "-" + partition;
        }
    }

    /**
     * One topic's line in the answer: its partitions from {@code first} up to {@code end} of the {@code count} it
     * has, or the error that replaced them.
     */
    private record TopicAnswer(String name, TopicId id, Errors error, boolean internal, int first, int end, int count,
                               int authorizedOperations) {
        static TopicAnswer failed(String name, Errors error, boolean internal, int authorizedOperations) {
            return new TopicAnswer(name, TopicId.ZERO, error, internal, 0, 0, 0, authorizedOperations);
        }

        /** Whether the topic has partitions past those answered, for the next page. */
        boolean cutShort() {
            return end < count;
        }

        int partitions() {
            return Math.max(0, end - first);
        }

        String summary() {
            if (error != Errors.NONE) {
                return name + " " + error;
            }
            return name + " (" + (first == 0 ? "" : "from " + first + ", ") + partitions()
                    + (partitions() == 1 ? " partition)" : " partitions)");
        }
    }

    /** What the answer holds: the topics, and where the next page begins (null when this is the last). */
    private record Page(List<TopicAnswer> topics, Cursor next) {
    }

    private final AuthHelper auth;

    Api75DescribeTopicPartitions(Broker broker, AuthHelper auth) {
        super(broker, 75, "DescribeTopicPartitions", 0, 0, 0);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        ProtocolReader in = request.body();
        List<String> named = in.array("topics", topic -> {
            String name = topic.string("topic name");
            topic.taggedFields("TopicRequest");
            return name;
        });
        int asked = in.int32("response_partition_limit");
        Cursor cursor = cursor(in);
        in.taggedFields("DescribeTopicPartitionsRequest");
        request.asked(() -> (named.isEmpty() ? "every topic" : "topics " + Summaries.list(named)) + ", at most "
                + asked + " partitions" + (cursor == null ? "" : ", from " + cursor));

        String refusal = refusal(named, cursor);
        if (refusal != null) {
            request.answered(Errors.INVALID_REQUEST + ": " + refusal);
            List<TopicAnswer> refused = named.stream().map(name -> TopicAnswer.failed(name, Errors.INVALID_REQUEST,
                    false, AuthorizedOperations.NOT_REQUESTED)).toList();
            return CompletableFuture.completedFuture(answer(request, new Page(refused, null)));
        }
        int limit = Math.max(1, Math.min(MAX_PARTITIONS_PER_RESPONSE, asked));
        Page page = page(request, named, cursor, limit);
        request.answered(() -> "topics " + Summaries.list(page.topics().stream().map(TopicAnswer::summary).toList())
                + (page.next() == null ? "" : "; next from " + page.next()));
        return CompletableFuture.completedFuture(answer(request, page));
    }

    /** The nullable Cursor struct: a signed byte, -1 for null, then its fields. */
    private static Cursor cursor(ProtocolReader in) {
        if (in.int8("cursor") < 0) {
            return null;
        }
        String topic = in.string("cursor topic_name");
        int partition = in.int32("cursor partition_index");
        in.taggedFields("Cursor");
        return new Cursor(topic, partition);
    }

    /** Why Kafka refuses this cursor, in its words, or null. */
    private static String refusal(List<String> named, Cursor cursor) {
        if (cursor == null) {
            return null;
        }
        if (!named.isEmpty() && !named.contains(cursor.topic())) {
            return "DescribeTopicPartitionsRequest topic list should contain the cursor topic: " + cursor.topic();
        }
        if (cursor.partition() < 0) {
            return "DescribeTopicPartitionsRequest cursor partition must be valid: " + cursor;
        }
        return null;
    }

    /**
     * The topics the principal may DESCRIBE, in name order from the cursor's on, until {@code limit} partitions are
     * answered; then each topic named that it may not, TOPIC_AUTHORIZATION_FAILED whether it exists or not (a
     * listing of every topic leaves those out), as Kafka's handler answers.
     */
    private Page page(Request request, List<String> named, Cursor cursor, int limit) {
        boolean everyTopic = named.isEmpty();
        String from = cursor == null ? "" : cursor.topic();
        Set<String> describable = auth.filterByAuthorized(request, AclOperation.DESCRIBE, ResourceType.TOPIC,
                everyTopic ? broker.listTopics() : named);
        List<TopicAnswer> refused = named.stream().distinct().filter(name -> !describable.contains(name))
                .map(name -> TopicAnswer.failed(name, Errors.TOPIC_AUTHORIZATION_FAILED, false,
                        AuthorizedOperations.NOT_REQUESTED)).toList();
        SortedSet<String> names = new TreeSet<>(describable).tailSet(from);
        List<TopicAnswer> topics = new ArrayList<>();
        int remaining = limit;
        for (String name : names) {
            if (remaining == 0) {
                topics.addAll(refused);
                return new Page(topics, new Cursor(name, 0));
            }
            int first = name.equals(from) ? cursor.partition() : 0;
            int operations = auth.authorizedOperations(request, ResourceType.TOPIC, name);
            TopicAnswer topic = describe(name, first, remaining, operations);
            if (topic == null) {
                if (!everyTopic) {
                    topics.add(unknown(name, operations));
                }
                continue; // listed, then deleted before it was described: no longer a topic
            }
            topics.add(topic);
            if (topic.cutShort()) {
                topics.addAll(refused);
                return new Page(topics, new Cursor(name, topic.end()));
            }
            remaining -= topic.partitions();
        }
        topics.addAll(refused);
        return new Page(topics, null);
    }

    /** The topic's partitions from {@code first}, at most {@code remaining} of them; null for no such topic. */
    private TopicAnswer describe(String name, int first, int remaining, int operations) {
        try {
            int count = broker.partitionCount(name);
            TopicId id = broker.topicId(name);
            int end = (int) Math.min(count, (long) first + remaining);
            return new TopicAnswer(name, id, Errors.NONE, Broker.isInternal(name), first, end, count, operations);
        } catch (UnknownTopicOrPartitionException unknown) {
            return null;
        }
    }

    /** A topic named that is not there: unknown, or a name no topic can have. */
    private static TopicAnswer unknown(String name, int operations) {
        Errors error = Errors.UNKNOWN_TOPIC_OR_PARTITION;
        try {
            TopicName.validate(name);
        } catch (ApiException invalid) {
            error = invalid.error();
        }
        return TopicAnswer.failed(name, error, Broker.isInternal(name), operations);
    }

    private ProtocolWriter answer(Request request, Page page) {
        ProtocolWriter out = responseWithThrottleTime(request);
        out.array(page.topics(), this::topic);
        if (page.next() == null) {
            out.int8((byte) -1);
        } else {
            out.int8((byte) 1).string(page.next().topic()).int32(page.next().partition()).taggedFields();
        }
        return out.taggedFields();
    }

    private void topic(ProtocolWriter out, TopicAnswer topic) {
        out.int16(topic.error().code()).nullableString(topic.name()).topicId(topic.id()).bool(topic.internal());
        out.arrayLength(topic.partitions());
        for (int partition = topic.first(); partition < topic.end(); partition++) {
            out.int16(Errors.NONE.code()).int32(partition).int32(broker.nodeId()).int32(RecordBatch.FIRST_LEADER_EPOCH);
            out.arrayLength(1).int32(broker.nodeId()); // replicas
            out.arrayLength(1).int32(broker.nodeId()); // in-sync replicas
            out.arrayLength(0); // eligible leader replicas: every replica is in sync
            out.arrayLength(0); // last known eligible leader replicas
            out.arrayLength(0); // offline replicas
            out.taggedFields();
        }
        out.int32(topic.authorizedOperations()).taggedFields();
    }
}

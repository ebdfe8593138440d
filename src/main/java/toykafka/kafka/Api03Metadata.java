package toykafka.kafka;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.InvalidRequestException;
import toykafka.common.TopicName;
import toykafka.common.UnknownTopicOrPartitionException;

/**
 * Metadata (key 3), versions 0–8: which brokers there are and, for each topic asked about, its partitions
 * and their leaders. Every client asks it before anything else, and again whenever a leader seems gone.
 * Kafka's {@code KafkaApis.handleTopicMetadataRequest}.
 *
 * <p>This broker is the whole cluster: the one broker listed, the controller, and the leader and only
 * replica of every partition. Topics: all of them for a null list (in v0, an empty one), else those named,
 * each once. An unknown topic is created with {@code num.partitions} when the request allows it (v4+; v0–3
 * always allow) and the broker's {@code auto.create.topics.enable} is on, as for a first produce, else it
 * is answered UNKNOWN_TOPIC_OR_PARTITION; a name no topic can have is INVALID_TOPIC_EXCEPTION. A name no
 * client may create, {@code __cluster_metadata}, stays UNKNOWN_TOPIC_OR_PARTITION, with the reason: Kafka
 * refuses that create behind the answer, so its clients see only an unknown topic.
 *
 * <p>Leader epoch (v7+) is -1, "unknown": this broker keeps no leader epochs. A Java consumer that sees no
 * epoch skips validating its position (no OffsetForLeaderEpoch), and its metadata never looks stale; a made
 * up 0 would be a claim about the log's history the broker cannot back. The authorized operations (v8),
 * when asked for, are every operation on a topic and on the cluster, as Kafka answers with no authorizer
 * ({@link AuthorizedOperations}); else Kafka's "not requested", -2147483648. Throttling is always 0 ms.
 * Versions 9+ (flexible, topic ids) are not served.
 */
final class Api03Metadata extends Api {

    /** No leader epochs here: Kafka's "unknown". */
    static final int NO_LEADER_EPOCH = -1;

    private final Broker broker;
    private final Listener listener;

    /** One topic's line in the answer: its partition count, or the error that replaced it. */
    private record TopicAnswer(String name, Errors error, boolean internal, int partitions) {
        static TopicAnswer failed(String name, ApiException e) {
            return new TopicAnswer(name, e.error(), false, 0);
        }

        String summary() {
            return error == Errors.NONE ? name + " (" + partitions + (partitions == 1 ? " partition)" : " partitions)")
                    : name + " " + error;
        }
    }

    Api03Metadata(Broker broker, Listener listener) {
        super(3, "Metadata", 0, 8, 9);
        this.broker = broker;
        this.listener = listener;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        ProtocolReader in = request.body();
        List<String> names = version >= 1
                ? in.nullableArray("topics", false, topic -> topic.string("topic name", false))
                : in.array("topics", false, topic -> topic.string("topic name", false));
        if (version == 0 && names.isEmpty()) {
            names = null; // v0 had no null array: empty meant every topic
        }
        boolean allowAutoCreate = version < 4 || in.bool("allow_auto_topic_creation");
        boolean clusterOperations = version >= 8 && in.bool("include_cluster_authorized_operations");
        boolean topicOperations = version >= 8 && in.bool("include_topic_authorized_operations");
        request.asked(names == null ? "every topic" : "topics " + Summaries.list(names)
                + (allowAutoCreate ? "" : " (no auto-create)"));
        List<TopicAnswer> topics = names == null ? everyTopic() : named(new LinkedHashSet<>(names), allowAutoCreate);
        request.answered("broker " + listener.nodeId() + " at " + listener.host() + ":" + listener.port() + "; topics "
                + Summaries.list(topics.stream().map(TopicAnswer::summary).toList()));
        return CompletableFuture.completedFuture(answer(version, topics,
                AuthorizedOperations.answer(clusterOperations, AuthorizedOperations.CLUSTER),
                AuthorizedOperations.answer(topicOperations, AuthorizedOperations.TOPIC)));
    }

    private List<TopicAnswer> everyTopic() {
        List<TopicAnswer> topics = new ArrayList<>();
        for (String name : broker.listTopics()) {
            try {
                topics.add(found(name));
            } catch (UnknownTopicOrPartitionException deletedMeanwhile) {
                // listed, then deleted before it was described: it is no longer a topic
            }
        }
        return topics;
    }

    private List<TopicAnswer> named(LinkedHashSet<String> names, boolean allowAutoCreate) {
        List<TopicAnswer> topics = new ArrayList<>();
        for (String name : names) {
            topics.add(lookUp(name, allowAutoCreate));
        }
        return topics;
    }

    private TopicAnswer lookUp(String name, boolean allowAutoCreate) {
        try {
            TopicName.validate(name);
            return found(name);
        } catch (UnknownTopicOrPartitionException unknown) {
            if (!allowAutoCreate) {
                return TopicAnswer.failed(name, unknown);
            }
        } catch (ApiException e) {
            return TopicAnswer.failed(name, e);
        }
        try {
            broker.partitionsForWrite(name); // creates it when auto.create.topics.enable is on, else refuses
            return found(name);
        } catch (InvalidRequestException prohibited) {
            return TopicAnswer.failed(name, new UnknownTopicOrPartitionException(prohibited.getMessage()));
        } catch (ApiException e) {
            return TopicAnswer.failed(name, e);
        }
    }

    private TopicAnswer found(String name) {
        Broker.TopicInfo topic = broker.describeTopic(name);
        return new TopicAnswer(name, Errors.NONE, topic.internal(), topic.partitions().size());
    }

    private ProtocolWriter answer(short version, List<TopicAnswer> topics, int clusterOperations, int topicOperations) {
        ProtocolWriter out = new ProtocolWriter();
        if (version >= 3) {
            out.int32(0); // throttle time
        }
        out.arrayLength(1, false).int32(listener.nodeId()).string(listener.host(), false).int32(listener.port());
        if (version >= 1) {
            out.nullableString(null, false); // rack
        }
        if (version >= 2) {
            out.nullableString(listener.clusterId(), false);
        }
        if (version >= 1) {
            out.int32(listener.nodeId()); // the controller: this broker, as it is the whole cluster
        }
        out.array(topics, false, (w, topic) -> topic(w, version, topic, topicOperations));
        if (version >= 8) {
            out.int32(clusterOperations);
        }
        return out;
    }

    private void topic(ProtocolWriter out, short version, TopicAnswer topic, int topicOperations) {
        out.int16(topic.error().code()).string(topic.name(), false);
        if (version >= 1) {
            out.bool(topic.internal());
        }
        out.arrayLength(topic.partitions(), false);
        for (int partition = 0; partition < topic.partitions(); partition++) {
            out.int16(Errors.NONE.code()).int32(partition).int32(listener.nodeId());
            if (version >= 7) {
                out.int32(NO_LEADER_EPOCH);
            }
            out.arrayLength(1, false).int32(listener.nodeId()); // replicas
            out.arrayLength(1, false).int32(listener.nodeId()); // in-sync replicas
            if (version >= 5) {
                out.arrayLength(0, false); // offline replicas
            }
        }
        if (version >= 8) {
            out.int32(topicOperations);
        }
    }
}

package toykafka.kafka;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.InvalidRequestException;
import toykafka.common.RecordBatch;
import toykafka.common.TopicId;
import toykafka.common.TopicName;
import toykafka.common.UnknownTopicOrPartitionException;

/**
 * Metadata (key 3), versions 0–13: which brokers there are and, for each topic asked about, its partitions
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
 * <p>Leader epoch (v7+) is 0, as on Kafka's one node: this broker has led every partition from the start, and
 * stamps each batch it stores with that epoch. A Java consumer keeps the epoch with its position but validates it
 * only against a broker that serves OffsetForLeaderEpoch (v3+), which this one does not. The authorized operations (v8),
 * when asked for, are those the authorizer allows on each topic and on the cluster (the cluster's only to v10, and
 * none without DESCRIBE on it), every one when no authorizer is configured ({@link AuthorizedOperations}); else
 * Kafka's "not requested", -2147483648.
 *
 * <p>With an authorizer, as Kafka's {@code handleTopicMetadataRequest}: a listing of every topic leaves out those
 * the principal may not DESCRIBE; a topic named that it may not DESCRIBE is TOPIC_AUTHORIZATION_FAILED, whether it
 * exists or not; and auto-creation needs CREATE on the cluster or on the topic, else TOPIC_AUTHORIZATION_FAILED.
 *
 * <p>From v9 the versions are flexible; from v10 each topic comes with its id, which it was given when it was
 * made and keeps until it is deleted (KIP-516): the consumer of Kafka 4's group protocol is told its partitions
 * by topic id and learns their names here. v12 may ask for a topic by id: an id no topic has is UNKNOWN_TOPIC_ID,
 * with a null name. As in Kafka, an id decides and the name beside it is not read: kafka-clients 4.1 asks by id with
 * the name left at its default, "" (its regex subscriptions learn their topics so). v10 and v11 refuse a null name
 * or an id, as Kafka does. Version 13 adds a
 * top-level error code, which Kafka sets only to send a client back to its bootstrap servers
 * (REBOOTSTRAP_REQUIRED, KIP-1102) and this broker, the whole cluster, never needs: always NONE.
 */
final class Api03Metadata extends BrokerApi {

    /** One topic's line in the answer: its id and partition count, or the error that replaced them. */
    private record TopicAnswer(String name, TopicId id, Errors error, boolean internal, int partitions) {
        static TopicAnswer failed(String name, ApiException e) {
            return new TopicAnswer(name, TopicId.ZERO, e.error(), false, 0);
        }

        String summary() {
            return error == Errors.NONE ? name + " (" + partitions + (partitions == 1 ? " partition)" : " partitions)")
                    : name + " " + error;
        }
    }

    private final AuthHelper auth;

    Api03Metadata(Broker broker, AuthHelper auth) {
        super(broker, 3, "Metadata", 0, 13, 9);
        this.auth = auth;
    }

    /** A topic the request asks about: by name, or from v12 by id alone (a null name). */
    private record Asked(String name, TopicId id) {
        @Override
        public String toString() {
            return name != null ? name : "id " + id;
        }
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        ProtocolReader in = request.body();
        List<Asked> asked = version >= 1
                ? in.nullableArray("topics", topic -> asked(topic, version))
                : in.array("topics", topic -> asked(topic, version));
        if (version == 0 && asked.isEmpty()) {
            asked = null; // v0 had no null array: empty meant every topic
        }
        boolean allowAutoCreate = version < 4 || in.bool("allow_auto_topic_creation");
        boolean clusterOperations = version >= 8 && version <= 10 && in.bool("include_cluster_authorized_operations");
        boolean topicOperations = version >= 8 && in.bool("include_topic_authorized_operations");
        in.taggedFields("MetadataRequest");
        List<Asked> named = asked;
        request.asked(() -> named == null ? "every topic" : "topics " + Summaries.list(named.stream()
                .map(Asked::toString).toList()) + (allowAutoCreate ? "" : " (no auto-create)"));
        List<TopicAnswer> topics = asked == null ? everyTopic(request)
                : named(request, new LinkedHashSet<>(asked), allowAutoCreate);
        request.answered(request.listener().describeNode() + "; topics "
                + Summaries.list(topics.stream().map(TopicAnswer::summary).toList()));
        return CompletableFuture.completedFuture(answer(request, topics,
                AuthorizedOperations.cluster(clusterOperations, auth, request), topicOperations));
    }

    private static Asked asked(ProtocolReader topic, short version) {
        TopicId id = version >= 10 ? topic.topicId("topic_id") : TopicId.ZERO;
        String name = version >= 10 ? topic.nullableString("topic name") : topic.string("topic name");
        topic.taggedFields("MetadataRequestTopic");
        if (version < 12 && (name == null || !id.equals(TopicId.ZERO))) {
            throw new InvalidRequestException("Metadata v" + version + " names topics by name only: a topic id, and a"
                    + " null name, come in v12");
        }
        if (name == null && id.equals(TopicId.ZERO)) {
            throw new InvalidRequestException("a topic in Metadata v" + version + " needs a name or a topic id");
        }
        return new Asked(id.equals(TopicId.ZERO) ? name : null, id); // an id decides; its name is not read
    }

    /** Every topic the principal may DESCRIBE: Kafka leaves the others out, not even saying they exist. */
    private List<TopicAnswer> everyTopic(Request request) {
        List<TopicAnswer> topics = new ArrayList<>();
        for (String name : auth.filterByAuthorized(request, AclOperation.DESCRIBE, ResourceType.TOPIC,
                broker.listTopics())) {
            try {
                topics.add(found(name));
            } catch (UnknownTopicOrPartitionException deletedMeanwhile) {
                // listed, then deleted before it was described: it is no longer a topic
            }
        }
        return topics;
    }

    /**
     * The topics named, each answered TOPIC_AUTHORIZATION_FAILED when the principal may not DESCRIBE it (whether it
     * exists or not, which is not disclosed), or when it is missing and would be auto-created for a principal who
     * may not CREATE it, on the cluster or the topic, as Kafka's {@code handleTopicMetadataRequest} answers.
     */
    private List<TopicAnswer> named(Request request, LinkedHashSet<Asked> asked, boolean allowAutoCreate) {
        List<TopicAnswer> topics = new ArrayList<>();
        for (Asked topic : asked) {
            String name = topic.name() != null ? topic.name() : broker.topicName(topic.id());
            if (name != null && !auth.authorize(request, AclOperation.DESCRIBE, ResourceType.TOPIC, name)) {
                topics.add(new TopicAnswer(topic.name(), topic.name() != null ? TopicId.ZERO : topic.id(),
                        Errors.TOPIC_AUTHORIZATION_FAILED, false, 0));
            } else if (topic.name() != null && allowAutoCreate && broker.config().autoCreateTopics()
                    && !auth.mayCreateIfMissing(request, broker, name)) {
                topics.add(new TopicAnswer(name, TopicId.ZERO, Errors.TOPIC_AUTHORIZATION_FAILED,
                        Broker.isInternal(name), 0));
            } else {
                topics.add(topic.name() != null ? lookUp(topic.name(), allowAutoCreate) : byId(topic.id()));
            }
        }
        return topics;
    }

    /** A topic asked for by id: never created, as an id is only ever given by a topic that exists. */
    private TopicAnswer byId(TopicId id) {
        String name = broker.topicName(id);
        if (name != null) {
            try {
                return found(name);
            } catch (UnknownTopicOrPartitionException deletedMeanwhile) {
                // no longer a topic, so unknown as any other id
            }
        }
        return new TopicAnswer(null, id, Errors.UNKNOWN_TOPIC_ID, false, 0);
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
        return new TopicAnswer(name, topic.id(), Errors.NONE, topic.internal(), topic.partitions().size());
    }

    private ProtocolWriter answer(Request request, List<TopicAnswer> topics, int clusterOperations,
                                  boolean topicOperations) {
        short version = request.version();
        ProtocolWriter out = responseWithThrottleTime(request, 3);
        request.listener().writeNode(out.arrayLength(1)); // the listener's address the client came in on
        if (version >= 1) {
            out.nullableString(null); // rack
        }
        out.taggedFields();
        if (version >= 2) {
            out.nullableString(broker.clusterId());
        }
        if (version >= 1) {
            out.int32(broker.nodeId()); // the controller: this broker, as it is the whole cluster
        }
        out.array(topics, (w, topic) -> topic(w, version, topic, topicOperations(request, topicOperations, topic)));
        if (version >= 8 && version <= 10) {
            out.int32(clusterOperations);
        }
        if (version >= 13) {
            out.int16(Errors.NONE.code());
        }
        return out.taggedFields();
    }

    /** A topic's authorized operations, from the authorizer, when asked: none for a topic refused or unknown by id. */
    private int topicOperations(Request request, boolean asked, TopicAnswer topic) {
        boolean answered = topic.name() != null && topic.error() != Errors.TOPIC_AUTHORIZATION_FAILED;
        return AuthorizedOperations.answer(asked && answered, auth, request, ResourceType.TOPIC, topic.name());
    }

    private void topic(ProtocolWriter out, short version, TopicAnswer topic, int topicOperations) {
        out.int16(topic.error().code()).nullableString(topic.name());
        if (version >= 10) {
            out.topicId(topic.id());
        }
        if (version >= 1) {
            out.bool(topic.internal());
        }
        out.arrayLength(topic.partitions());
        for (int partition = 0; partition < topic.partitions(); partition++) {
            out.int16(Errors.NONE.code()).int32(partition).int32(broker.nodeId());
            if (version >= 7) {
                out.int32(RecordBatch.FIRST_LEADER_EPOCH);
            }
            out.arrayLength(1).int32(broker.nodeId()); // replicas
            out.arrayLength(1).int32(broker.nodeId()); // in-sync replicas
            if (version >= 5) {
                out.arrayLength(0); // offline replicas
            }
            out.taggedFields();
        }
        if (version >= 8) {
            out.int32(topicOperations);
        }
        out.taggedFields();
    }
}

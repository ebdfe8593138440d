package toykafka.kafka;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.quota.ControllerMutationQuota;
import toykafka.broker.quota.ThrottlingQuotaExceededException;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourcePattern;
import toykafka.broker.security.ResourceType;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.TopicId;

/**
 * DeleteTopics (key 20), versions 1–6: {@code Admin.deleteTopics} and {@code kafka-topics --delete}. Kafka's
 * {@code ControllerApis.deleteTopics}, to which a broker forwards it. Each topic gets its own error code, and from v5
 * the message {@code --trace} shows too (v4 is the first flexible version). v6 names each topic by name or by id,
 * and each answer carries both: an id no topic has is UNKNOWN_TOPIC_ID with a null name, as Kafka answers it.
 *
 * <p>An unknown topic is UNKNOWN_TOPIC_OR_PARTITION and a name no topic can have INVALID_TOPIC_EXCEPTION.
 * The broker's own topics ({@code __consumer_offsets}, {@code __broker_stats}) are refused with the core's
 * INVALID_TOPIC_EXCEPTION rather than Kafka's TOPIC_AUTHORIZATION_FAILED: there are no ACLs here, so an
 * authorization error would send a learner looking for permissions, and the same refusal keeps the same
 * code over HTTP and over Kafka's protocol. A name (or id) given twice in one request is INVALID_REQUEST for each,
 * and so, as in Kafka, is a v6 topic with both a name and an id, with neither, or named once by name and once by
 * id (one answer, the topic kept). Ignored: the timeout (deletion is done before the answer).
 * Version 0 (removed in Kafka 4) is not served. With an authorizer a topic needs DELETE on the cluster or on itself,
 * else TOPIC_AUTHORIZATION_FAILED, one named by id answered without its name unless the principal may DESCRIBE it.
 *
 * <p>A client's {@code controller_mutation_rate} counts each topic's partitions once the topic is known to be there and
 * the principal may delete it, as Kafka's controller counts them. From v5 the quota is strict: a topic the client's
 * token bucket cannot pay for, once it is empty, is THROTTLING_QUOTA_EXCEEDED (no message, as Kafka answers: clients
 * show the error's own, "The throttling quota has been exceeded.") and kept; before v5 every topic is deleted. Either
 * way the answer's {@code throttle_time_ms} says how long the client owes, and its connection reads nothing more until
 * then.
 */
final class Api20DeleteTopics extends BrokerApi {

    /** One topic as the request names it: by name (v1–5, and v6 with a zero id) or, in v6, by id. */
    private record Named(String name, TopicId id) {

        boolean byName() {
            return name != null && id.equals(TopicId.ZERO);
        }

        boolean byId() {
            return name == null && !id.equals(TopicId.ZERO);
        }

        @Override
        public String toString() {
            return name != null ? name : "id " + id;
        }
    }

    /** One topic's answer, with the message the trace shows; the id is written from v6. */
    private record Outcome(String name, TopicId id, Errors error, String message) {

        @Override
        public String toString() {
            return (name != null ? name : "id " + id) + " " + error + (message == null ? "" : " (" + message + ")");
        }
    }

    /** The first version whose clients know THROTTLING_QUOTA_EXCEEDED, so the mutation quota may refuse a topic. */
    private static final int STRICT_QUOTA_SINCE_VERSION = 5;

    private final AuthHelper auth;

    Api20DeleteTopics(Broker broker, AuthHelper auth) {
        super(broker, 20, "DeleteTopics", 1, 6, 4);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        ProtocolReader in = request.body();
        boolean byIdVersion = request.version() >= 6;
        List<Named> topics = byIdVersion
                ? in.array("topics", topic -> {
                    Named named = new Named(topic.nullableString("name"), topic.topicId("topic_id"));
                    topic.taggedFields("DeleteTopicState");
                    return named;
                })
                : in.array("topic_names", name -> new Named(name.string("topic name"), TopicId.ZERO));
        in.int32("timeout_ms");
        in.taggedFields("DeleteTopicsRequest");
        request.asked(Summaries.list(topics.stream().map(Named::toString).toList()));

        ControllerMutationQuota quota = broker.access().quotas().controllerMutation().newQuotaFor(
                request.principal().name(), request.header().clientId(), request.version(), STRICT_QUOTA_SINCE_VERSION);
        List<Outcome> outcomes = delete(request, topics, byIdVersion ? TopicIds.of(broker) : null, quota);
        request.throttle(quota.throttleTime());
        request.answered(Summaries.list(outcomes.stream().map(Outcome::toString).toList()));

        ProtocolWriter out = responseWithThrottleTime(request);
        boolean withMessage = request.version() >= 5;
        out.array(outcomes, (w, outcome) -> {
            if (byIdVersion) {
                w.nullableString(outcome.name()).topicId(outcome.id());
            } else {
                w.string(outcome.name());
            }
            w.int16(outcome.error().code());
            if (withMessage) {
                w.nullableString(outcome.message());
            }
            w.taggedFields();
        });
        return CompletableFuture.completedFuture(out.taggedFields());
    }

    /**
     * Answers each topic in the order named, refusing what Kafka's controller refuses before it deletes anything;
     * {@code ids} is null below v6, where no topic is named by id and no answer carries one.
     */
    private List<Outcome> delete(Request request, List<Named> topics, TopicIds ids, ControllerMutationQuota quota) {
        Set<String> repeatedNames = RepeatedNames.of(topics.stream().filter(Named::byName).map(Named::name).toList());
        Set<String> repeatedIds = RepeatedNames.of(topics.stream().filter(Named::byId)
                .map(named -> named.id().toString()).toList());
        Set<String> namedByName = new HashSet<>(); // once: a repeated name is refused, and its id may still delete it
        topics.stream().filter(Named::byName).filter(named -> !repeatedNames.contains(named.name()))
                .forEach(named -> namedByName.add(named.name()));

        List<Outcome> outcomes = new ArrayList<>();
        for (Named topic : topics) {
            if (topic.name() == null && !topic.byId()) {
                outcomes.add(new Outcome(null, TopicId.ZERO, Errors.INVALID_REQUEST,
                        "Neither topic name nor id were specified."));
            } else if (topic.name() != null && !topic.byName()) {
                outcomes.add(new Outcome(topic.name(), topic.id(), Errors.INVALID_REQUEST,
                        "You may not specify both topic name and topic id."));
            } else if (topic.byName()) {
                TopicId id = ids == null ? TopicId.ZERO : ids.id(topic.name());
                outcomes.add(repeatedNames.contains(topic.name())
                        ? new Outcome(topic.name(), TopicId.ZERO, Errors.INVALID_REQUEST,
                                "named more than once in this request")
                        : namedAlsoById(topics, id)
                                ? new Outcome(topic.name(), id, Errors.INVALID_REQUEST,
                                        "The provided topic name maps to an ID that was already supplied.")
                                : delete(request, topic.name(), id, true, quota));
            } else if (repeatedIds.contains(topic.id().toString())) {
                outcomes.add(new Outcome(null, topic.id(), Errors.INVALID_REQUEST, "named more than once in this request"));
            } else {
                String name = ids.name(topic.id());
                if (name == null) {
                    outcomes.add(new Outcome(null, topic.id(), Errors.UNKNOWN_TOPIC_ID,
                            "This server does not host this topic ID."));
                } else if (!namedByName.contains(name)) {
                    outcomes.add(delete(request, name, topic.id(), false, quota));
                } // else answered once, where it is named by name, and kept
            }
        }
        return outcomes;
    }

    /** The partitions deleting {@code name} removes, as the mutation quota counts them: none for one it refuses. */
    private int partitionsToDelete(String name) {
        try {
            Broker.TopicInfo topic = broker.describeTopic(name);
            return topic.internal() ? 0 : topic.partitions().size();
        } catch (ApiException e) { // the deletion refuses it, in its own words
            return 0;
        }
    }

    private static boolean namedAlsoById(List<Named> topics, TopicId id) {
        return !id.equals(TopicId.ZERO) && topics.stream().anyMatch(named -> named.byId() && named.id().equals(id));
    }

    /**
     * Deletes one topic, for a principal who may DELETE it, on the cluster or the topic, as Kafka's controller asks;
     * else TOPIC_AUTHORIZATION_FAILED, a topic named by id then answered without its name unless the principal may
     * DESCRIBE it.
     */
    private Outcome delete(Request request, String name, TopicId id, boolean byName, ControllerMutationQuota quota) {
        if (!auth.authorize(request, AclOperation.DELETE, ResourceType.CLUSTER, ResourcePattern.CLUSTER_NAME)
                && !auth.authorize(request, AclOperation.DELETE, ResourceType.TOPIC, name)) {
            boolean describable = byName || auth.authorize(request, AclOperation.DESCRIBE, ResourceType.TOPIC, name);
            return new Outcome(describable ? name : null, id, Errors.TOPIC_AUTHORIZATION_FAILED,
                    "Topic authorization failed.");
        }
        try {
            int partitions = partitionsToDelete(name);
            if (partitions > 0) {
                quota.record(partitions);
            }
            broker.deleteTopic(name);
            return new Outcome(name, id, Errors.NONE, null);
        } catch (ThrottlingQuotaExceededException e) {
            return new Outcome(name, id, e.error(), null); // Kafka sends no message for its error's own words
        } catch (ApiException e) {
            return new Outcome(name, id, e.error(), e.getMessage());
        }
    }
}

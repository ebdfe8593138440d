package toykafka.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.config.DynamicBrokerConfigs;
import toykafka.broker.config.TopicInheritance;
import toykafka.broker.quota.ControllerMutationQuota;
import toykafka.broker.quota.ThrottlingQuotaExceededException;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourcePattern;
import toykafka.broker.security.ResourceType;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.TopicConfig;
import toykafka.common.TopicId;
import toykafka.lesson04.OnDuplicate;

/**
 * CreateTopics (key 19), versions 2–7: {@code Admin.createTopics} and {@code kafka-topics --create}.
 * Kafka's {@code KafkaApis.handleCreateTopicsRequest}. Each topic gets its own error code and message.
 *
 * <p>Per topic: a partition count (-1 for {@code num.partitions}; -1 is taken in every version served,
 * though Kafka's client sends it only from v4), a replication factor of 1 or -1 (this broker is one node,
 * so anything else is INVALID_REPLICATION_FACTOR), or instead a manual assignment, accepted when it puts
 * partitions 0..n-1 each on this broker alone (else INVALID_REPLICA_ASSIGNMENT), and topic configs, each
 * checked as {@code TopicConfig} checks them (INVALID_CONFIG naming the key). The core's answers stand for
 * the rest: TOPIC_ALREADY_EXISTS, INVALID_TOPIC_EXCEPTION, INVALID_PARTITIONS. A name given twice in one
 * request is INVALID_REQUEST for each, as Kafka answers it. With {@code validate_only} every check runs
 * and nothing is created. Ignored: the timeout (creation is done before the answer).
 * Versions 0–1 (removed in Kafka 4) are not served.
 *
 * <p>From v5 (flexible) a topic created, or that would be with {@code validate_only}, is answered with its
 * partition count, replication factor 1 and every config in force, sorted by name, as DescribeConfigs
 * gives them: TOPIC_CONFIG when set on the topic, else DEFAULT_CONFIG, never read-only or sensitive
 * ({@code CreateTopicsResult.numPartitions} and {@code config}). A refused topic has -1, -1 and no configs.
 * v7 answers a created topic's id, the one Metadata v10+ gives it too; a topic only validated gets a new id that
 * no topic will have, as Kafka 4.1 answers, and a refused one the zero id, Kafka's "none". With an authorizer a
 * topic needs CREATE on the cluster or on itself, else TOPIC_AUTHORIZATION_FAILED ("Authorization failed."), as
 * Kafka's controller answers (a created topic's configs are answered even to a creator who may not DESCRIBE_CONFIGS
 * it, which Kafka leaves out).
 *
 * <p>A client's {@code controller_mutation_rate} counts each topic's partitions once every other check has passed, with
 * {@code validate_only} too, as Kafka's controller counts them. From v6 the quota is strict: a topic the client's token
 * bucket cannot pay for, once it is empty, is THROTTLING_QUOTA_EXCEEDED (no message, as Kafka answers: clients show the
 * error's own, "The throttling quota has been exceeded."), the rest created; before v6 every topic is created. Either
 * way the answer's {@code throttle_time_ms} says how long the client owes, and its connection reads nothing more until
 * then.
 */
final class Api19CreateTopics extends BrokerApi {

    /** A topic as the request asks for it. */
    private record Wanted(String name, int partitions, short replicationFactor, List<Assignment> assignments,
                          Map<String, String> configs) {
    }

    /** One partition of a manual assignment: the brokers to put it on. */
    private record Assignment(int partition, List<Integer> brokers) {
    }

    /** One topic's answer: its error and what it says (null when created), and the topic as created. */
    private record Outcome(String name, Errors error, String message, int partitions, TopicConfig config, TopicId id) {
        Outcome(String name, Errors error, String message) {
            this(name, error, message, -1, null, TopicId.ZERO);
        }
    }

    /** The first version whose clients know THROTTLING_QUOTA_EXCEEDED, so the mutation quota may refuse a topic. */
    private static final int STRICT_QUOTA_SINCE_VERSION = 6;

    private final AuthHelper auth;

    Api19CreateTopics(Broker broker, AuthHelper auth) {
        super(broker, 19, "CreateTopics", 2, 7, 5);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        ProtocolReader in = request.body();
        List<Wanted> topics = in.array("topics", Api19CreateTopics::readTopic);
        in.int32("timeout_ms");
        boolean validateOnly = in.bool("validate_only");
        in.taggedFields("CreateTopicsRequest");
        request.asked((validateOnly ? "validate only: " : "") + Summaries.list(topics.stream()
                .map(t -> t.name() + " (" + (t.partitions() < 0 ? "default" : t.partitions()) + " partitions)").toList()));

        Set<String> repeated = RepeatedNames.of(topics.stream().map(Wanted::name).toList());
        Set<String> creatable = creatable(request, topics);
        ControllerMutationQuota quota = broker.access().quotas().controllerMutation().newQuotaFor(
                request.principal().name(), request.header().clientId(), version, STRICT_QUOTA_SINCE_VERSION);
        List<Outcome> outcomes = new ArrayList<>();
        for (Wanted topic : topics) {
            outcomes.add(repeated.contains(topic.name())
                    ? new Outcome(topic.name(), Errors.INVALID_REQUEST, "topic '" + topic.name()
                    + "' is named more than once in this request: name each topic once")
                    : !creatable.contains(topic.name())
                    ? new Outcome(topic.name(), Errors.TOPIC_AUTHORIZATION_FAILED, "Authorization failed.")
                    : create(topic, validateOnly, quota));
        }
        request.throttle(quota.throttleTime());
        request.answered(Summaries.list(outcomes.stream().map(o -> o.name() + " " + o.error()).toList()));

        ProtocolWriter out = responseWithThrottleTime(request);
        out.array(outcomes, (w, outcome) -> result(w, version, outcome));
        return CompletableFuture.completedFuture(out.taggedFields());
    }

    /** The topics the principal may CREATE: all with CREATE on the cluster, else those it may create one by one. */
    private Set<String> creatable(Request request, List<Wanted> topics) {
        List<String> names = topics.stream().map(Wanted::name).toList();
        return auth.authorize(request, AclOperation.CREATE, ResourceType.CLUSTER, ResourcePattern.CLUSTER_NAME)
                ? new HashSet<>(names)
                : auth.filterByAuthorized(request, AclOperation.CREATE, ResourceType.TOPIC, names);
    }

    /** Where a key's value comes from, as DescribeConfigs says it: the topic, the broker's settings, or Kafka. */
    private byte sourceOf(TopicConfig config, String key) {
        if (config.overrides().containsKey(key)) {
            return Api32DescribeConfigs.SOURCE_TOPIC_CONFIG;
        }
        String setting = TopicInheritance.brokerSettingOf(key);
        return Api32DescribeConfigs.code(config.inherited().containsKey(key) && setting != null
                ? broker.dynamicConfigs().sourceOf(setting) : DynamicBrokerConfigs.Source.DEFAULT_CONFIG);
    }

    private void result(ProtocolWriter out, short version, Outcome outcome) {
        out.string(outcome.name());
        if (version >= 7) {
            out.topicId(outcome.id()); // none for a validation only: no topic was made
        }
        out.int16(outcome.error().code()).nullableString(outcome.message());
        if (version >= 5) { // the topic as made: its partitions, replication and configs
            boolean created = outcome.config() != null;
            out.int32(outcome.partitions()).int16(created ? 1 : -1);
            List<Map.Entry<String, String>> configs = created ? List.copyOf(outcome.config().values().entrySet()) : List.of();
            out.array(configs, (w, config) -> w.string(config.getKey()).nullableString(config.getValue())
                    .bool(false) // read-only
                    .int8(sourceOf(outcome.config(), config.getKey()))
                    .bool(false) // sensitive
                    .taggedFields());
        }
        out.taggedFields();
    }

    private static Wanted readTopic(ProtocolReader in) {
        String name = in.string("topic name");
        int partitions = in.int32("num_partitions");
        short replicationFactor = in.int16("replication_factor");
        List<Assignment> assignments = in.array("assignments", assignment -> {
            Assignment one = new Assignment(assignment.int32("partition_index"),
                    assignment.array("broker_ids", ids -> ids.int32("broker id")));
            assignment.taggedFields("CreatableReplicaAssignment");
            return one;
        });
        Map<String, String> configs = new HashMap<>(); // a null value is kept, for TopicConfig to refuse by name
        in.array("configs", config -> {
            configs.put(config.string("config name"), config.nullableString("config value"));
            config.taggedFields("CreatableTopicConfig");
            return null;
        });
        in.taggedFields("CreatableTopic");
        return new Wanted(name, partitions, replicationFactor, assignments, configs);
    }

    private Outcome create(Wanted topic, boolean validateOnly, ControllerMutationQuota quota) {
        Integer partitions;
        if (topic.assignments().isEmpty()) {
            if (topic.replicationFactor() != -1 && topic.replicationFactor() != 1) {
                return new Outcome(topic.name(), Errors.INVALID_REPLICATION_FACTOR, "topic '" + topic.name()
                        + "' cannot have replication factor " + topic.replicationFactor() + ": this broker is a"
                        + " cluster of one node (" + broker.nodeId() + "), so a partition has 1 replica; ask for 1,"
                        + " or -1 for the default");
            }
            partitions = topic.partitions() == -1 ? null : topic.partitions();
        } else {
            Outcome refused = checkAssignments(topic);
            if (refused != null) {
                return refused;
            }
            partitions = topic.assignments().size();
        }
        try {
            TopicConfig config = broker.checkNewTopic(topic.name(), partitions, topic.configs());
            int count = partitions == null ? broker.config().numPartitions() : partitions;
            quota.record(count); // once the topic would be made: a refused topic costs nothing
            if (validateOnly) {
                return new Outcome(topic.name(), Errors.NONE, null, count, config,
                        TopicId.random()); // as Kafka 4.1 answers: the id it would have had, never used
            }
            broker.createTopic(topic.name(), partitions, topic.configs(), OnDuplicate.FAIL);
            Broker.TopicInfo created = broker.describeTopic(topic.name());
            return new Outcome(topic.name(), Errors.NONE, null, created.partitions().size(),
                    TopicConfig.of(created.overrides()).inheriting(created.inherited()), created.id());
        } catch (ThrottlingQuotaExceededException e) {
            return new Outcome(topic.name(), e.error(), null); // Kafka sends no message for its error's own words
        } catch (ApiException e) {
            return new Outcome(topic.name(), e.error(), e.getMessage());
        }
    }

    /** A manual assignment is taken when it is what this broker would do anyway: each partition here alone. */
    private Outcome checkAssignments(Wanted topic) {
        String name = topic.name();
        if (topic.partitions() != -1 || topic.replicationFactor() != -1) {
            return new Outcome(name, Errors.INVALID_REQUEST, "topic '" + name + "' gives both a manual assignment and"
                    + " a partition count or replication factor: give the assignment with both set to -1, or no"
                    + " assignment");
        }
        int count = topic.assignments().size();
        Set<Integer> assigned = new HashSet<>();
        for (Assignment assignment : topic.assignments()) {
            int partition = assignment.partition();
            if (partition < 0 || partition >= count || !assigned.add(partition)) {
                return new Outcome(name, Errors.INVALID_REPLICA_ASSIGNMENT, "topic '" + name + "' assigns partition "
                        + partition + " out of turn: its " + count + " assigned partitions must be numbered 0 to "
                        + (count - 1) + ", each once");
            }
            if (!assignment.brokers().equals(List.of(broker.nodeId()))) {
                return new Outcome(name, Errors.INVALID_REPLICA_ASSIGNMENT, "topic '" + name + "' puts partition "
                        + partition + " on brokers " + assignment.brokers() + ": this cluster is one broker, node "
                        + broker.nodeId() + ", so every partition goes on [" + broker.nodeId() + "]");
            }
        }
        return null;
    }
}

package toykafka.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.quota.ControllerMutationQuota;
import toykafka.broker.quota.ThrottlingQuotaExceededException;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.common.ApiException;
import toykafka.common.Errors;

/**
 * CreatePartitions (key 37), versions 0–3: {@code Admin.createPartitions} and {@code kafka-topics --alter
 * --partitions N}. Kafka's {@code ControllerApis.createPartitions}. Each topic gets its own error and message.
 *
 * <p>Per topic: the new total count, and optionally where each added partition goes. A count that adds
 * nothing is INVALID_PARTITIONS naming the count now and the counts that would be taken; above the most a
 * topic may have, INVALID_PARTITIONS too. An assignment must give one entry per added partition, each this
 * broker alone (this cluster is one node), else INVALID_REPLICA_ASSIGNMENT. An unknown topic is
 * UNKNOWN_TOPIC_OR_PARTITION, the broker's own topics INVALID_TOPIC_EXCEPTION, as over HTTP. A name given
 * more than once is INVALID_REQUEST, answered once, as Kafka answers it. With {@code validate_only} every
 * check runs and nothing is added. Records already written stay in their partitions, so a key may hash to
 * another partition from now on. Ignored: the timeout (the partitions exist before the answer). Versions 2–3 are
 * flexible; nothing in them is tagged, so all four read alike. With an authorizer, a
 * topic needs ALTER, else it is TOPIC_AUTHORIZATION_FAILED and keeps its partitions, as Kafka's controller answers.
 *
 * <p>A client's {@code controller_mutation_rate} counts the partitions a topic gains once its count and the number of
 * its assignments are taken, with {@code validate_only} too, as Kafka's controller counts them. From v3 the quota is
 * strict: a topic the client's token bucket cannot pay for, once it is empty, is THROTTLING_QUOTA_EXCEEDED (no message,
 * as Kafka answers: clients show the error's own, "The throttling quota has been exceeded.") and keeps its partitions;
 * before v3 every topic grows. Either way the answer's {@code throttle_time_ms} says how long the client owes, and its
 * connection reads nothing more until then.
 */
final class Api37CreatePartitions extends BrokerApi {

    /** A topic as the request asks for it; {@code assignments} is null when the broker is to place them. */
    private record Wanted(String name, int count, List<List<Integer>> assignments) {
    }

    /** One topic's answer: its error and what it says, null when done. */
    private record Outcome(String name, Errors error, String message) {
    }

    /** The first version whose clients know THROTTLING_QUOTA_EXCEEDED, so the mutation quota may refuse a topic. */
    private static final int STRICT_QUOTA_SINCE_VERSION = 3;

    private final AuthHelper auth;

    Api37CreatePartitions(Broker broker, AuthHelper auth) {
        super(broker, 37, "CreatePartitions", 0, 3, 2);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        ProtocolReader in = request.body();
        List<Wanted> topics = in.array("topics", Api37CreatePartitions::readTopic);
        in.int32("timeout_ms");
        boolean validateOnly = in.bool("validate_only");
        in.taggedFields("CreatePartitionsRequest");
        request.asked((validateOnly ? "validate only: " : "") + Summaries.list(topics.stream()
                .map(t -> t.name() + " to " + t.count() + " partitions").toList()));

        Set<String> repeated = RepeatedNames.of(topics.stream().map(Wanted::name).toList());
        ControllerMutationQuota quota = broker.access().quotas().controllerMutation().newQuotaFor(
                request.principal().name(), request.header().clientId(), request.version(), STRICT_QUOTA_SINCE_VERSION);
        List<Outcome> outcomes = new ArrayList<>();
        for (Wanted topic : topics) {
            if (repeated.contains(topic.name())) {
                continue;
            }
            outcomes.add(auth.authorize(request, AclOperation.ALTER, ResourceType.TOPIC, topic.name())
                    ? increase(topic, validateOnly, quota)
                    : new Outcome(topic.name(), Errors.TOPIC_AUTHORIZATION_FAILED, null));
        }
        for (String name : repeated) {
            outcomes.add(new Outcome(name, Errors.INVALID_REQUEST, "topic '" + name + "' is named more than once in"
                    + " this request: name each topic once"));
        }
        request.throttle(quota.throttleTime());
        request.answered(Summaries.list(outcomes.stream().map(o -> o.name() + " " + o.error()
                + (o.message() == null ? "" : " (" + o.message() + ")")).toList()));

        ProtocolWriter out = responseWithThrottleTime(request);
        out.array(outcomes, (w, outcome) -> w.string(outcome.name()).int16(outcome.error().code())
                .nullableString(outcome.message()).taggedFields());
        return CompletableFuture.completedFuture(out.taggedFields());
    }

    private static Wanted readTopic(ProtocolReader in) {
        String name = in.string("topic name");
        int count = in.int32("count");
        List<List<Integer>> assignments = in.nullableArray("assignments", assignment -> {
            List<Integer> brokers = assignment.array("broker_ids", ids -> ids.int32("broker id"));
            assignment.taggedFields("CreatePartitionsAssignment");
            return brokers;
        });
        in.taggedFields("CreatePartitionsTopic");
        return new Wanted(name, count, assignments);
    }

    private Outcome increase(Wanted topic, boolean validateOnly, ControllerMutationQuota quota) {
        try {
            broker.checkIncreasePartitions(topic.name(), topic.count()); // the count's refusals come first, as in Kafka
            int current = broker.partitionCount(topic.name());
            String refused = topic.assignments() == null ? null : checkAssignmentCount(topic, current);
            if (refused == null) {
                quota.record(topic.count() - current); // then the quota, then where they go, as Kafka's controller
                refused = topic.assignments() == null ? null : checkAssignmentBrokers(topic, current);
            }
            if (refused != null) {
                return new Outcome(topic.name(), Errors.INVALID_REPLICA_ASSIGNMENT, refused);
            }
            if (!validateOnly) {
                broker.increasePartitions(topic.name(), topic.count());
            }
            return new Outcome(topic.name(), Errors.NONE, null);
        } catch (ThrottlingQuotaExceededException e) {
            return new Outcome(topic.name(), e.error(), null); // Kafka sends no message for its error's own words
        } catch (ApiException e) {
            return new Outcome(topic.name(), e.error(), e.getMessage());
        }
    }

    /** An assignment gives one entry per added partition. */
    private static String checkAssignmentCount(Wanted topic, int current) {
        int added = topic.count() - current;
        if (topic.assignments().size() != added) {
            return "topic '" + topic.name() + "' goes from " + current + " to " + topic.count() + " partitions, adding "
                    + added + ", but the request assigns " + topic.assignments().size() + ": give one assignment per"
                    + " added partition, or none";
        }
        return null;
    }

    /** An assignment is taken when it says what this broker would do anyway: each new partition here alone. */
    private String checkAssignmentBrokers(Wanted topic, int current) {
        int added = topic.count() - current;
        List<Integer> here = List.of(broker.nodeId());
        for (int i = 0; i < added; i++) {
            List<Integer> brokers = topic.assignments().get(i);
            if (!brokers.equals(here)) {
                return "topic '" + topic.name() + "' puts new partition " + (current + i) + " on brokers " + brokers
                        + ": this cluster is one broker, node " + broker.nodeId() + ", so every partition goes on "
                        + here;
            }
        }
        return null;
    }
}

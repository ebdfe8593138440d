package toykafka.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.common.ApiException;
import toykafka.common.Errors;

/**
 * DeleteTopics (key 20), versions 1–5: {@code Admin.deleteTopics} and {@code kafka-topics --delete}, by
 * name. Kafka's {@code KafkaApis.handleDeleteTopicsRequest}. Each topic gets its own error code, and from v5
 * the message {@code --trace} shows too (v4 is the first flexible version).
 *
 * <p>An unknown topic is UNKNOWN_TOPIC_OR_PARTITION and a name no topic can have INVALID_TOPIC_EXCEPTION.
 * The broker's own topics ({@code __consumer_offsets}, {@code __broker_stats}) are refused with the core's
 * INVALID_TOPIC_EXCEPTION rather than Kafka's TOPIC_AUTHORIZATION_FAILED: there are no ACLs here, so an
 * authorization error would send a learner looking for permissions, and the same refusal keeps the same
 * code over HTTP and over Kafka's protocol. A name given twice in one request is INVALID_REQUEST for each,
 * as Kafka answers it. Ignored: the timeout (deletion is done before the answer), and throttling.
 * Version 0 (removed in Kafka 4) and 6 (topics named by id) are not served: clients fall back to 5.
 */
final class Api20DeleteTopics extends BrokerApi {

    /** One topic's answer, with the message the trace shows. */
    private record Outcome(String name, Errors error, String message) {
    }

    Api20DeleteTopics(Broker broker) {
        super(broker, 20, "DeleteTopics", 1, 5, 4);
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        ProtocolReader in = request.body();
        List<String> names = in.array("topic_names", name -> name.string("topic name"));
        in.int32("timeout_ms");
        in.taggedFields("DeleteTopicsRequest");
        request.asked(Summaries.list(names));

        Set<String> repeated = RepeatedNames.of(names);
        List<Outcome> outcomes = new ArrayList<>();
        for (String name : names) {
            outcomes.add(repeated.contains(name)
                    ? new Outcome(name, Errors.INVALID_REQUEST, "named more than once in this request")
                    : delete(name));
        }
        request.answered(Summaries.list(outcomes.stream().map(o -> o.name() + " " + o.error()
                + (o.message() == null ? "" : " (" + o.message() + ")")).toList()));

        ProtocolWriter out = responseWithThrottleTime(request);
        boolean withMessage = request.version() >= 5;
        out.array(outcomes, (w, outcome) -> {
            w.string(outcome.name()).int16(outcome.error().code());
            if (withMessage) {
                w.nullableString(outcome.message());
            }
            w.taggedFields();
        });
        return CompletableFuture.completedFuture(out.taggedFields());
    }

    private Outcome delete(String name) {
        try {
            broker.deleteTopic(name);
            return new Outcome(name, Errors.NONE, null);
        } catch (ApiException e) {
            return new Outcome(name, e.error(), e.getMessage());
        }
    }
}

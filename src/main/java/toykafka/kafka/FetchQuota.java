package toykafka.kafka;

import java.util.function.Supplier;
import toykafka.broker.Broker;
import toykafka.broker.quota.ClientQuotaManager;

/**
 * A consumer's {@code consumer_byte_rate} on the answers that carry records, Fetch and ShareFetch alike, as Kafka 4.4's
 * {@code KafkaApis} applies it to both: the bytes asked for are held to what one quota window allows (more would be
 * throttled for sure), and an answer that takes the client over its quota is not sent but replaced by an empty one with
 * the throttle time, its size taken back (KIP-219).
 */
final class FetchQuota {

    private FetchQuota() {
    }

    /** The most bytes a fetch may ask for: its own max_bytes, held to one quota window's worth. */
    static int maxBytes(Broker broker, Request request, int asked) {
        double window = quotas(broker).maxValueInQuotaWindow(request.principal().name(), request.header().clientId());
        return (int) Math.min(asked, window);
    }

    /**
     * The answer, if its size keeps the client within its consumer_byte_rate; else {@code empty}'s, carrying the
     * throttle time the request now holds.
     */
    static ProtocolWriter withinQuota(Broker broker, Request request, ProtocolWriter answer,
                                      Supplier<ProtocolWriter> empty) {
        String user = request.principal().name();
        String clientId = request.header().clientId();
        long now = System.currentTimeMillis();
        int throttleTimeMs = quotas(broker).recordAndGetThrottleTimeMs(user, clientId, answer.size(), now);
        if (throttleTimeMs == 0) {
            return answer;
        }
        quotas(broker).unrecord(user, clientId, answer.size(), now);
        request.throttle(throttleTimeMs);
        request.answered("throttled for " + throttleTimeMs + " ms over consumer_byte_rate: answered empty");
        return empty.get();
    }

    private static ClientQuotaManager quotas(Broker broker) {
        return broker.access().quotas().fetch();
    }
}

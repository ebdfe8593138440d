package toykafka.broker.group.modern;

import java.util.function.BiFunction;
import toykafka.common.Errors;

/**
 * Why a group refuses a member's heartbeat: Kafka's error and its message, which each protocol's answer carries
 * (Kafka throws them as {@code ApiException}s from its {@code GroupMetadataManager}).
 */
public record HeartbeatRefusal(Errors error, String message) {

    /** The refusal as a protocol's answer, made by its {@code Response.error}. */
    public <R> R answer(BiFunction<Errors, String, R> error) {
        return error.apply(this.error, message);
    }
}

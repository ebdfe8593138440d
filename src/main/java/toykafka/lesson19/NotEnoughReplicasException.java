package toykafka.lesson19;

import toykafka.common.ApiException;
import toykafka.common.Errors;

/** An {@code acks=all} write refused because fewer replicas are in sync than {@code min.insync.replicas}. */
public final class NotEnoughReplicasException extends ApiException {

    public NotEnoughReplicasException(String message) {
        super(Errors.NOT_ENOUGH_REPLICAS, message);
    }
}

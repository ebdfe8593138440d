package toykafka.lesson19;

import toykafka.common.ApiException;
import toykafka.common.Errors;

/** A write to a partition that has no leader: every replica that could lead is down. */
public final class LeaderNotAvailableException extends ApiException {

    public LeaderNotAvailableException(String message) {
        super(Errors.LEADER_NOT_AVAILABLE, message);
    }
}

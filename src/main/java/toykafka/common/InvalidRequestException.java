package toykafka.common;

/**
 * A request the broker cannot take as it stands: malformed, too large, missing a field, or sent with the
 * wrong method. Kafka's broker answers a request it cannot parse with an error of this name.
 */
public class InvalidRequestException extends ApiException {

    public InvalidRequestException(String message) {
        super(Errors.INVALID_REQUEST, message);
    }
}

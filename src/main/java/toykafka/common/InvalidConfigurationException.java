package toykafka.common;

/** An unknown topic config key, or a value its key does not accept. Kafka's exception has the same name. */
public class InvalidConfigurationException extends ApiException {

    public InvalidConfigurationException(String message) {
        super(Errors.INVALID_CONFIG, message);
    }
}

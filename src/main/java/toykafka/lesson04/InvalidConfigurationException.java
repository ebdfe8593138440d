package toykafka.lesson04;

/** An unknown topic config key, or a value its key does not accept. Kafka's exception has the same name. */
public class InvalidConfigurationException extends IllegalArgumentException {

    public InvalidConfigurationException(String message) {
        super(message);
    }
}

package toykafka.common;

/** A record bigger than its topic's max.message.bytes. Kafka's producer and broker use this name. */
public class RecordTooLargeException extends ApiException {

    public RecordTooLargeException(String message) {
        super(Errors.MESSAGE_TOO_LARGE, message);
    }

    public static RecordTooLargeException of(String topic, int size, int limit) {
        return new RecordTooLargeException("a record of " + size + " bytes is too large for topic '" + topic
                + "': its max.message.bytes is " + limit);
    }
}

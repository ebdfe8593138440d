package toykafka.common;

/** A partition count that cannot be: Kafka's exception of the same name. */
public class InvalidPartitionsException extends ApiException {

    public InvalidPartitionsException(String message) {
        super(Errors.INVALID_PARTITIONS, message);
    }

    public static InvalidPartitionsException outOfRange(String topic, int partitions, int max) {
        return outOfRange(topic, String.valueOf(partitions), max);
    }

    /** As {@link #outOfRange(String, int, int)}, for a count as it was sent, however large. */
    public static InvalidPartitionsException outOfRange(String topic, String partitions, int max) {
        return new InvalidPartitionsException("topic '" + topic + "' cannot have " + partitions
                + " partitions: a topic has 1 to " + max);
    }

    public static InvalidPartitionsException notPositive(String topic, int partitions) {
        return new InvalidPartitionsException("topic '" + topic + "' cannot have " + partitions
                + " partitions: a topic needs 1 or more");
    }

    /** A count that does not add partitions: names the count now and the counts that would be taken. */
    public static InvalidPartitionsException notMore(String topic, int current, int requested, int max) {
        String range = current >= max ? "it has the most a topic can have" : "ask for " + (current + 1)
                + (current + 1 == max ? "" : " to " + max);
        return new InvalidPartitionsException("topic '" + topic + "' has " + current + " partitions and cannot go"
                + " to " + requested + ": partitions can only be added, because removing one would lose its events;"
                + " " + range);
    }
}

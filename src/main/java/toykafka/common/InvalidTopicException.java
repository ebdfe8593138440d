package toykafka.common;

/**
 * A topic name that breaks Kafka's naming rule. Kafka's broker refuses such names with an exception of
 * the same name; each factory here says which part of the rule was broken.
 */
public class InvalidTopicException extends ApiException {

    /** The longest topic name: a partition's folder is the name, a dash and a partition number of up to 5 digits, within 255. */
    public static final int MAX_NAME_LENGTH = 249;

    static final String RULE = "a topic name has 1 to " + MAX_NAME_LENGTH
            + " characters, each an ASCII letter, a digit, '.', '_' or '-'";

    public InvalidTopicException(String message) {
        super(Errors.INVALID_TOPIC_EXCEPTION, message);
    }

    public static InvalidTopicException missing() {
        return new InvalidTopicException("a topic needs a name, and null is not one: " + RULE);
    }

    public static InvalidTopicException empty() {
        return new InvalidTopicException("the topic name is empty: " + RULE);
    }

    public static InvalidTopicException dots(String name) {
        return new InvalidTopicException("the topic name '" + name + "' is not allowed: '.' and '..' name"
                + " folders on disk, and a partition's folder is named after its topic");
    }

    public static InvalidTopicException tooLong(String name) {
        return new InvalidTopicException("the topic name '" + abbreviate(name) + "' has " + name.length()
                + " characters: the limit is " + MAX_NAME_LENGTH);
    }

    public static InvalidTopicException illegalCharacter(String name, int index) {
        return new InvalidTopicException("the topic name '" + name + "' has the character '" + name.charAt(index)
                + "' at index " + index + ": " + RULE);
    }

    public static InvalidTopicException collides(String name, String existing) {
        return new InvalidTopicException("the topic name '" + name + "' collides with the topic '" + existing
                + "': names that differ only by '.' against '_' cannot both exist, because Kafka's metrics"
                + " write '.' as '_'");
    }

    private static String abbreviate(String name) {
        return name.length() <= 20 ? name : name.substring(0, 12) + "..." + name.substring(name.length() - 5);
    }
}

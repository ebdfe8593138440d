package toykafka.common;

/**
 * Kafka's rule for a topic's name, in one place: every front end and the registry ask here, so a name is
 * refused the same way, with the same words, wherever it comes in. Kafka keeps it in {@code Topic.validate}.
 */
public final class TopicName {

    private TopicName() {
    }

    // tag::name-rule[]
    /** Kafka's rule: 1 to 249 characters from [a-zA-Z0-9._-], and never "." or "..". Returns the name. */
    public static String validate(String name) {
        if (name == null) {
            throw InvalidTopicException.missing();
        }
        if (name.isEmpty()) {
            throw InvalidTopicException.empty();
        }
        if (name.equals(".") || name.equals("..")) {
            throw InvalidTopicException.dots(name);
        }
        if (name.length() > InvalidTopicException.MAX_NAME_LENGTH) {
            throw InvalidTopicException.tooLong(name);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!legal) {
                throw InvalidTopicException.illegalCharacter(name, i);
            }
        }
        return name;
    }
    // end::name-rule[]

    /** Kafka's metadata log (KRaft), the one topic name Kafka 4 refuses to let a client create. */
    public static final String CLUSTER_METADATA = "__cluster_metadata";

    /**
     * The rule for a name a client creates, Kafka's: its name rule, and never {@code __cluster_metadata}, which
     * Kafka's {@code ControllerApis.createTopics} refuses (INVALID_REQUEST) as the name of its metadata log. Any
     * other name that starts with {@code __} is a client's to take, as in Kafka 4.1, which leaves the prefix to
     * convention; the broker refuses its own topics' names itself, since they are taken. Returns the name.
     */
    public static String validateNew(String name) {
        validate(name);
        if (name.equals(CLUSTER_METADATA)) {
            throw new InvalidRequestException("Creation of internal topic " + CLUSTER_METADATA + " is prohibited: Kafka"
                    + " keeps its metadata log under that name, so no client creates a topic of it");
        }
        return name;
    }
}

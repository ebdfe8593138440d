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

    /** The prefix of the broker's own topics ({@code __consumer_offsets}, {@code __broker_stats}). */
    public static final String RESERVED_PREFIX = "__";

    /**
     * The rule for a name a client creates: Kafka's rule, and not starting with {@code __}, which the broker
     * keeps for its own topics so that no client topic can pass for one (or, renamed, for one's twin).
     * Kafka itself refuses to create its internal topics ({@code Topic.isInternal}: {@code __consumer_offsets},
     * {@code __transaction_state}) and leaves the rest of the prefix to convention; this broker refuses the
     * whole prefix. The broker's own topics are made without this check. Returns the name.
     */
    public static String validateNew(String name) {
        validate(name);
        if (name.startsWith(RESERVED_PREFIX)) {
            throw InvalidTopicException.reserved(name);
        }
        return name;
    }
}

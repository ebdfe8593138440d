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
}

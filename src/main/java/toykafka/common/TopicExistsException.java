package toykafka.common;

/** A topic of that name is already there. Kafka's Admin.createTopics() fails with an exception of this name. */
public class TopicExistsException extends ApiException {

    public TopicExistsException(String message) {
        super(Errors.TOPIC_ALREADY_EXISTS, message);
    }

    public static TopicExistsException of(String name) {
        return new TopicExistsException("topic '" + name + "' already exists: delete it first, choose another"
                + " name, or create with OnDuplicate.RENAME to get '" + name + "__0'");
    }
}

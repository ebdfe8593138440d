package toykafka.common;

/**
 * A member that asks for an instance name another member of its group still holds: that member must leave
 * first. Kafka's coordinator answers a consumer that reuses a {@code group.instance.id} with an error of
 * this name; Confluent's REST Proxy answers a consumer instance created under a taken name with 409.
 */
public class UnreleasedInstanceIdException extends ApiException {

    public UnreleasedInstanceIdException(String message) {
        super(Errors.UNRELEASED_INSTANCE_ID, message);
    }

    public static UnreleasedInstanceIdException of(String groupId, String name) {
        return new UnreleasedInstanceIdException("group '" + groupId + "' already has a consumer instance '" + name
                + "': delete it first, or choose another name");
    }
}

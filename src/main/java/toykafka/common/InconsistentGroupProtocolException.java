package toykafka.common;

import java.util.Collection;

/**
 * A member that does not fit the group: its protocol type is not the group's, or none of the protocols it
 * offers (its assignors) is one every other member supports. Kafka's coordinator answers with an error of
 * this name.
 */
public class InconsistentGroupProtocolException extends ApiException {

    public InconsistentGroupProtocolException(String message) {
        super(Errors.INCONSISTENT_GROUP_PROTOCOL, message);
    }

    public static InconsistentGroupProtocolException of(String groupId, String protocolType, Collection<String> offered,
                                                        String groupType, Collection<String> supported) {
        return new InconsistentGroupProtocolException("cannot join group '" + groupId + "' with protocol type '"
                + protocolType + "' and protocols " + offered + ": its members speak '" + groupType
                + "' and all support only " + supported);
    }
}

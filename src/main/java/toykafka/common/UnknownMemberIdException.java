package toykafka.common;

/**
 * A call from a member the group does not have: it never joined, it left, or it fell silent for longer than
 * the session timeout and was removed. Kafka's coordinator answers with an error of this name.
 */
public class UnknownMemberIdException extends ApiException {

    public UnknownMemberIdException(String message) {
        super(Errors.UNKNOWN_MEMBER_ID, message);
    }

    public static UnknownMemberIdException of(String groupId, String memberId) {
        return new UnknownMemberIdException("there is no member '" + memberId + "' in group '" + groupId
                + "': it never joined, it left, or it was silent for longer than session.timeout.ms and was"
                + " removed; join again");
    }
}

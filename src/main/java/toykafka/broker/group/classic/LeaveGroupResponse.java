package toykafka.broker.group.classic;

import java.util.List;
import toykafka.common.Errors;

/**
 * The coordinator's answer to a LeaveGroup: an error for the group as a whole, and one for each member named, in
 * the order the request named them.
 */
public record LeaveGroupResponse(Errors error, List<Left> members) {

    /** One member as the request named it, and what became of it. */
    public record Left(LeavingMember member, Errors error) {
    }

    /** The answer for the member with this id: UNKNOWN_MEMBER_ID if the request did not name it. */
    public Errors errorOf(String memberId) {
        return members.stream().filter(left -> left.member().memberId().equals(memberId)).map(Left::error)
                .findFirst().orElse(Errors.UNKNOWN_MEMBER_ID);
    }
}

package toykafka.broker.group;

import java.util.Map;
import toykafka.common.Errors;

/**
 * The answer to a LeaveGroup of several members (v3 and later): an error for the group, and one for each
 * member (UNKNOWN_MEMBER_ID for one the group does not have).
 */
public record LeaveGroupResponse(Errors error, Map<String, Errors> members) {
}

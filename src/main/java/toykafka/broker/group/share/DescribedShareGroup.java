package toykafka.broker.group.share;

import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import toykafka.common.Errors;
import toykafka.common.TopicId;

/**
 * A share group as ShareGroupDescribe shows it: its state and epochs, and each member with the topics it reads and the
 * partitions it was given. The assignor is always {@code simple}.
 */
public record DescribedShareGroup(Errors error, String errorMessage, String groupId, String state, int groupEpoch,
                                  int assignmentEpoch, List<Member> members) {

    public static final String ASSIGNOR = "simple";

    public DescribedShareGroup {
        members = List.copyOf(members);
    }

    /** One member: its rack is null unless it sent one. */
    public record Member(String memberId, String rackId, int memberEpoch, String clientId, String clientHost,
                         SortedSet<String> subscribedTopics, Map<TopicId, SortedSet<Integer>> assigned) {
    }

    public static DescribedShareGroup notFound(String groupId, String message) {
        return new DescribedShareGroup(Errors.GROUP_ID_NOT_FOUND, message, groupId, "Dead", 0, 0, List.of());
    }
}

package toykafka.broker.group;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import toykafka.common.Errors;
import toykafka.broker.group.base.DescribedGroup;
import toykafka.broker.group.base.GroupState;
import toykafka.broker.group.base.ListedGroup;
import toykafka.broker.group.base.OffsetCommitRequest;
import toykafka.broker.group.base.OffsetFetchResponse;
import toykafka.broker.group.classic.HeartbeatRequest;
import toykafka.broker.group.classic.JoinGroupRequest;
import toykafka.broker.group.classic.JoinGroupResponse;
import toykafka.broker.group.classic.LeaveGroupResponse;
import toykafka.broker.group.classic.LeavingMember;
import toykafka.broker.group.classic.SyncGroupRequest;
import toykafka.broker.group.classic.SyncGroupResponse;

/**
 * The steps of Kafka's classic group protocol as a test drives them: in process against the coordinator,
 * or through a front end that sends each step over a wire. The time is the test's to move.
 */
public interface GroupProtocol extends AutoCloseable {

    CompletableFuture<JoinGroupResponse> join(JoinGroupRequest request);

    CompletableFuture<SyncGroupResponse> sync(SyncGroupRequest request);

    Errors heartbeat(HeartbeatRequest request);

    /** LeaveGroup for members named by id, static or not. */
    LeaveGroupResponse leaveMembers(String groupId, List<LeavingMember> members);

    /** LeaveGroup for dynamic members, named by their ids. */
    default LeaveGroupResponse leave(String groupId, List<String> memberIds) {
        return leaveMembers(groupId, memberIds.stream().map(LeavingMember::dynamic).toList());
    }

    Errors commit(OffsetCommitRequest request);

    OffsetFetchResponse fetch(String groupId);

    DescribedGroup describe(String groupId);

    List<ListedGroup> list(Set<GroupState> states);

    /** Moves the broker's clock on, then lets its schedule apply the timeouts. */
    void advance(Duration time);

    /** Stops the broker and starts it again on the same storage: offsets come back from the store. */
    void restart();

    @Override
    void close();
}

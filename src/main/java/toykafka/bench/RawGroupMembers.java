package toykafka.bench;

import static toykafka.bench.GroupBenchSupport.sleep;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.message.ConsumerProtocolAssignment;
import org.apache.kafka.common.message.ConsumerProtocolSubscription;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import toykafka.harness.RawConnection;

/**
 * The members of the scale part's groups ({@link GroupScaleBench}), two a group, written as light raw clients
 * that speak Kafka's group protocol with its own message classes: one thread's share of the groups, over two
 * {@link RawConnection}s, the first member of every group on one, the second on the other. A connection carries
 * one request at a time (as Kafka's broker serves it), and a join waits at the barrier until the group's other
 * member joins too, so the two members of a group must not share one. A member keeps only its id and its
 * group's generation.
 */
final class RawGroupMembers implements AutoCloseable {

    /** The members' session timeout (the broker's group.min.session.timeout.ms is 6000) and heartbeat interval. */
    static final int SESSION_MS = 10_000;
    static final int HEARTBEAT_MS = 1_000;
    static final short JOIN_VERSION = 5;
    static final short SYNC_VERSION = 3;
    static final short HEARTBEAT_VERSION = 3;
    static final short LEAVE_VERSION = 3;
    private static final String TOPIC = "group-bench-scale";
    private static final String CLIENT_ID = "group-bench";

    /** What a Java consumer subscribing to one topic sends (ConsumerProtocolSubscription v3). */
    private static final byte[] SUBSCRIPTION = MessageUtil.toVersionPrefixedBytes((short) 3,
            new ConsumerProtocolSubscription().setTopics(List.of(TOPIC)));
    /** The leader's assignment: partition 0 of the topic to the first member, 1 to the second. */
    private static final byte[][] ASSIGNMENTS = {assignment(0), assignment(1)};

    private static byte[] assignment(int partition) {
        ConsumerProtocolAssignment.TopicPartitionCollection partitions =
                new ConsumerProtocolAssignment.TopicPartitionCollection();
        partitions.add(new ConsumerProtocolAssignment.TopicPartition().setTopic(TOPIC)
                .setPartitions(List.of(partition)));
        return MessageUtil.toVersionPrefixedBytes((short) 3, new ConsumerProtocolAssignment()
                .setAssignedPartitions(partitions));
    }

    /** One raw group: its id, and what its two members were given. */
    private static final class RawGroup {
        final String groupId;
        final String[] memberIds = new String[2];
        int generation;

        RawGroup(String groupId) {
            this.groupId = groupId;
        }
    }

    private final List<RawGroup> groups = new ArrayList<>();
    private final RawConnection[] connections = new RawConnection[2];

    RawGroupMembers(int port) {
        connections[0] = new RawConnection(port, CLIENT_ID);
        try {
            connections[1] = new RawConnection(port, CLIENT_ID);
        } catch (RuntimeException e) {
            connections[0].close();
            throw e;
        }
    }

    /** Another group for these two connections' members to join, heartbeat in and leave. */
    void add(String groupId) {
        groups.add(new RawGroup(groupId));
    }

    /**
     * Each group in turn, as a v4+ consumer joins: both members ask with no id and are handed one
     * (MEMBER_ID_REQUIRED), then both join with it, so the barrier waits for the two of them and opens once;
     * the leader's sync carries both assignments.
     */
    Object joinAll() {
        for (RawGroup group : groups) {
            for (int m = 0; m < 2; m++) {
                connections[m].send(ApiKeys.JOIN_GROUP, JOIN_VERSION, join(group.groupId, ""));
            }
            for (int m = 0; m < 2; m++) {
                JoinGroupResponseData answer = connections[m].receive();
                expect(Errors.MEMBER_ID_REQUIRED, answer.errorCode(), "a first join to " + group.groupId);
                group.memberIds[m] = answer.memberId();
            }
            for (int m = 0; m < 2; m++) {
                connections[m].send(ApiKeys.JOIN_GROUP, JOIN_VERSION, join(group.groupId, group.memberIds[m]));
            }
            String leader = null;
            for (int m = 0; m < 2; m++) {
                JoinGroupResponseData answer = connections[m].receive();
                expect(Errors.NONE, answer.errorCode(), "the join of " + group.memberIds[m]);
                group.generation = answer.generationId();
                leader = answer.leader();
            }
            for (int m = 0; m < 2; m++) {
                SyncGroupRequestData sync = new SyncGroupRequestData().setGroupId(group.groupId)
                        .setGenerationId(group.generation).setMemberId(group.memberIds[m]);
                if (group.memberIds[m].equals(leader)) {
                    List<SyncGroupRequestData.SyncGroupRequestAssignment> assignments = new ArrayList<>();
                    for (int other = 0; other < 2; other++) {
                        assignments.add(new SyncGroupRequestData.SyncGroupRequestAssignment()
                                .setMemberId(group.memberIds[other]).setAssignment(ASSIGNMENTS[other]));
                    }
                    sync.setAssignments(assignments);
                }
                connections[m].send(ApiKeys.SYNC_GROUP, SYNC_VERSION, sync);
            }
            for (int m = 0; m < 2; m++) {
                SyncGroupResponseData answer = connections[m].receive();
                expect(Errors.NONE, answer.errorCode(), "the sync of " + group.memberIds[m]);
            }
        }
        return null;
    }

    /** Every member heartbeats once each interval, until {@code stop} is set; every answer must be NONE. */
    Object heartbeat(AtomicInteger stop, AtomicLong count) {
        long next = System.nanoTime();
        while (stop.get() == 0) {
            for (RawGroup group : groups) {
                for (int m = 0; m < 2; m++) {
                    connections[m].send(ApiKeys.HEARTBEAT, HEARTBEAT_VERSION, new HeartbeatRequestData()
                            .setGroupId(group.groupId).setGenerationId(group.generation)
                            .setMemberId(group.memberIds[m]));
                }
                for (int m = 0; m < 2; m++) {
                    HeartbeatResponseData answer = connections[m].receive();
                    expect(Errors.NONE, answer.errorCode(), "a heartbeat of " + group.memberIds[m]);
                    count.incrementAndGet();
                }
            }
            next += TimeUnit.MILLISECONDS.toNanos(HEARTBEAT_MS);
            while (stop.get() == 0 && System.nanoTime() < next) {
                sleep(Math.min(20, Math.max(1, (next - System.nanoTime()) / 1_000_000)));
            }
        }
        return null;
    }

    /** Each member leaves, as a consumer's close() does. */
    Object leaveAll() {
        for (RawGroup group : groups) {
            for (int m = 0; m < 2; m++) {
                connections[m].send(ApiKeys.LEAVE_GROUP, LEAVE_VERSION, new LeaveGroupRequestData()
                        .setGroupId(group.groupId).setMembers(List.of(new LeaveGroupRequestData.MemberIdentity()
                                .setMemberId(group.memberIds[m]))));
            }
            for (int m = 0; m < 2; m++) {
                LeaveGroupResponseData answer = connections[m].receive();
                expect(Errors.NONE, answer.errorCode(), "the leave of " + group.memberIds[m]);
                answer.members().forEach(member -> expect(Errors.NONE, member.errorCode(),
                        "the leave of " + member.memberId()));
            }
        }
        return null;
    }

    private static JoinGroupRequestData join(String groupId, String memberId) {
        JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols =
                new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(SUBSCRIPTION));
        return new JoinGroupRequestData().setGroupId(groupId).setSessionTimeoutMs(SESSION_MS)
                .setRebalanceTimeoutMs(SESSION_MS).setMemberId(memberId).setProtocolType("consumer")
                .setProtocols(protocols);
    }

    private static void expect(Errors expected, short code, String what) {
        if (code != expected.code()) {
            throw new IllegalStateException(what + " was answered " + Errors.forCode(code) + ", not " + expected);
        }
    }

    @Override
    public void close() {
        for (RawConnection connection : connections) {
            if (connection != null) {
                connection.close();
            }
        }
    }
}

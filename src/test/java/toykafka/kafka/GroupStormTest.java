package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.kafka.DrillKit.pause;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.Drill;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * A join storm over Kafka's protocol: members by the hundred join, sync, heartbeat, leave, drop their connections
 * mid-join and send forged member ids, instance ids and generations, at random, for a bounded time. A fifth of them
 * are static members (KIP-345) whose instance ids each two share, so that they keep taking one another's places and
 * fencing the instance they replaced. The coordinator must answer every call (no deadlock), hand no partition to two
 * members of one generation (a static member's places count as one member), refuse every forgery, and be left with
 * nothing once the members are gone. The seed is printed; rerun one with {@code -Dstorm.seed=N}.
 */
class GroupStormTest {

    private static final String GROUP = "storm";
    private static final int MEMBERS = Integer.getInteger("storm.members", 150);
    private static final long STORM_MS = Long.getLong("storm.ms", 8_000);
    private static final int PARTITIONS = 24;
    /** Every fifth member is static, with one of this many instance ids. */
    private static final int INSTANCE_IDS = 15;
    /** A join waits at most this long at the barrier for members that do not come back. */
    private static final int REBALANCE_MS = 1_000;
    /**
     * A busy machine may form no generation in {@link #STORM_MS}. Then the storm calms down (no leaves, no dropped
     * connections, no forgeries) until one forms, up to this.
     */
    private static final long MORE_STORM_MS = 120_000;

    @StartedBroker(FrontEnd.KAFKA)
    static RunningBroker broker;

    /** Who owned each partition in each generation, as the members were told by SyncGroup. */
    private final Map<Integer, Map<Integer, String>> owners = new ConcurrentHashMap<>();
    private final List<String> doubleOwners = new ArrayList<>();
    private final AtomicInteger forgeriesTaken = new AtomicInteger();
    private final AtomicInteger syncsAnswered = new AtomicInteger();

    @RegisterExtension
    final Drill drill = Drill.seeded("storm.seed", System.nanoTime());

    @Test
    void hundreds_of_members_joining_leaving_and_forging_never_share_a_partition_and_leave_nothing() throws Exception {
        long seed = drill.seed();
        drill.at("the storm");
        System.out.println("group storm: seed " + seed);
        broker.broker().createTopic(GROUP, 1, Map.of(), OnDuplicate.FAIL); // for the forged commits to name
        int groupsBefore = broker.broker().groupCoordinator().groupCount();
        long stormEnds = System.currentTimeMillis() + STORM_MS;
        ExecutorService pool = Executors.newFixedThreadPool(MEMBERS);
        List<Future<?>> members = new ArrayList<>();
        for (int m = 0; m < MEMBERS; m++) {
            Random random = new Random(seed + m);
            String instance = m % 5 == 0 ? "till-" + m / 5 % INSTANCE_IDS : null;
            members.add(pool.submit(() -> {
                member(random, stormEnds, instance);
                return null;
            }));
        }
        pool.shutdown();
        // each member's calls end by the storm's end plus a barrier's wait and a connection's time out
        assertTrue(pool.awaitTermination(STORM_MS + MORE_STORM_MS + 60_000, TimeUnit.MILLISECONDS),
                "a member hung: seed " + seed);
        for (Future<?> member : members) {
            member.get(); // a member's own failure (a wire error, an assertion) fails the storm
        }

        synchronized (doubleOwners) {
            assertEquals(List.of(), doubleOwners, "partitions handed to two members in one generation, seed " + seed);
        }
        assertEquals(0, forgeriesTaken.get(), "forged member ids and generations were taken, seed " + seed);
        assertTrue(syncsAnswered.get() > 0, "the storm formed no generation at all in "
                + (STORM_MS + MORE_STORM_MS) / 1000 + " s, seed " + seed);
        System.out.println("group storm: " + owners.size() + " generations, " + syncsAnswered.get() + " assignments");

        try (KafkaWire wire = new KafkaWire(broker)) {
            DescribeGroupsResponseData.DescribedGroup group = wire.<DescribeGroupsResponseData>send(
                    new DescribeGroupsRequestData().setGroups(List.of(GROUP)), 4).groups().get(0);
            assertEquals(0, group.members().size(), "every member left or was dropped: " + group);
            DeleteGroupsResponseData deleted = wire.send(new DeleteGroupsRequestData().setGroupsNames(List.of(GROUP)), 1);
            assertTrue(Set.of(Errors.NONE.code(), Errors.GROUP_ID_NOT_FOUND.code())
                    .contains(deleted.results().find(GROUP).errorCode()), deleted.toString());
        }
        assertEquals(groupsBefore, broker.broker().groupCoordinator().groupCount(), "the coordinator keeps nothing");
    }

    /** Until the storm's time is up and it has formed a generation, or the extra time is up too. */
    private boolean storming(long stormEnds) {
        long now = System.currentTimeMillis();
        return now < stormEnds || syncsAnswered.get() == 0 && now < stormEnds + MORE_STORM_MS;
    }

    /** Past the storm's time, members only join, sync and heartbeat, so that the barrier can complete. */
    private static boolean calm(long stormEnds) {
        return System.currentTimeMillis() >= stormEnds;
    }

    /**
     * One member's storm: rounds of join, sync and heartbeats, with leaves, dropped connections and forgeries. A
     * static member ({@code instance} not null) that finds its place taken starts again with no member id, and so
     * takes it back.
     */
    private void member(Random random, long stormEnds, String instance) {
        String memberId = "";
        while (storming(stormEnds)) {
            try (KafkaWire wire = new KafkaWire(broker)) {
                if (!calm(stormEnds)) {
                    forge(wire, random);
                }
                JoinGroupResponseData joined = join(wire, memberId, instance);
                if (joined.errorCode() != Errors.NONE.code()) {
                    boolean gone = joined.errorCode() == Errors.UNKNOWN_MEMBER_ID.code()
                            || joined.errorCode() == Errors.FENCED_INSTANCE_ID.code();
                    memberId = gone ? "" : joined.memberId();
                    continue;
                }
                memberId = joined.memberId();
                if (random.nextInt(10) == 0 && !calm(stormEnds)) {
                    continue; // drops the connection before its sync: the group must not wait for it for ever
                }
                SyncGroupResponseData synced = sync(wire, joined, instance);
                if (synced.errorCode() == Errors.NONE.code()) {
                    own(joined.generationId(), instance != null ? instance : memberId, synced.assignment());
                }
                for (int beats = random.nextInt(4); beats > 0; beats--) {
                    HeartbeatResponseData beat = wire.send(new HeartbeatRequestData().setGroupId(GROUP)
                            .setGenerationId(joined.generationId()).setMemberId(memberId).setGroupInstanceId(instance), 3);
                    if (beat.errorCode() != Errors.NONE.code()) {
                        break;
                    }
                    pause(random.nextInt(100));
                }
                if (random.nextInt(4) == 0 && !calm(stormEnds)) {
                    leave(wire, memberId, instance);
                    memberId = "";
                }
            }
        }
        if (!memberId.isEmpty()) {
            try (KafkaWire wire = new KafkaWire(broker)) {
                // a static member by its instance id alone: whichever of the five holds the place now goes
                leave(wire, instance == null ? memberId : "", instance);
            }
        }
    }

    private static void leave(KafkaWire wire, String memberId, String instance) {
        wire.send(new LeaveGroupRequestData().setGroupId(GROUP).setMembers(List.of(new LeaveGroupRequestData
                .MemberIdentity().setMemberId(memberId).setGroupInstanceId(instance))), 3);
    }

    private static JoinGroupResponseData join(KafkaWire wire, String memberId, String instance) {
        JoinGroupRequestProtocolCollection protocols = new JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestProtocol().setName("storm").setMetadata(new byte[] {1}));
        JoinGroupRequestData request = new JoinGroupRequestData().setGroupId(GROUP).setMemberId(memberId)
                .setSessionTimeoutMs(6_000).setRebalanceTimeoutMs(REBALANCE_MS).setProtocolType("consumer")
                .setProtocols(protocols).setGroupInstanceId(instance);
        JoinGroupResponseData joined = wire.send(request, 5);
        if (joined.errorCode() == Errors.MEMBER_ID_REQUIRED.code()) {
            joined = wire.send(request.setMemberId(joined.memberId()), 5);
        }
        return joined;
    }

    /** The leader deals the partitions out one by one over the members it was told of; the others send nothing. */
    private static SyncGroupResponseData sync(KafkaWire wire, JoinGroupResponseData joined, String instance) {
        SyncGroupRequestData request = new SyncGroupRequestData().setGroupId(GROUP)
                .setGenerationId(joined.generationId()).setMemberId(joined.memberId()).setGroupInstanceId(instance);
        if (joined.leader().equals(joined.memberId())) {
            List<JoinGroupResponseData.JoinGroupResponseMember> members = joined.members();
            for (int m = 0; m < members.size(); m++) {
                ByteBuffer partitions = ByteBuffer.allocate(4 * PARTITIONS);
                for (int p = m; p < PARTITIONS; p += members.size()) {
                    partitions.putInt(p);
                }
                request.assignments().add(new SyncGroupRequestAssignment().setMemberId(members.get(m).memberId())
                        .setAssignment(java.util.Arrays.copyOf(partitions.array(), partitions.position())));
            }
        }
        return wire.send(request, 3);
    }

    /** The partitions {@code owner} (a member id, or a static member's instance id) holds in the generation. */
    private void own(int generation, String owner, byte[] assignment) {
        syncsAnswered.incrementAndGet();
        Map<Integer, String> generationOwners = owners.computeIfAbsent(generation, g -> new ConcurrentHashMap<>());
        ByteBuffer partitions = ByteBuffer.wrap(assignment);
        while (partitions.remaining() >= 4) {
            int partition = partitions.getInt();
            String before = generationOwners.putIfAbsent(partition, owner);
            if (before != null && !before.equals(owner)) {
                synchronized (doubleOwners) {
                    doubleOwners.add("generation " + generation + " partition " + partition + ": " + before + " and "
                            + owner);
                }
            }
        }
    }

    /**
     * A call no honest member sends: a member id nobody was given, or a generation that never was; now and then with a
     * static member's instance id, whose member id it is not.
     */
    private void forge(KafkaWire wire, Random random) {
        String forged = "forged-" + random.nextInt(1000);
        String instance = random.nextBoolean() ? null : "till-" + random.nextInt(INSTANCE_IDS);
        int generation = random.nextBoolean() ? -5 : 1_000_000 + random.nextInt(1000);
        switch (random.nextInt(4)) {
            case 0 -> taken(wire.<HeartbeatResponseData>send(new HeartbeatRequestData().setGroupId(GROUP)
                    .setGenerationId(generation).setMemberId(forged).setGroupInstanceId(instance), 3).errorCode());
            case 1 -> taken(wire.<SyncGroupResponseData>send(new SyncGroupRequestData().setGroupId(GROUP)
                    .setGenerationId(generation).setMemberId(forged).setGroupInstanceId(instance), 3).errorCode());
            case 2 -> {
                // A commit at a negative generation is Kafka's commit from outside any generation, whatever ids it
                // names, and is taken while the group is empty: only a generation that never was is a forgery here.
                OffsetCommitResponseData committed = wire.send(new OffsetCommitRequestData().setGroupId(GROUP)
                        .setGenerationIdOrMemberEpoch(Math.abs(generation) + 1_000_000).setMemberId(forged)
                        .setGroupInstanceId(instance)
                        .setTopics(List.of(
                                new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(GROUP).setPartitions(List.of(
                                        new OffsetCommitRequestData.OffsetCommitRequestPartition().setCommittedOffset(1))))), 7);
                taken(committed.topics().get(0).partitions().get(0).errorCode());
            }
            default -> taken(wire.<JoinGroupResponseData>send(new JoinGroupRequestData().setGroupId(GROUP)
                    .setMemberId(forged).setGroupInstanceId(instance).setSessionTimeoutMs(6_000).setRebalanceTimeoutMs(REBALANCE_MS)
                    .setProtocolType("consumer").setProtocols(new JoinGroupRequestProtocolCollection(List.of(
                            new JoinGroupRequestProtocol().setName("storm").setMetadata(new byte[] {1})).iterator())),
                    5).errorCode());
        }
    }

    private void taken(short errorCode) {
        if (errorCode == Errors.NONE.code()) {
            forgeriesTaken.incrementAndGet();
        }
    }
}

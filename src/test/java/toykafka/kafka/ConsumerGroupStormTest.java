package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.kafka.DrillKit.pause;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.group.consumer.DescribedConsumerGroup;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.Drill;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;
import toykafka.testing.StartedBroker.Setting;

/**
 * A storm on Kafka 4's consumer group protocol: members by the hundred join, heartbeat what they own, leave, fall
 * silent, and send forged member ids and epochs, at random, for a bounded time. A fifth of them are static members
 * sharing instance ids, which leave for a moment and come back, or find their instance id still held. Meanwhile a
 * watcher describes the group over and over. The coordinator must answer every call, never show a partition owned by
 * two members at once, refuse every forgery, and be left with no member once the members are gone. The seed is
 * printed; rerun one with {@code -Dstorm.seed=N}.
 */
class ConsumerGroupStormTest {

    private static final String GROUP = "storm-848";
    private static final String TOPIC = "storm-848";
    private static final int MEMBERS = Integer.getInteger("storm.members", 80);
    private static final long STORM_MS = Long.getLong("storm.ms", 4_000);
    private static final int PARTITIONS = 24;
    private static final int INSTANCE_IDS = 12;
    /** A silent member is fenced after this long: short, so that the silent ones are gone soon after the storm. */
    private static final String SESSION_MS = "1500";

    @StartedBroker(value = FrontEnd.KAFKA, settings = {
            @Setting(name = BrokerConfig.GROUP_CONSUMER_SESSION_TIMEOUT_MS, value = SESSION_MS),
            @Setting(name = BrokerConfig.GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, value = "100")})
    static RunningBroker broker;

    private final List<String> doubleOwners = new ArrayList<>();
    private final AtomicInteger forgeriesTaken = new AtomicInteger();
    private final AtomicInteger assignmentsGiven = new AtomicInteger();
    private final AtomicBoolean storming = new AtomicBoolean(true);

    @RegisterExtension
    final Drill drill = Drill.seeded("storm.seed", System.nanoTime());

    @Test
    void hundreds_of_members_joining_leaving_and_forging_epochs_never_share_a_partition_and_leave_no_member()
            throws Exception {
        long seed = drill.seed();
        drill.at("the storm");
        System.out.println("consumer group storm: seed " + seed);
        broker.broker().createTopic(TOPIC, PARTITIONS, Map.of(), OnDuplicate.FAIL);
        Uuid topicId = Uuid.fromString(broker.broker().describeTopic(TOPIC).id().toString());
        long stormEnds = System.currentTimeMillis() + STORM_MS;
        ExecutorService pool = Executors.newFixedThreadPool(MEMBERS + 1);
        Future<Integer> watcher = pool.submit(this::watch);
        List<Future<?>> members = new ArrayList<>();
        for (int m = 0; m < MEMBERS; m++) {
            Random random = new Random(seed + m);
            String instance = m % 5 == 0 ? "stall-" + m / 5 % INSTANCE_IDS : null;
            members.add(pool.submit(() -> {
                member(random, stormEnds, instance, topicId);
                return null;
            }));
        }
        for (Future<?> member : members) {
            member.get(STORM_MS + 120_000, TimeUnit.MILLISECONDS); // a member's own failure fails the storm
        }
        storming.set(false);
        int looks = watcher.get(60, TimeUnit.SECONDS);
        pool.shutdown();

        synchronized (doubleOwners) {
            assertEquals(List.of(), doubleOwners, "partitions owned by two members at once, seed " + seed);
        }
        assertEquals(0, forgeriesTaken.get(), "forged member ids and epochs were taken, seed " + seed);
        assertTrue(assignmentsGiven.get() > 0, "no member was ever given a partition, seed " + seed);
        System.out.println("consumer group storm: " + assignmentsGiven.get() + " assignments, " + looks + " looks");

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        DescribedConsumerGroup group = broker.broker().groupCoordinator().describeConsumerGroup(GROUP);
        while (!group.members().isEmpty() && System.nanoTime() < deadline) { // the silent ones' sessions run out
            Thread.sleep(100);
            group = broker.broker().groupCoordinator().describeConsumerGroup(GROUP);
        }
        assertEquals(List.of(), group.members(), "every member left or was fenced, seed " + seed);
        assertEquals("Empty", group.state());
        assertEquals(Map.of(GROUP, toykafka.common.Errors.NONE),
                broker.broker().groupCoordinator().deleteGroups(List.of(GROUP)), "an empty group may be deleted");
    }

    /** Describes the group over and over while the storm lasts: no partition may be any two members' at once. */
    private int watch() {
        int looks = 0;
        while (storming.get()) {
            DescribedConsumerGroup group = broker.broker().groupCoordinator().describeConsumerGroup(GROUP);
            Map<Integer, String> owner = new HashMap<>();
            for (DescribedConsumerGroup.Member member : group.members()) {
                member.assignment().values().forEach(partitions -> partitions.forEach(partition -> {
                    String before = owner.put(partition, member.memberId());
                    if (before != null) {
                        synchronized (doubleOwners) {
                            doubleOwners.add("partition " + partition + ": " + before + " and " + member.memberId());
                        }
                    }
                }));
            }
            looks++;
            pause(1); // often enough to catch any overlap, and leaves the members the CPU
        }
        return looks;
    }

    /**
     * One member's storm: joins, then heartbeats that say it owns what it was last given (it lets go at once), with
     * forgeries between; now and then it leaves, falls silent (its session runs out), or, static, leaves for a moment.
     */
    private void member(Random random, long stormEnds, String instance, Uuid topicId) {
        while (System.currentTimeMillis() < stormEnds) {
            try (KafkaWire wire = new KafkaWire(broker)) {
                String memberId = UUID.randomUUID().toString();
                ConsumerGroupHeartbeatResponseData joined = wire.send(new ConsumerGroupHeartbeatRequestData()
                        .setGroupId(GROUP).setMemberId(memberId).setMemberEpoch(0).setInstanceId(instance)
                        .setRebalanceTimeoutMs(1_000).setSubscribedTopicNames(List.of(TOPIC))
                        .setTopicPartitions(List.of()), 0);
                if (joined.errorCode() != Errors.NONE.code()) {
                    assertTrue(Set.of(Errors.UNRELEASED_INSTANCE_ID.code(), Errors.GROUP_MAX_SIZE_REACHED.code())
                            .contains(joined.errorCode()), "a join was refused with " + joined.errorCode());
                    pause(random.nextInt(50));
                    continue;
                }
                int epoch = joined.memberEpoch();
                List<ConsumerGroupHeartbeatRequestData.TopicPartitions> owned = owned(joined, List.of());
                for (int beats = 1 + random.nextInt(8); beats > 0; beats--) {
                    forge(wire, random, memberId, epoch);
                    ConsumerGroupHeartbeatResponseData beat = wire.send(new ConsumerGroupHeartbeatRequestData()
                            .setGroupId(GROUP).setMemberId(memberId).setMemberEpoch(epoch).setTopicPartitions(owned), 0);
                    if (beat.errorCode() != Errors.NONE.code()) {
                        break; // fenced by the clock (the rebalance timeout): it starts again
                    }
                    epoch = beat.memberEpoch();
                    owned = owned(beat, owned);
                    pause(random.nextInt(40));
                }
                switch (random.nextInt(4)) {
                    case 0 -> { } // falls silent: its session runs out
                    case 1 -> wire.send(new ConsumerGroupHeartbeatRequestData().setGroupId(GROUP)
                            .setMemberId(memberId).setInstanceId(instance).setMemberEpoch(instance == null ? -1 : -2), 0);
                    default -> wire.send(new ConsumerGroupHeartbeatRequestData().setGroupId(GROUP)
                            .setMemberId(memberId).setInstanceId(instance).setMemberEpoch(-1), 0);
                }
            }
        }
    }

    /** What the member owns after an answer: the answer's partitions if it carries them, else as before. */
    private List<ConsumerGroupHeartbeatRequestData.TopicPartitions> owned(ConsumerGroupHeartbeatResponseData answer,
            List<ConsumerGroupHeartbeatRequestData.TopicPartitions> before) {
        if (answer.assignment() == null) {
            return before;
        }
        List<ConsumerGroupHeartbeatRequestData.TopicPartitions> owned = new ArrayList<>();
        answer.assignment().topicPartitions().forEach(topic -> {
            owned.add(new ConsumerGroupHeartbeatRequestData.TopicPartitions().setTopicId(topic.topicId())
                    .setPartitions(topic.partitions()));
            if (!topic.partitions().isEmpty()) {
                assignmentsGiven.incrementAndGet();
            }
        });
        return owned;
    }

    /** A call no honest member sends: an epoch it does not have, a member id nobody has, or a commit at either. */
    private void forge(KafkaWire wire, Random random, String memberId, int epoch) {
        if (random.nextInt(3) != 0) {
            return;
        }
        boolean strangerId = random.nextBoolean();
        String forgedId = strangerId ? "forged-" + random.nextInt(1000) : memberId;
        int forgedEpoch = epoch + 1 + random.nextInt(1000);
        if (random.nextBoolean()) {
            taken(wire.<ConsumerGroupHeartbeatResponseData>send(new ConsumerGroupHeartbeatRequestData()
                    .setGroupId(GROUP).setMemberId(forgedId).setMemberEpoch(forgedEpoch), 0).errorCode());
        } else {
            OffsetCommitResponseData committed = wire.send(new OffsetCommitRequestData().setGroupId(GROUP)
                    .setGenerationIdOrMemberEpoch(forgedEpoch).setMemberId(forgedId).setTopics(List.of(
                            new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(TOPIC).setPartitions(List.of(
                                    new OffsetCommitRequestData.OffsetCommitRequestPartition().setCommittedOffset(0))))), 9);
            taken(committed.topics().get(0).partitions().get(0).errorCode());
        }
    }

    private void taken(short errorCode) {
        if (errorCode == Errors.NONE.code()) {
            forgeriesTaken.incrementAndGet();
        }
    }
}

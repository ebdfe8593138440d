package toykafka.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * Many members of Kafka 4's consumer group protocol (KIP-848), written as light raw clients that frame Kafka's own
 * {@code ConsumerGroupHeartbeatRequestData} over a few {@link RawConnection}s, requests pipelined: each member joins
 * at epoch 0, then heartbeats at the epoch it was given once every interval, sending back the partitions it was
 * given as the ones it owns, and leaves at epoch -1 at the end. The members' first heartbeats are spread over one
 * interval, so the broker is offered members / interval heartbeats a second from the start. A member with a heartbeat
 * not yet answered skips its turn, as a consumer sends one at a time: a broker that falls behind is offered fewer.
 * A member fenced (FENCED_MEMBER_EPOCH, or UNKNOWN_MEMBER_ID once its session ran out) joins again with nothing, as
 * a consumer does, and is counted; one told the coordinator is still loading tries again at its next turn; any other
 * error fails the load. Once the group is steady (every member answered at its epoch, then a whole interval in which
 * no answer moved a member's epoch or partitions and no member skipped its turn), or has failed to be for
 * {@value #SETTLE_LIMIT_SECONDS} s, the answers are timed, from the request's send to its answer, and counted, and
 * the broker's CPU time taken over the same span.
 */
public final class ConsumerGroupHeartbeatLoad {

    /** Version 1: the member makes its own id, as a Kafka 4 consumer does. */
    static final short VERSION = 1;
    /** Version 4: a batch of group ids, as a Kafka 4 consumer asks. */
    private static final short FIND_COORDINATOR_VERSION = 4;
    private static final String CLIENT_ID = "heartbeat-load";
    /** How long the group may take to settle before it is timed as it is. */
    static final int SETTLE_LIMIT_SECONDS = 120;
    /** How long the broker may take to answer every heartbeat sent before the load gives up on it. */
    private static final Duration STALL = Duration.ofMinutes(3);

    /**
     * What to run.
     *
     * @param groupIds        the groups, each of {@code membersPerGroup} members subscribed to {@code topic}
     * @param connections     the connections the members are dealt over, round robin
     * @param interval        how often each member heartbeats
     * @param rebalanceTimeout the members' rebalance timeout
     */
    public record Shape(List<String> groupIds, int membersPerGroup, String topic, int connections, Duration interval,
                        Duration rebalanceTimeout) {

        public Shape {
            groupIds = List.copyOf(groupIds);
        }

        public int members() {
            return groupIds.size() * membersPerGroup;
        }

        /** The heartbeats a second the members offer. */
        public double offeredPerSecond() {
            return members() / (interval.toNanos() / 1e9);
        }
    }

    /**
     * What the timed span saw.
     *
     * @param settledSeconds from the first join until the group was steady, or the settling was given up
     * @param steady         whether the group settled before the timing began
     * @param answered       heartbeats answered in the timed span, errors or not
     * @param fenced         members fenced in the timed span, each of which joined again
     * @param skipped        turns a member skipped in the span, its last heartbeat not yet answered
     * @param cpuShare       the broker's CPU time over the span, as a share of one core
     */
    public record Result(int members, double settledSeconds, boolean steady, long answered, long fenced, long skipped,
                         double seconds, double p50Millis, double p99Millis, double maxMillis, double cpuShare) {

        public double answeredPerSecond() {
            return answered / seconds;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%,d members %s after %.1f s; %,d heartbeats answered in %.1f s"
                            + " (%.0f/s, %,d members fenced, %,d turns skipped), p50 %.1f ms, p99 %.1f ms, max %.1f ms;"
                            + " broker CPU %.0f %% of a core", members, steady ? "steady" : "NOT steady", settledSeconds,
                    answered, seconds, answeredPerSecond(), fenced, skipped, p50Millis, p99Millis, maxMillis,
                    100 * cpuShare);
        }
    }

    /** One member: its id, the epoch it was given, the partitions it owns, whether it waits for an answer. */
    private static final class Member {
        final String groupId;
        final String memberId = UUID.randomUUID().toString();
        volatile int epoch;
        volatile List<ConsumerGroupHeartbeatRequestData.TopicPartitions> owned = List.of();
        /** The partitions it owns changed since it last said so: its next heartbeat says them. */
        volatile boolean ownedToSay;
        volatile boolean awaiting;
        volatile long sentAt;

        Member(String groupId) {
            this.groupId = groupId;
        }
    }

    /** A heartbeat sent: whose, and when. */
    private record Sent(Member member, long nanos) {
    }

    private final Shape shape;
    private final List<Lane> lanes = new ArrayList<>();
    /** Set once the group is steady: answers from then on are timed. */
    private volatile long timedFrom = Long.MAX_VALUE;
    private volatile long timedUntil = Long.MAX_VALUE;
    /** When an answer last moved a member's epoch or partitions, or a member last skipped its turn. */
    private final AtomicLong lastUnrest = new AtomicLong(System.nanoTime());
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    private ConsumerGroupHeartbeatLoad(Shape shape) {
        this.shape = shape;
    }

    /**
     * Runs the members on the broker at {@code port} until they are steady, times them for {@code timed}, then has
     * them all leave.
     *
     * @param brokerCpuNanos the broker's CPU time so far
     */
    public static Result run(int port, Shape shape, Duration timed, LongSupplier brokerCpuNanos) {
        return new ConsumerGroupHeartbeatLoad(shape).run(port, timed, brokerCpuNanos);
    }

    private Result run(int port, Duration timed, LongSupplier brokerCpuNanos) {
        try {
            for (int c = 0; c < shape.connections(); c++) {
                lanes.add(new Lane(new RawConnection(port, CLIENT_ID)));
            }
            int index = 0;
            for (String groupId : shape.groupIds()) {
                for (int m = 0; m < shape.membersPerGroup(); m++) {
                    lanes.get(index++ % lanes.size()).members.add(new Member(groupId));
                }
            }
            awaitCoordinator(lanes.get(0).connection);
            long started = System.nanoTime();
            lanes.forEach(lane -> lane.start(started));
            long intervalNanos = shape.interval().toNanos();
            long limit = started + Duration.ofSeconds(SETTLE_LIMIT_SECONDS).toNanos();
            // steady: every member joined a whole interval ago, then a whole interval passed with nothing moved
            boolean steady;
            while (!(steady = System.nanoTime() - Math.max(lastUnrest.get(), started + intervalNanos) >= intervalNanos
                    && allAnswered(intervalNanos)) && System.nanoTime() < limit) {
                throwIfFailed();
                LockSupport.parkNanos(10_000_000);
            }
            double settled = (System.nanoTime() - started) / 1e9;
            long cpuBefore = brokerCpuNanos.getAsLong();
            long from = System.nanoTime();
            timedFrom = from;
            LockSupport.parkNanos(timed.toNanos());
            long until = System.nanoTime();
            timedUntil = until;
            long cpu = brokerCpuNanos.getAsLong() - cpuBefore;
            lanes.forEach(Lane::stopBeating);
            lanes.forEach(Lane::awaitDrained);
            throwIfFailed();
            double seconds = (until - from) / 1e9;
            long[] latencies = lanes.stream().flatMapToLong(lane -> lane.latencies.stream().mapToLong(Long::longValue))
                    .sorted().toArray();
            long skipped = lanes.stream().mapToLong(lane -> lane.skipped.get()).sum();
            long fenced = lanes.stream().mapToLong(lane -> lane.fenced.get()).sum();
            Result result = new Result(shape.members(), settled, steady, latencies.length, fenced, skipped, seconds,
                    percentile(latencies, 0.50), percentile(latencies, 0.99),
                    latencies.length == 0 ? Double.NaN : latencies[latencies.length - 1] / 1e6, cpu / 1e9 / seconds);
            leaveAll();
            return result;
        } finally {
            lanes.forEach(Lane::close);
        }
    }

    /**
     * Asks for the groups' coordinator until the broker has one, as a consumer does before its first heartbeat:
     * Kafka makes its offsets topic at the first such question, and answers a heartbeat NOT_COORDINATOR until then.
     */
    private void awaitCoordinator(RawConnection connection) {
        long limit = System.nanoTime() + STALL.toNanos();
        while (true) {
            connection.send(ApiKeys.FIND_COORDINATOR, FIND_COORDINATOR_VERSION, new FindCoordinatorRequestData()
                    .setKeyType((byte) 0).setCoordinatorKeys(shape.groupIds()));
            FindCoordinatorResponseData answer = connection.receive();
            if (answer.coordinators().stream().allMatch(group -> group.errorCode() == Errors.NONE.code())) {
                return;
            }
            check(limit, "the broker to find the groups' coordinator");
            LockSupport.parkNanos(100_000_000);
        }
    }

    /** Whether every member has an epoch, and none has waited a whole interval for an answer. */
    private boolean allAnswered(long intervalNanos) {
        long now = System.nanoTime();
        return lanes.stream().allMatch(lane -> lane.members.stream().allMatch(member -> member.epoch > 0
                && (!member.awaiting || now - member.sentAt < intervalNanos)));
    }

    /** Every member leaves at epoch -1, the answers awaited. */
    private void leaveAll() {
        for (Lane lane : lanes) {
            for (Member member : lane.members) {
                lane.sent.add(new Sent(member, System.nanoTime())); // before the send: its answer may come at once
                lane.connection.send(ApiKeys.CONSUMER_GROUP_HEARTBEAT, VERSION, new ConsumerGroupHeartbeatRequestData()
                        .setGroupId(member.groupId).setMemberId(member.memberId).setMemberEpoch(-1));
            }
        }
        lanes.forEach(Lane::awaitDrained);
        throwIfFailed();
    }

    private void check(long limit, String what) {
        throwIfFailed();
        if (System.nanoTime() > limit) {
            throw new IllegalStateException("waited " + STALL.toSeconds() + " s for " + what);
        }
    }

    private void throwIfFailed() {
        RuntimeException failed = failure.get();
        if (failed != null) {
            throw failed;
        }
    }

    private static double percentile(long[] sorted, double fraction) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] / 1e6;
    }

    /** One connection's members: a thread that sends their heartbeats on time, and one that reads the answers. */
    private final class Lane {
        final RawConnection connection;
        final List<Member> members = new ArrayList<>();
        final ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        final AtomicLong skipped = new AtomicLong();
        final AtomicLong fenced = new AtomicLong();
        final AtomicBoolean beating = new AtomicBoolean(true);
        /** Set when the lane closes: its reader stops once every answer is in. */
        volatile boolean closing;
        Thread sender;
        Thread receiver;

        Lane(RawConnection connection) {
            this.connection = connection;
        }

        void start(long started) {
            sender = daemon("heartbeat-load-send", () -> send(started));
            receiver = daemon("heartbeat-load-receive", this::receive);
        }

        private Thread daemon(String name, Runnable work) {
            Thread thread = new Thread(() -> guarded(work), name);
            thread.setDaemon(true);
            thread.start();
            return thread;
        }

        /** Each member's turn comes at its own phase of the interval: the members of all lanes spread evenly. */
        private void send(long started) {
            long interval = shape.interval().toNanos();
            int lane = lanes.indexOf(this);
            for (long round = 0; beating.get(); round++) {
                for (int m = 0; m < members.size() && beating.get(); m++) {
                    long phase = interval * (m * lanes.size() + lane) / shape.members();
                    long due = started + round * interval + phase;
                    for (long wait; (wait = due - System.nanoTime()) > 0 && beating.get(); ) {
                        LockSupport.parkNanos(Math.min(wait, 10_000_000));
                    }
                    if (beating.get()) {
                        beat(members.get(m), round == 0);
                    }
                }
            }
        }

        private void beat(Member member, boolean first) {
            if (member.awaiting) {
                long now = System.nanoTime();
                if (now >= timedFrom) {
                    skipped.incrementAndGet();
                }
                lastUnrest.set(now);
                return;
            }
            ConsumerGroupHeartbeatRequestData request = new ConsumerGroupHeartbeatRequestData()
                    .setGroupId(member.groupId).setMemberId(member.memberId).setMemberEpoch(member.epoch);
            boolean joining = first || member.epoch == 0;
            if (joining) { // a first heartbeat says everything, and owns nothing
                request.setMemberEpoch(0).setRebalanceTimeoutMs((int) shape.rebalanceTimeout().toMillis())
                        .setSubscribedTopicNames(List.of(shape.topic())).setTopicPartitions(List.of());
            } else if (member.ownedToSay) {
                member.ownedToSay = false;
                request.setTopicPartitions(member.owned);
            }
            member.sentAt = System.nanoTime();
            member.awaiting = true;
            sent.add(new Sent(member, member.sentAt));
            connection.send(ApiKeys.CONSUMER_GROUP_HEARTBEAT, VERSION, request);
        }

        private void receive() {
            while (!closing || connection.unanswered() > 0) {
                if (connection.unanswered() == 0) {
                    LockSupport.parkNanos(1_000_000);
                    continue;
                }
                ConsumerGroupHeartbeatResponseData answer = connection.receive();
                long now = System.nanoTime();
                Sent request = sent.remove();
                Member member = request.member();
                Errors error = Errors.forCode(answer.errorCode());
                boolean timed = request.nanos() >= timedFrom && request.nanos() < timedUntil;
                if (timed) {
                    latencies.add(now - request.nanos());
                }
                if (error == Errors.FENCED_MEMBER_EPOCH || error == Errors.UNKNOWN_MEMBER_ID) {
                    if (timed) {
                        fenced.incrementAndGet();
                    }
                    member.owned = List.of(); // it gives everything up and joins again at its next turn
                    member.ownedToSay = false;
                    member.epoch = 0;
                    member.awaiting = false;
                    lastUnrest.set(now);
                    continue;
                }
                if (error == Errors.NOT_COORDINATOR || error == Errors.COORDINATOR_NOT_AVAILABLE
                        || error == Errors.COORDINATOR_LOAD_IN_PROGRESS) {
                    member.awaiting = false; // the coordinator is still loading: it tries again at its next turn
                    lastUnrest.set(now);
                    continue;
                }
                if (error != Errors.NONE) {
                    throw new IllegalStateException("a heartbeat of " + member.memberId + " at epoch " + member.epoch
                            + " was answered " + error + ": " + answer.errorMessage());
                }
                boolean moved = answer.memberEpoch() != member.epoch;
                if (answer.assignment() != null) {
                    List<ConsumerGroupHeartbeatRequestData.TopicPartitions> owned = new ArrayList<>();
                    answer.assignment().topicPartitions().forEach(topic -> owned.add(
                            new ConsumerGroupHeartbeatRequestData.TopicPartitions().setTopicId(topic.topicId())
                                    .setPartitions(new ArrayList<>(topic.partitions()))));
                    moved |= !owned.equals(member.owned);
                    member.owned = owned;
                    member.ownedToSay = true;
                }
                if (moved) {
                    lastUnrest.set(now);
                }
                if (answer.memberEpoch() >= 0) {
                    member.epoch = answer.memberEpoch();
                }
                member.awaiting = false;
            }
        }

        private void guarded(Runnable work) {
            try {
                work.run();
            } catch (RuntimeException e) {
                if (!closing) {
                    failure.compareAndSet(null, e);
                }
                beating.set(false);
            }
        }

        void stopBeating() {
            beating.set(false);
            join(sender);
        }

        void awaitDrained() {
            long limit = System.nanoTime() + STALL.toNanos();
            while (!sent.isEmpty() && failure.get() == null) {
                check(limit, "the broker to answer every heartbeat sent");
                LockSupport.parkNanos(1_000_000);
            }
        }

        void close() {
            beating.set(false);
            closing = true;
            connection.close(); // a reader still waiting for an answer that will not come fails, and ends
            join(sender);
            join(receiver);
        }

        private void join(Thread thread) {
            if (thread == null) {
                return;
            }
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

}

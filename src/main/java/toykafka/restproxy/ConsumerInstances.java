package toykafka.restproxy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import toykafka.broker.Broker;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.group.GroupCoordinator;
import toykafka.broker.group.base.DescribedGroup;
import toykafka.broker.group.base.Group;
import toykafka.broker.group.classic.ConsumerProtocol;
import toykafka.common.Errors;
import toykafka.common.InvalidRequestException;
import toykafka.common.OffsetReset;
import toykafka.common.TopicPartition;
import toykafka.common.UnknownMemberIdException;
import toykafka.common.UnreleasedInstanceIdException;
import toykafka.lesson05.ConsumerRecord;

/**
 * Consumer instances as the REST Proxy's v2 API has them: a consumer kept for a client that speaks HTTP and
 * cannot keep one itself. As in Confluent's design, where REST Proxy is a process of its own, they are a
 * client of the broker like any other, built only on its public API: each subscribed instance is a member of
 * the broker's {@link GroupCoordinator} like any Kafka consumer ({@link InstanceMembership}: it joins, and
 * when it is the leader it assigns with lesson 5's assignors), and it reads through the data path
 * ({@link InstancePolls}). What a Kafka consumer keeps itself, each {@link ConsumerInstance} keeps here:
 * its position in each partition it owns. The HTTP front end {@link #start}s them over its broker, and
 * closes them.
 *
 * <p>An instance lives until a client deletes it or leaves it alone for longer than
 * {@code consumer.instance.timeout.ms} (REST Proxy's setting): every call on it counts as hearing from it,
 * and meanwhile these instances heartbeat its group for it on the group-session schedule (session.timeout.ms),
 * as REST Proxy's consumer does for its own instances. An instance assigned partitions by hand
 * ({@link #assign}) is no member of its group, as with Kafka's {@code assign}.
 *
 * <p>Only {@link #create} makes a group's entry here, and a group's entry goes with its last instance, so a
 * call naming an instance that is not there (404) leaves nothing behind. Names and group ids are at most
 * {@link Group#MAX_NAME_LENGTH} characters, and a group has at most {@code group.max.size}
 * instances, subscribed or not.
 */
public final class ConsumerInstances implements AutoCloseable {

    /**
     * A consumer group as an admin sees it (Kafka's describeConsumerGroups and listConsumerGroupOffsets):
     * the assignor that shares out its partitions, its generation, each member's partitions (members in id
     * order), and the offsets it has committed.
     */
    public record GroupInfo(String groupId, String assignor, int generation,
                            SortedMap<String, List<TopicPartition>> assignment, SortedMap<TopicPartition, Long> committed) {
    }

    /** A group's instances, by name; its lock guards them. */
    static final class Instances {
        final String groupId;
        final Map<String, ConsumerInstance> byName = new LinkedHashMap<>();
        /** Completes when the group changes (a rebalance, an assignment, a member gone): waiting polls wake. */
        CompletableFuture<Void> changed = new CompletableFuture<>();
        /** Its last instance went and it left the map: a create that still holds it looks the group up again. */
        boolean retired;

        Instances(String groupId) {
            this.groupId = groupId;
        }

        String nameOf(String memberId) {
            return byName.values().stream().filter(instance -> instance.memberId.equals(memberId))
                    .map(instance -> instance.name).findFirst().orElse(memberId);
        }
    }

    private final Broker broker;
    private final GroupCoordinator coordinator;
    private final Clock clock;
    private final Duration instanceTimeout;
    private final Map<String, Instances> groups = new ConcurrentSkipListMap<>();
    private final InstanceBudget budget;

    private final InstanceMembership membership;
    private final InstanceSubscriptions subscriptions;
    private final InstancePolls polls;
    private final InstanceOffsets offsets;
    /** The one listener this set registers, kept so that close can take it back. */
    private final Consumer<String> rejoinOnRebalance;
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "toykafka-rest-instances");
        thread.setDaemon(true);
        return thread;
    });
    volatile boolean closed;

    private ConsumerInstances(Broker broker) {
        BrokerConfig config = broker.config();
        this.broker = broker;
        this.coordinator = broker.groupCoordinator();
        this.clock = broker.clock();
        this.instanceTimeout = Duration.ofMillis(config.consumerInstanceTimeoutMs());
        this.budget = new InstanceBudget(config.consumerInstancesMax());
        this.membership = new InstanceMembership(this, broker, Duration.ofMillis(config.sessionTimeoutMs()));
        this.subscriptions = new InstanceSubscriptions(this, broker);
        this.polls = new InstancePolls(this, broker.partitions());
        this.offsets = new InstanceOffsets(this, broker);
        this.rejoinOnRebalance = membership::rejoin;
        coordinator.onRebalanceStarted(rejoinOnRebalance);
    }

    /** As {@link #start(Broker, Consumer)}, a failed heartbeat round told to nobody. */
    public static ConsumerInstances start(Broker broker) {
        return start(broker, message -> { });
    }

    /**
     * Consumer instances over the broker, with the broker's settings for them (session.timeout.ms,
     * consumer.instance.timeout.ms, consumer.instances.max): they heartbeat and drop idle instances on the
     * group-session schedule, telling {@code events} of a round that failed, until they are closed.
     */
    public static ConsumerInstances start(Broker broker, Consumer<String> events) {
        ConsumerInstances instances = new ConsumerInstances(Objects.requireNonNull(broker, "broker"));
        long every = Math.max(10, Math.min(1000, broker.config().sessionTimeoutMs() / 3)); // as the broker ticks groups
        instances.heartbeats.scheduleWithFixedDelay(() -> {
            try {
                instances.dropIdle();
            } catch (RuntimeException e) { // reported, and the schedule goes on: the next round may succeed
                events.accept("consumer instances' heartbeats failed: " + e.getMessage());
            }
        }, every, every, TimeUnit.MILLISECONDS);
        return instances;
    }

    InstanceMembership membership() {
        return membership;
    }

    InstanceSubscriptions subscriptions() {
        return subscriptions;
    }

    InstanceOffsets offsets() {
        return offsets;
    }

    /** The group's instances, or null if it has none. */
    Instances group(String groupId) {
        return groups.get(groupId);
    }

    /** The group of an instance a call names; an unknown group is an unknown instance, and nothing is made. */
    Instances existing(String groupId, String name) {
        requireGroupId(groupId);
        Instances group = groups.get(groupId);
        if (group == null) {
            throw UnknownMemberIdException.of(groupId, name);
        }
        return group;
    }

    private static void requireGroupId(String groupId) {
        if (groupId == null || groupId.isBlank() || groupId.length() > Group.MAX_NAME_LENGTH) {
            throw new ConsumerInstance.Refused(Errors.INVALID_GROUP_ID, "a group.id is 1 to "
                    + Group.MAX_NAME_LENGTH + " characters, not blank; this one has "
                    + (groupId == null ? 0 : groupId.length()));
        }
    }

    /** Removes an instance; the group's entry goes with its last one. Under the group's lock. */
    private void remove(Instances group, ConsumerInstance instance) {
        if (group.byName.remove(instance.name, instance)) {
            budget.release();
        }
        if (group.byName.isEmpty()) {
            group.retired = true;
            groups.remove(group.groupId, group);
        }
    }

    /**
     * Adds an instance that has not yet subscribed; returns its name (a fresh one if none is asked for). A
     * name is at most {@link Group#MAX_NAME_LENGTH} characters, and a group takes at most
     * {@code group.max.size} instances.
     */
    public String create(String groupId, String name, OffsetReset reset) {
        Objects.requireNonNull(reset, "auto.offset.reset");
        return create(groupId, name, ConsumerInstanceConfig.of(reset));
    }

    /** As {@link #create(String, String, OffsetReset)}, with every setting REST Proxy's create takes. */
    public String create(String groupId, String name, ConsumerInstanceConfig config) {
        Objects.requireNonNull(config, "config");
        requireGroupId(groupId);
        if (name != null && name.length() > Group.MAX_NAME_LENGTH) {
            throw new InvalidRequestException("a consumer instance name is at most " + Group.MAX_NAME_LENGTH
                    + " characters; this one has " + name.length());
        }
        Instances group = groups.computeIfAbsent(groupId, Instances::new);
        synchronized (group) {
            if (group.retired) {
                return create(groupId, name, config); // its last instance went meanwhile: make the group again
            }
            String id = name == null || name.isBlank() ? "member-" + UUID.randomUUID() : name;
            if (group.byName.containsKey(id)) {
                throw UnreleasedInstanceIdException.of(groupId, id);
            }
            int maxSize = coordinator.config().maxSize();
            if (group.byName.size() >= maxSize) {
                throw new ConsumerInstance.Refused(Errors.GROUP_MAX_SIZE_REACHED, "group '" + groupId + "' has "
                        + group.byName.size() + " consumer instances, the most group.max.size=" + maxSize + " allows");
            }
            budget.take(groupId);
            group.byName.put(id, new ConsumerInstance(id, config, clock.instant()));
            return id;
        }
    }

    /**
     * Joins the instance to its group for these topics (Kafka's {@code subscribe(topics)}); the group
     * rebalances and every instance rejoins. A new subscription to topics replaces the last one; after a
     * pattern or a manual assignment it is refused (IllegalStateException) until the instance unsubscribes.
     */
    public void subscribe(String groupId, String name, Set<String> wanted) {
        subscriptions.subscribe(groupId, name, wanted);
    }

    /**
     * Joins the instance to its group for every topic whose whole name the Java regular expression
     * {@code regex} matches (Kafka's {@code subscribe(Pattern)}), the broker's own {@code __} topics left
     * out; the match is made again as topics come and go, and a change rebalances the group.
     */
    public void subscribePattern(String groupId, String name, String regex) {
        subscriptions.subscribePattern(groupId, name, regex);
    }

    /**
     * Kafka's {@code unsubscribe}: the instance leaves its group (which rebalances without it) or drops the
     * partitions assigned to it, and reads nothing until it subscribes or is assigned again.
     */
    public void unsubscribe(String groupId, String name) {
        subscriptions.unsubscribe(groupId, name);
    }

    /** The topics the instance is subscribed to now, in name order (those its pattern matches); none when assigned. */
    public List<String> subscription(String groupId, String name) {
        return subscriptions.subscription(groupId, name);
    }

    /**
     * Kafka's {@code assign}: the instance reads these partitions as no member of its group, from the group's
     * committed offsets or where its auto.offset.reset says; refused after a subscription (IllegalStateException)
     * until it unsubscribes. An empty list is an unsubscribe, as in Kafka.
     */
    public void assign(String groupId, String name, List<TopicPartition> partitions) {
        subscriptions.assign(groupId, name, partitions);
    }

    /** Wakes the group's long polls to read again: it rebalanced, or lost a member. */
    static void wake(Instances group) {
        CompletableFuture<Void> waking;
        synchronized (group) {
            waking = group.changed;
            group.changed = new CompletableFuture<>();
        }
        waking.complete(null);
    }

    /**
     * Wakes every waiting poll for good, so each answers with what it has, and stops heartbeating: the front
     * end is stopping. The instances stay members of their groups until their sessions run out, as a REST
     * Proxy's do when its process stops.
     */
    @Override
    public void close() {
        closed = true;
        groups.values().forEach(ConsumerInstances::wake);
        heartbeats.shutdownNow();
        coordinator.removeRebalanceListener(rejoinOnRebalance);
    }

    /** The instance says it is alive, as every call on it does, and its group hears from it. */
    public void heartbeat(String groupId, String name) {
        Instances group = existing(groupId, name);
        synchronized (group) {
            membership.heard(group, instance(group, name));
        }
    }

    /** The settings the instance was created with. */
    public ConsumerInstanceConfig config(String groupId, String name) {
        Instances group = existing(groupId, name);
        synchronized (group) {
            return instance(group, name).config;
        }
    }

    /** The partitions the instance owns now: assigned by hand, or by its group. */
    public List<TopicPartition> assignment(String groupId, String name) {
        Instances group = existing(groupId, name);
        synchronized (group) {
            ConsumerInstance instance = instance(group, name);
            membership.heard(group, instance); // a rebalance it missed shows in its next call, as with any call
            return instance.owned();
        }
    }

    /**
     * Up to {@code maxRecords} records from the partitions the instance owns, waiting up to {@code wait}
     * for some to arrive. The positions move past what is returned; a partition the instance newly owns
     * starts at the group's committed offset, or where the instance's auto.offset.reset says. The wait is
     * the data path's: a read in the purgatory, answered by an append to the instance's partitions, at
     * its deadline, or earlier when the group changes (a rebalance has the instance read other partitions).
     * This waits on the caller's thread; {@link #pollAsync} waits on none.
     */
    public List<ConsumerRecord> poll(String groupId, String name, int maxRecords, Duration wait) {
        try {
            return pollAsync(groupId, name, maxRecords, wait, Runnable::run).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException refusal ? refusal : e;
        }
    }

    /** As {@link #pollAsync(String, String, int, long, Duration, Executor, Function)}, records as they are, no byte bound. */
    public CompletableFuture<List<ConsumerRecord>> pollAsync(String groupId, String name, int maxRecords,
                                                             Duration wait, Executor continueOn) {
        return pollAsync(groupId, name, maxRecords, Long.MAX_VALUE, wait, continueOn, Function.identity());
    }

    /**
     * As {@link #poll}, but no thread waits: the answer completes when records arrive, the group changes or
     * the time is up, and the records are then taken on {@code continueOn} (not on the appender's thread
     * that ended the wait). At most {@code maxRecords} records, and about {@code maxBytes} of keys and
     * values (at least one record). Each record is handed over as {@code decode} makes it, before any
     * position moves: if {@code decode} refuses one, the poll fails with that refusal and the next poll
     * reads the same records. A refusal fails the future with the same exception {@link #poll} throws.
     * With auto.commit.enable the poll first commits what the previous one handed out, as Kafka's does.
     */
    public <T> CompletableFuture<List<T>> pollAsync(String groupId, String name, int maxRecords, long maxBytes,
                                                    Duration wait, Executor continueOn,
                                                    Function<ConsumerRecord, T> decode) {
        return polls.pollAsync(groupId, name, maxRecords, maxBytes, wait, continueOn, decode);
    }

    /** The instance, heard from and placed in the partitions it owns now; it must have subscribed or been assigned. */
    ConsumerInstance readyToRead(Instances group, String name) {
        ConsumerInstance instance = instance(group, name);
        if (!instance.reads()) {
            throw new IllegalStateException("consumer instance '" + name + "' of group '" + group.groupId
                    + "' has neither subscribed to topics nor been assigned partitions: subscribe or assign first");
        }
        membership.heard(group, instance);
        syncPositions(group, instance);
        return instance;
    }

    /** Places the instance in the partitions it owns now, each at its position or where it should start. */
    List<TopicPartition> syncPositions(Instances group, ConsumerInstance instance) {
        return instance.syncPositions(broker, group.groupId,
                coordinator.fetchOffsets(group.groupId, instance.owned()).offsets());
    }

    /** Moves the instance's position in a partition it owns (Kafka's {@code seek}). */
    public void seek(String groupId, String name, TopicPartition partition, long offset) {
        offsets.seek(groupId, name, partition, offset);
    }

    /**
     * Kafka's {@code seekToBeginning} ({@code beginning}) or {@code seekToEnd}: the instance's position in
     * each of these partitions, which it must own (else IllegalStateException), moves to the log start
     * offset or the end offset; every partition is checked before any position moves.
     */
    public void seekToEdge(String groupId, String name, List<TopicPartition> partitions, boolean beginning) {
        offsets.seekToEdge(groupId, name, partitions, beginning);
    }

    /**
     * Commits offsets for partitions the instance owns; with none given, its positions in every partition
     * it owns. Every offset is checked before any is sent, and the coordinator fences the commit by the
     * instance's generation and has it on disk before this returns: a refused commit leaves nothing behind.
     */
    public Map<TopicPartition, Long> commit(String groupId, String name, Map<TopicPartition, Long> given) {
        return offsets.commit(groupId, name, given);
    }

    /** The group's committed offsets. */
    public SortedMap<TopicPartition, Long> committed(String groupId) {
        return coordinator.fetchOffsets(groupId, null).offsets();
    }

    /**
     * Kafka's {@code committed(partitions)} for an instance: the group's committed offsets of these partitions
     * (with null, of every partition it committed), leaving out those with none; a partition the broker
     * does not have is refused naming it.
     */
    public SortedMap<TopicPartition, Long> committed(String groupId, String name, List<TopicPartition> partitions) {
        return offsets.committed(groupId, name, partitions);
    }

    /** Removes the instance (an auto-committing one commits first, as Kafka's close does): the group rebalances without it. */
    public void leave(String groupId, String name) {
        Instances group = existing(groupId, name);
        synchronized (group) {
            ConsumerInstance instance = instance(group, name);
            if (instance.config.autoCommit() && instance.reads()) {
                offsets.autoCommit(group, instance);
            }
            expire(group, instance);
        }
        wake(group);
    }

    /** Removes an instance and takes it out of its group. Under the group's lock. */
    private void expire(Instances group, ConsumerInstance instance) {
        remove(group, instance);
        if (instance.subscribed() && !instance.memberId.isEmpty()) {
            coordinator.leaveGroup(group.groupId, List.of(instance.memberId));
        }
    }

    /**
     * On the group-session schedule: drops every instance silent for longer than consumer.instance.timeout.ms
     * (its group rebalances without it), and heartbeats the group for every other subscribed one, so an
     * instance stays in its group for as long as it lives, as REST Proxy's consumer heartbeats for it.
     */
    public int dropIdle() {
        int dropped = 0;
        for (Instances group : groups.values()) {
            dropped += expireIdle(group);
            synchronized (group) {
                for (ConsumerInstance instance : List.copyOf(group.byName.values())) {
                    membership.heard(group, instance);
                }
            }
        }
        return dropped;
    }

    /** Drops the group's REST instances silent for longer than consumer.instance.timeout.ms, as the clock says now. */
    public void expireIdle(String groupId) {
        Instances group = groups.get(groupId);
        if (group != null) {
            expireIdle(group);
        }
    }

    /** Drops the group's instances silent for longer than consumer.instance.timeout.ms. */
    private int expireIdle(Instances group) {
        Instant now = clock.instant();
        List<ConsumerInstance> gone;
        synchronized (group) {
            gone = group.byName.values().stream().filter(instance -> idle(instance, now)).toList();
            gone.forEach(instance -> expire(group, instance));
        }
        if (!gone.isEmpty()) {
            wake(group);
        }
        return gone.size();
    }

    private boolean idle(ConsumerInstance instance, Instant now) {
        return Duration.between(instance.lastHeard, now).compareTo(instanceTimeout) > 0;
    }

    /**
     * One group as an admin sees it: members by instance name (a Kafka consumer by its member id). A group
     * nobody has used is empty, in generation 0; nothing is created by looking.
     */
    public GroupInfo describe(String groupId) {
        requireGroupId(groupId);
        Instances idle = groups.get(groupId);
        if (idle != null) {
            expireIdle(idle); // as the clock says now, not as the last scheduled drop left it
        }
        DescribedGroup described = coordinator.describeGroup(groupId);
        Instances group = groups.get(groupId);
        SortedMap<String, List<TopicPartition>> assignment = new TreeMap<>();
        for (DescribedGroup.Member member : described.members()) {
            String name = member.memberId();
            if (group != null) {
                synchronized (group) {
                    name = group.nameOf(member.memberId());
                }
            }
            assignment.put(name, ConsumerProtocol.TYPE.equals(described.protocolType())
                    ? ConsumerProtocol.CODEC.partitions(member.assignment()) : List.of());
        }
        String assignor = described.protocol().isEmpty() ? InstanceMembership.ASSIGNORS.get(0).name() : described.protocol();
        return new GroupInfo(groupId, assignor, described.generation(), assignment, committed(groupId));
    }

    /**
     * The instance a call names, heard from now; one silent for longer than consumer.instance.timeout.ms is
     * gone, whether or not the scheduled drop has come by yet. Under the group's lock.
     */
    ConsumerInstance instance(Instances group, String name) {
        ConsumerInstance instance = group.byName.get(name);
        Instant now = clock.instant();
        if (instance != null && idle(instance, now)) {
            expire(group, instance);
            instance = null;
        }
        if (instance == null) {
            throw UnknownMemberIdException.of(group.groupId, name);
        }
        instance.lastHeard = now;
        return instance;
    }
}

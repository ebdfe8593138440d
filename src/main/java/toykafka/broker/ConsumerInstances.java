package toykafka.broker;

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
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.regex.Pattern;
import toykafka.broker.group.ConsumerProtocol;
import toykafka.broker.group.DescribedGroup;
import toykafka.broker.group.GroupCoordinator;
import toykafka.broker.group.HeartbeatRequest;
import toykafka.broker.group.JoinGroupRequest;
import toykafka.broker.group.JoinGroupResponse;
import toykafka.broker.group.SyncGroupRequest;
import toykafka.broker.group.SyncGroupResponse;
import toykafka.common.CommitFailedException;
import toykafka.common.Errors;
import toykafka.common.InconsistentGroupProtocolException;
import toykafka.common.InvalidRequestException;
import toykafka.common.OffsetReset;
import toykafka.common.RebalanceInProgressException;
import toykafka.common.RecordLog;
import toykafka.common.TopicPartition;
import toykafka.common.UnknownMemberIdException;
import toykafka.common.UnreleasedInstanceIdException;
import toykafka.lesson04.TopicRegistry;
import toykafka.lesson05.ConsumerRecord;
import toykafka.lesson05.PartitionAssignor;
import toykafka.lesson05.RangeAssignor;
import toykafka.lesson05.RoundRobinAssignor;
import toykafka.lesson05.StickyAssignor;

/**
 * Consumer instances as the REST Proxy's v2 API has them: a consumer kept on the broker for a client that
 * speaks HTTP and cannot keep one itself. Each subscribed instance is a member of the broker's
 * {@link GroupCoordinator} like any Kafka consumer: it joins, and when it is the leader it assigns with
 * lesson 5's assignors; when a rebalance starts, every instance joins again at once, so a REST client sees
 * its new assignment on its next call. What a Kafka consumer keeps itself, each {@link ConsumerInstance}
 * keeps here: its position in each partition it owns.
 *
 * <p>An instance lives until a client deletes it or leaves it alone for longer than
 * {@code consumer.instance.timeout.ms} (REST Proxy's setting): every call on it counts as hearing from it,
 * and meanwhile the broker heartbeats its group for it on the group-session schedule (session.timeout.ms),
 * as REST Proxy's consumer does for its own instances. An instance assigned partitions by hand
 * ({@link #assign}) is no member of its group, as with Kafka's {@code assign}.
 *
 * <p>Only {@link #create} makes a group's entry here, and a group's entry goes with its last instance, so a
 * call naming an instance that is not there (404) leaves nothing behind. Names and group ids are at most
 * {@link GroupCoordinator#MAX_NAME_LENGTH} characters, and a group has at most {@code group.max.size}
 * instances, subscribed or not.
 */
public final class ConsumerInstances {

    /** The assignors a leader can run, by the protocol name the group chose; instances offer the first. */
    private static final List<PartitionAssignor> ASSIGNORS = List.of(new RangeAssignor(), new RoundRobinAssignor(),
            new StickyAssignor());

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

    private final TopicRegistry topics;
    private final GroupCoordinator coordinator;
    private final Partitions partitions;
    private final Clock clock;
    private final Duration sessionTimeout;
    private final Duration instanceTimeout;
    private final Map<String, Instances> groups = new ConcurrentSkipListMap<>();
    private final InstanceBudget budget;

    private final InstanceSubscriptions subscriptions;
    private final InstancePolls polls;
    private final InstanceOffsets offsets;
    volatile boolean closed;

    ConsumerInstances(TopicRegistry topics, Partitions partitions, GroupCoordinator coordinator, Clock clock,
                      Duration sessionTimeout, Duration instanceTimeout, int maxInstances) {
        this.topics = topics;
        this.budget = new InstanceBudget(maxInstances);
        this.partitions = partitions;
        this.coordinator = coordinator;
        this.clock = clock;
        this.sessionTimeout = sessionTimeout;
        this.instanceTimeout = instanceTimeout;
        this.subscriptions = new InstanceSubscriptions(this, topics, coordinator);
        this.polls = new InstancePolls(this, partitions);
        this.offsets = new InstanceOffsets(this, topics, coordinator);
        coordinator.onRebalanceStarted(this::rejoin);
    }

    InstanceOffsets offsets() {
        return offsets;
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
        if (groupId == null || groupId.isBlank() || groupId.length() > GroupCoordinator.MAX_NAME_LENGTH) {
            throw new ConsumerInstance.Refused(Errors.INVALID_GROUP_ID, "a group.id is 1 to "
                    + GroupCoordinator.MAX_NAME_LENGTH + " characters, not blank; this one has "
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
     * name is at most {@link GroupCoordinator#MAX_NAME_LENGTH} characters, and a group takes at most
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
        if (name != null && name.length() > GroupCoordinator.MAX_NAME_LENGTH) {
            throw new InvalidRequestException("a consumer instance name is at most " + GroupCoordinator.MAX_NAME_LENGTH
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

    /**
     * Sends the instance's JoinGroup. The answer comes when the join barrier opens: at once when every
     * other member is an instance here (each rejoins as the rebalance starts), later if a Kafka consumer
     * in the group has yet to rejoin.
     */
    CompletableFuture<JoinGroupResponse> join(Instances group, ConsumerInstance instance) {
        int session = (int) Math.min(Integer.MAX_VALUE, sessionTimeout.toMillis());
        JoinGroupRequest request = new JoinGroupRequest(group.groupId, instance.memberId, instance.name, "", session,
                session, ConsumerProtocol.TYPE, List.of(new JoinGroupRequest.Protocol(ASSIGNORS.get(0).name(),
                ConsumerProtocol.CODEC.subscription(instance.topics))), false);
        instance.joining = true;
        return coordinator.joinGroup(request).whenComplete((response, error) -> joined(group, instance, response));
    }

    /** A rebalance started: every subscribed instance of the group that is not already joining joins again. */
    private void rejoin(String groupId) {
        Instances group = groups.get(groupId);
        if (group == null) {
            return;
        }
        synchronized (group) {
            for (ConsumerInstance instance : List.copyOf(group.byName.values())) {
                if (instance.subscribed() && !instance.joining && !instance.memberId.isEmpty()) {
                    join(group, instance);
                }
            }
        }
        wake(group);
    }

    /** The join was answered: the leader assigns, and every member asks for its assignment. */
    private void joined(Instances group, ConsumerInstance instance, JoinGroupResponse response) {
        synchronized (group) {
            instance.joining = false;
            if (!instance.subscribed() || group.byName.get(instance.name) != instance) {
                if (response.error() == Errors.NONE) { // it unsubscribed or went while the join was on the way
                    coordinator.leaveGroup(group.groupId, List.of(response.memberId()));
                }
                return;
            }
            if (response.error() == Errors.UNKNOWN_MEMBER_ID && !instance.memberId.isEmpty()) {
                instance.memberId = ""; // the group dropped it (its session ran out): it joins afresh, as Kafka's does
                join(group, instance);
                return;
            }
            if (response.error() != Errors.NONE) {
                return;
            }
            instance.memberId = response.memberId();
            instance.generation = response.generationId();
            Map<String, byte[]> assignments = response.isLeader() ? assign(group, response) : Map.of();
            int generation = response.generationId();
            coordinator.syncGroup(new SyncGroupRequest(group.groupId, generation, instance.memberId,
                    ConsumerProtocol.TYPE, response.protocolName(), assignments))
                    .thenAccept(synced -> synced(group, instance, generation, synced));
        }
    }

    // tag::assign[]
    /** As the group's leader: every member's partitions, by the assignor the group chose, as assignment bytes. */
    private Map<String, byte[]> assign(Instances group, JoinGroupResponse joined) {
        PartitionAssignor assignor = ASSIGNORS.stream().filter(a -> a.name().equals(joined.protocolName()))
                .findFirst().orElse(ASSIGNORS.get(0));
        Map<String, Set<String>> subscriptions = new TreeMap<>();
        Map<String, Integer> partitionsPerTopic = new TreeMap<>();
        List<String> existing = topics.listTopics();
        for (JoinGroupResponse.Member member : joined.members()) {
            Set<String> wanted = Set.copyOf(ConsumerProtocol.CODEC.topics(member.metadata()));
            subscriptions.put(member.memberId(), wanted);
            wanted.stream().filter(existing::contains)
                    .forEach(topic -> partitionsPerTopic.put(topic, topics.partitionCount(topic)));
        }
        Map<String, List<TopicPartition>> current = new TreeMap<>();
        group.byName.values().forEach(instance -> current.put(instance.memberId, instance.assigned));
        current.keySet().retainAll(subscriptions.keySet());
        Map<String, byte[]> assignments = new TreeMap<>();
        assignor.assign(partitionsPerTopic, subscriptions, current)
                .forEach((member, partitions) -> assignments.put(member, ConsumerProtocol.CODEC.assignment(partitions)));
        return assignments;
    }
    // end::assign[]

    private void synced(Instances group, ConsumerInstance instance, int generation, SyncGroupResponse response) {
        synchronized (group) {
            if (response.error() == Errors.NONE && instance.generation == generation) {
                instance.assigned = ConsumerProtocol.CODEC.partitions(response.assignment());
                instance.assignedInGeneration = generation;
            }
        }
        wake(group);
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

    /** Wakes every waiting poll for good: the broker is stopping, so each answers with what it has. */
    void stopWaiting() {
        closed = true;
        groups.values().forEach(ConsumerInstances::wake);
    }

    /** The instance says it is alive, as every call on it does, and its group hears from it. */
    public void heartbeat(String groupId, String name) {
        Instances group = existing(groupId, name);
        synchronized (group) {
            heard(group, instance(group, name));
        }
    }

    /**
     * A heartbeat to the group for the instance, which joins again if the group is rebalancing or dropped
     * it; a pattern subscription is matched again first. Under the group's lock.
     */
    void heard(Instances group, ConsumerInstance instance) {
        if (!instance.subscribed()) {
            return;
        }
        subscriptions.refreshPattern(group, instance);
        if (instance.memberId.isEmpty() || instance.joining) {
            return;
        }
        Errors answer = coordinator.heartbeat(new HeartbeatRequest(group.groupId, instance.generation, instance.memberId));
        if (answer == Errors.UNKNOWN_MEMBER_ID) {
            instance.memberId = ""; // dropped by the group, not gone: it joins afresh
        }
        if (answer != Errors.NONE) {
            join(group, instance); // a rebalance it missed: join now
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
            heard(group, instance); // a rebalance it missed shows in its next call, as with any call
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
        heard(group, instance);
        syncPositions(group, instance);
        return instance;
    }

    /** Places the instance in the partitions it owns now, each at its position or where it should start. */
    List<TopicPartition> syncPositions(Instances group, ConsumerInstance instance) {
        return instance.syncPositions(topics, group.groupId,
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

    /** The coordinator's refusal as the exception a Java caller (and the HTTP front end) expects. */
    RuntimeException refusal(Instances group, ConsumerInstance instance, Errors error) {
        return switch (error) {
            case UNKNOWN_MEMBER_ID -> {
                instance.memberId = ""; // the group dropped it, but the instance lives: it joins afresh
                join(group, instance);
                yield RebalanceInProgressException.of(group.groupId, instance.name);
            }
            case ILLEGAL_GENERATION -> CommitFailedException.rebalanced(group.groupId, instance.name,
                    instance.generation, coordinator.describeGroup(group.groupId).generation());
            case REBALANCE_IN_PROGRESS -> RebalanceInProgressException.of(group.groupId, instance.name);
            case INCONSISTENT_GROUP_PROTOCOL -> new InconsistentGroupProtocolException("consumer instance '"
                    + instance.name + "' cannot join group '" + group.groupId + "': its members are of protocol type '"
                    + coordinator.describeGroup(group.groupId).protocolType() + "', or none of them runs the "
                    + ASSIGNORS.get(0).name() + " assignor that consumer instances use; choose another group.id");
            case GROUP_MAX_SIZE_REACHED -> new ConsumerInstance.Refused(error, "consumer instance '" + instance.name
                    + "' cannot join group '" + group.groupId + "': it has the most members group.max.size="
                    + coordinator.config().maxSize() + " allows");
            default -> new ConsumerInstance.Refused(error, "group '" + group.groupId + "' refused consumer instance '"
                    + instance.name + "' with " + error);
        };
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
    int dropIdle() {
        int dropped = 0;
        for (Instances group : groups.values()) {
            dropped += expireIdle(group);
            synchronized (group) {
                for (ConsumerInstance instance : List.copyOf(group.byName.values())) {
                    heard(group, instance);
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
        String assignor = described.protocol().isEmpty() ? ASSIGNORS.get(0).name() : described.protocol();
        return new GroupInfo(groupId, assignor, described.generation(), assignment, committed(groupId));
    }

    /**
     * Per group: its members and each committed partition's lag, for the statistics topic. Every group the
     * coordinator has (Kafka consumers' too), and those of instances that have not subscribed yet.
     */
    SortedMap<String, Map<String, Object>> describeAll() {
        SortedMap<String, Map<String, Object>> described = new TreeMap<>();
        Set<String> groupIds = new TreeSet<>(groups.keySet());
        coordinator.listGroups(Set.of()).forEach(listed -> groupIds.add(listed.groupId()));
        List<String> existing = topics.listTopics();
        for (String groupId : groupIds) {
            GroupInfo info = describe(groupId);
            Map<String, Object> about = new LinkedHashMap<>();
            about.put("members", List.copyOf(info.assignment().keySet()));
            about.put("generation", info.generation());
            Map<String, Object> partitions = new TreeMap<>();
            info.committed().forEach((partition, offset) -> {
                if (existing.contains(partition.topic())) {
                    RecordLog log = topics.log(partition.topic(), partition.partition());
                    long lag = log.endOffset() - Math.max(log.earliest(), offset);
                    partitions.put(partition.toString(), new TreeMap<>(Map.of("committed", offset, "lag", lag)));
                }
            });
            about.put("partitions", partitions);
            described.put(groupId, about);
        }
        return described;
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

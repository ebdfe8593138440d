package toykafka.broker.group;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;
import java.util.function.Function;
import toykafka.broker.group.base.CoordinatorMemory;
import toykafka.broker.group.base.DescribedGroup;
import toykafka.broker.group.base.Group;
import toykafka.broker.group.base.GroupConfig;
import toykafka.broker.group.base.GroupOffsets;
import toykafka.broker.group.base.Owners;
import toykafka.broker.group.base.RefusedJoins;
import toykafka.broker.group.base.TopicLookup;
import toykafka.broker.group.classic.ClassicGroup;
import toykafka.broker.group.classic.ClassicGroupSnapshot;
import toykafka.broker.group.classic.KeptClassicGroup;
import toykafka.broker.group.classic.LeavingMember;
import toykafka.broker.group.consumer.ConsumerGroup;
import toykafka.broker.group.consumer.ConsumerGroupMember;
import toykafka.broker.group.consumer.ConsumerGroupRecord;
import toykafka.broker.group.consumer.GroupConversions;
import toykafka.broker.group.consumer.ReplayedConsumerGroup;
import toykafka.broker.group.share.ShareGroup;
import toykafka.broker.group.share.ShareGroupParts;
import toykafka.broker.group.streams.ReplayedStreamsGroup;
import toykafka.broker.group.streams.StreamsGroup;
import toykafka.common.Errors;
import toykafka.common.InvalidRequestException;

/**
 * The coordinator's groups by id, one group to an id, whichever its type (Kafka's {@code GroupMetadataManager} keeps
 * them so): it finds the group a call names, makes one of the type the call needs, and applies the clock to a group
 * before a call looks at it.
 *
 * <p>A group left with no members gives its id, and its committed offsets, to a group of the other type when a
 * member of the other protocol arrives, as Kafka 4.1 converts an empty group. A consumer group with members takes a
 * classic member in ({@link ConsumerGroupClassicMembers}) unless {@code group.consumer.migration.policy} is disabled,
 * as Kafka 4.4 does; a busy group changes type as the policy allows ({@link #upgrade}, {@link #maybeDowngrade}).
 */
final class GroupRegistry {

    private final Clock clock;
    private final GroupConfig config;
    private final CoordinatorMemory memory;
    private final Consumer<String> rebalanceStarted;
    private final Consumer<String> events;
    private final OffsetStore store;
    private final RefusedJoins refusedJoins;
    private final TopicLookup topics;
    private final Map<String, Group> groups = new ConcurrentSkipListMap<>();
    /** {@code group.streams.max.size}: Kafka's default, which sets no limit; the coordinator's memory still does. */
    private static final int STREAMS_MAX_SIZE = Integer.MAX_VALUE;

    /**
     * @param events hears what a group refuses and why, where a group says so
     * @param store  where each classic, consumer, streams and share group writes what it is, so that its members outlive a
     *               restart
     */
    GroupRegistry(Clock clock, GroupConfig config, CoordinatorMemory memory, Consumer<String> rebalanceStarted,
                  Consumer<String> events, OffsetStore store, RefusedJoins refusedJoins, TopicLookup topics) {
        this.clock = clock;
        this.config = config;
        this.memory = memory;
        this.rebalanceStarted = rebalanceStarted;
        this.events = events;
        this.store = store;
        this.refusedJoins = refusedJoins;
        this.topics = topics;
    }

    /** A classic group as the store kept it, members and all, in place of any group of its id: at start. */
    void restore(ClassicGroupSnapshot kept) {
        ClassicGroup group = KeptClassicGroup.restored(kept, config, memory, store,
                () -> rebalanceStarted.accept(kept.groupId()), now(), new GroupOffsets(memory));
        groups.put(kept.groupId(), group);
        group.settleMemory(Owners.NONE); // the store does not say who made it
        keep(group); // a group that lost its in-process members is kept as it is now, at once
        events.accept("loaded classic group " + kept.groupId() + " in generation " + kept.generation() + " with "
                + kept.members().size() + " members"); // Kafka's onLoaded says as much
    }

    /** A consumer group as the store kept it, in place of any group of its id: at start. */
    void restore(ReplayedConsumerGroup kept, TopicLookup topics) {
        ConsumerGroup group = new ConsumerGroup(kept.groupId(), config.consumer(), memory, refusedJoins, null, store);
        group.restore(kept, topics, now());
        groups.put(kept.groupId(), group);
        group.settleMemory(Owners.NONE); // the store does not say who made it
        events.accept("loaded consumer group " + kept.groupId() + " at epoch " + group.groupEpoch() + " with "
                + group.describe().members().size() + " members");
    }

    /** A streams group as the store kept it, in place of any group of its id: at start. */
    void restore(ReplayedStreamsGroup kept, TopicLookup topics) {
        StreamsGroup group = new StreamsGroup(kept.groupId(), memory, null, STREAMS_MAX_SIZE, events, store);
        group.restore(kept, topics, now());
        groups.put(kept.groupId(), group);
        group.settleMemory(Owners.NONE); // the store does not say who made it
        events.accept("loaded streams group " + kept.groupId() + " at epoch " + group.groupEpoch() + " with "
                + group.size() + " members");
    }

    /** A share group as the store kept it, in place of any group of its id: at start. */
    void restore(ShareGroupParts kept) {
        ShareGroup group = new ShareGroup(kept.groupId(), memory, topics, ShareGroup.MAX_SIZE, store);
        group.restore(kept, now());
        Group before = groups.put(kept.groupId(), group);
        if (before != null) {
            before.retire(); // an empty one made for the share state the broker kept
        }
        group.settleMemory(Owners.NONE); // the store does not say who made it
        events.accept("loaded share group " + kept.groupId() + " at epoch " + group.groupEpoch() + " with "
                + group.size() + " members");
    }

    /**
     * Writes what a call changed of a group to the store: a classic group's new generation or its becoming empty, a
     * consumer group's changed parts; under the group's lock, before the answers the change brings are sent. A write
     * that fails is told and tried again at the group's next call.
     */
    void keep(Group group) {
        group.keep(now(), events);
    }

    Instant now() {
        return clock.instant();
    }

    /** The broker's topics, as the groups find them. */
    TopicLookup topics() {
        return topics;
    }

    /** The group with this id, of either type, or null. */
    Group find(String groupId) {
        return groups.get(groupId);
    }

    /** The classic group with this id, or null if there is none or the id is another type's. */
    ClassicGroup classic(String groupId) {
        return as(groups.get(groupId), ClassicGroup.class);
    }

    /** The consumer group with this id, or null if there is none or the id is another type's. */
    ConsumerGroup consumer(String groupId) {
        return as(groups.get(groupId), ConsumerGroup.class);
    }

    /** The streams group with this id, or null if there is none or the id is another type's. */
    StreamsGroup streams(String groupId) {
        return as(groups.get(groupId), StreamsGroup.class);
    }

    /** The share group with this id, or null if there is none or the id is another type's. */
    ShareGroup share(String groupId) {
        return as(groups.get(groupId), ShareGroup.class);
    }

    /**
     * The group as one type, or null if it is another's (or none): the one place the coordinator asks a group's type,
     * so that each protocol's calls reach the groups of that protocol. What a call does differs by type only
     * through {@link Group}'s methods.
     */
    static <T extends Group> T as(Group group, Class<T> type) {
        return type.isInstance(group) ? type.cast(group) : null;
    }

    /**
     * The live group of one type an admin or describe call names, or null with Kafka's reason: no group by that id
     * (or an invalid one), or a group of another type ("Group g is not a share group.").
     */
    <T extends Group> Lookup<T> lookUp(String groupId, Class<T> type, String typeName) {
        Group found = invalidId(groupId) ? null : find(groupId);
        if (found == null || found.dead()) {
            return new Lookup<>(null, "Group " + groupId + " not found.");
        }
        T group = as(found, type);
        return group != null ? new Lookup<>(group, null)
                : new Lookup<>(null, "Group " + groupId + " is not a " + typeName + " group.");
    }

    /** A group looked up as one type: the group, or null and why not. */
    record Lookup<T extends Group>(T group, String missing) {
    }

    /**
     * The share group for a heartbeat's join, made if none; null if a group of another type holds the id, which
     * Kafka gives to no share group, empty or not.
     */
    ShareGroup shareForHeartbeat(String groupId) {
        Group group = groups.computeIfAbsent(groupId, id -> new ShareGroup(id, memory, topics, ShareGroup.MAX_SIZE,
                store));
        return as(group, ShareGroup.class);
    }

    /** Whether the id is held by a group no group of another type takes over: a streams or a share group. */
    static boolean keepsItsId(Group group) {
        return group != null && group.keepsItsId();
    }

    /**
     * The streams group for a heartbeat's join: made if none, or in place of an empty classic group, keeping its
     * offsets, as Kafka converts one; null if a group of another type holds the id.
     */
    StreamsGroup streamsForHeartbeat(String groupId) {
        while (true) {
            Group group = groups.computeIfAbsent(groupId, this::newStreams);
            StreamsGroup streams = as(group, StreamsGroup.class);
            if (streams != null) {
                return streams;
            }
            if (as(group, ClassicGroup.class) == null) {
                return null;
            }
            applyClock(group);
            synchronized (group) {
                if (group.dead()) {
                    continue;
                }
                if (!group.hasNoMembers()) {
                    return null;
                }
                forget(group);
                StreamsGroup replacement = new StreamsGroup(groupId, memory, group.offsets(), STREAMS_MAX_SIZE,
                        events, store);
                group.retire();
                replacement.settleMemory();
                groups.replace(groupId, group, replacement);
                return replacement;
            }
        }
    }

    private StreamsGroup newStreams(String groupId) {
        return new StreamsGroup(groupId, memory, null, STREAMS_MAX_SIZE, events, store);
    }

    /** The group with this id, made classic (an offsets-only group, as Kafka makes for a commit) if there is none. */
    Group findOrMakeClassic(String groupId) {
        return groups.computeIfAbsent(groupId, this::newClassic);
    }

    /**
     * The classic group for a JoinGroup: made if none, or in place of an empty consumer group; null if a busy one
     * holds the id, which takes the member in itself.
     */
    ClassicGroup classicForJoin(String groupId) {
        return takeFor(groupId, ClassicGroup.class, this::newClassic,
                old -> new ClassicGroup(groupId, config, memory, store, () -> rebalanceStarted.accept(groupId), now(),
                        old.offsets()));
    }

    /** The consumer group for a heartbeat: made if none, or in place of an empty classic group; null if a busy one holds the id. */
    ConsumerGroup consumerForHeartbeat(String groupId) {
        return takeFor(groupId, ConsumerGroup.class,
                id -> new ConsumerGroup(id, config.consumer(), memory, refusedJoins, null, store),
                old -> new ConsumerGroup(groupId, config.consumer(), memory, refusedJoins, old.offsets(), store));
    }

    private ClassicGroup newClassic(String groupId) {
        return new ClassicGroup(groupId, config, memory, store, () -> rebalanceStarted.accept(groupId), now());
    }

    private <G extends Group> G takeFor(String groupId, Class<G> type, Function<String, G> make,
                                        Function<Group, G> takeOver) {
        while (true) {
            Group group = groups.computeIfAbsent(groupId, make::apply);
            if (type.isInstance(group)) {
                return type.cast(group);
            }
            if (keepsItsId(group)) {
                return null; // Kafka gives a streams or share group's id to no group of another type
            }
            applyClock(group); // a last member whose session ran out has gone
            synchronized (group) {
                if (group.dead()) {
                    continue; // replaced since it was looked up
                }
                if (!group.hasNoMembers()) {
                    return null;
                }
                forget(group); // as Kafka writes the old group's tombstones when it converts it
                G replacement = takeOver.apply(group);
                group.retire();
                replacement.settleMemory();
                groups.replace(groupId, group, replacement);
                return replacement;
            }
        }
    }

    /** What a busy classic group's upgrade gave: the consumer group it became, or the error and why not. */
    record Upgrade(ConsumerGroup group, Errors error, String message) {
    }

    // tag::upgrade[]
    /**
     * A busy classic group becomes a consumer group for a ConsumerGroupHeartbeat's join, if the migration policy
     * and Kafka's other conditions allow ({@link GroupConversions}): its tombstone and the consumer group's records
     * are written, and the consumer group takes its place, its members and offsets. A group in the middle of a
     * rebalance is taken as it stands, and the joins and syncs waiting in it are sent to the consumer group, as
     * Kafka's {@code convertToConsumerGroup} does: its members rebalance once, not twice.
     */
    Upgrade upgrade(ClassicGroup classic) {
        applyClock(classic);
        synchronized (classic) {
            String groupId = classic.groupId();
            if (classic.dead() || classic.hasNoMembers()) { // replaced, or emptied, since it was looked up
                ConsumerGroup group = consumerForHeartbeat(groupId);
                return group == null ? new Upgrade(null, Errors.COORDINATOR_NOT_AVAILABLE, "Group " + groupId
                        + " changed while it was being upgraded; try again.") : new Upgrade(group, Errors.NONE, null);
            }
            DescribedGroup described = classic.describe();
            String refused = GroupConversions.upgradeRefusal(groupId, config.consumer().migrationPolicy(),
                    described.protocolType(), described.members().size(), config.consumer().maxSize());
            Optional<ClassicGroupSnapshot> settled = classic.asItStands(now()); // rebalancing or not, as Kafka's
            if (refused == null && settled.isEmpty()) {
                return new Upgrade(null, Errors.COORDINATOR_LOAD_IN_PROGRESS, "Classic group " + groupId + " has"
                        + " no generation yet; it is upgraded once its first rebalance chose its protocol.");
            }
            List<ConsumerGroupRecord> records = List.of();
            try {
                records = refused == null ? GroupConversions.upgraded(settled.get(), topics) : records;
            } catch (InvalidRequestException e) {
                refused = "Cannot upgrade classic group " + groupId + " to consumer group because the embedded"
                        + " consumer protocol is malformed.";
            }
            if (refused != null) {
                refusedJoins.refused(groupId, "", refused, refused);
                return new Upgrade(null, Errors.GROUP_ID_NOT_FOUND, refused);
            }
            ConsumerGroup replacement = new ConsumerGroup(groupId, config.consumer(), memory, refusedJoins,
                    classic.offsets(), store);
            ReplayedConsumerGroup replayed = new ReplayedConsumerGroup(groupId);
            records.forEach(replayed::apply);
            replacement.restore(replayed, topics, now());
            List<Runnable> replies = new ArrayList<>();
            classic.handOver(replies); // joins and syncs waiting on the classic group join the consumer group
            forget(classic); // as Kafka writes the classic group's tombstone, then the consumer group's records
            store.writeConsumerGroup(records);
            classic.retire();
            replacement.settleMemory();
            groups.replace(groupId, classic, replacement);
            send(replies);
            events.accept("classic group " + groupId + " at generation " + settled.get().generation() + " with "
                    + settled.get().members().size() + " members is upgraded to a consumer group");
            return new Upgrade(replacement, Errors.NONE, null);
        }
    }
    // end::upgrade[]

    // tag::downgrade[]
    /**
     * A consumer group left with classic members only becomes a classic group again, if the migration policy allows
     * ({@link GroupConversions}), and rebalances at once; under the group's lock, after a call that removed members
     * (a leave, a fencing), as Kafka checks then. A call still holding the consumer group finds it dead.
     */
    void maybeDowngrade(ConsumerGroup group) {
        List<ConsumerGroupMember> members = group.members();
        if (group.dead() || !GroupConversions.downgrades(members, config.consumer().migrationPolicy(),
                config.maxSize())) {
            return;
        }
        String groupId = group.groupId();
        String leaver = GroupConversions.leaverId();
        ClassicGroupSnapshot snapshot = GroupConversions.downgraded(groupId, group.groupEpoch(), members, topics,
                leaver, now());
        forget(group); // the consumer group's tombstones
        ClassicGroup classic = KeptClassicGroup.restored(snapshot, config, memory, store,
                () -> rebalanceStarted.accept(groupId), now(), group.offsets());
        List<Runnable> replies = new ArrayList<>();
        classic.leave(List.of(LeavingMember.dynamic(leaver)), now(), replies); // the rebalance Kafka starts
        group.retire();
        classic.settleMemory();
        groups.replace(groupId, group, classic);
        keep(classic);
        send(replies);
        events.accept("consumer group " + groupId + " at epoch " + snapshot.generation() + " with " + members.size()
                + " classic members is downgraded to a classic group, which rebalances");
    }
    // end::downgrade[]

    /** Every group, in id order. */
    Collection<Group> all() {
        return groups.values();
    }

    int size() {
        return groups.size();
    }

    /**
     * Drops a group a refused call made and left with nothing, so that the call leaves nothing behind; a call still
     * holding it finds it dead and looks it up again. A group that ever held a member or an offset waits for the
     * cleanup.
     */
    void dropIfNeverUsed(Group group) {
        if (group.unused() && !group.everUsed()) {
            drop(group);
        }
    }

    /** Removes a group deleted or left with nothing, and any state the store kept of it; under its lock. */
    void drop(Group group) {
        forget(group); // durable first, as its offsets' deletion is
        group.markDead();
        groups.remove(group.groupId(), group);
    }

    /** Writes the tombstones of all the store kept of a group's membership. */
    private void forget(Group group) {
        group.forget();
    }

    /** Applies the clock to one group, then sends what that changed, before a call looks at the group. */
    void applyClock(Group group) {
        List<Runnable> replies = new ArrayList<>();
        synchronized (group) {
            ConsumerGroup consumer = as(group, ConsumerGroup.class);
            int before = consumer == null ? 0 : consumer.size();
            group.tick(now(), replies);
            group.settleMemory();
            keep(group);
            if (consumer != null && consumer.size() < before) {
                maybeDowngrade(consumer); // members were fenced: the last of the consumer protocol among them?
            }
        }
        send(replies);
    }

    /** Runs what a group queued under its lock: answers to members, rebalance announcements. */
    static void send(List<Runnable> replies) {
        replies.forEach(Runnable::run);
    }

    /** A group id no group may have: blank, or longer than {@link Group#MAX_NAME_LENGTH}. */
    static boolean invalidId(String groupId) {
        return groupId == null || groupId.isBlank() || groupId.length() > Group.MAX_NAME_LENGTH;
    }

    @Override
    public String toString() {
        return groups.keySet().toString();
    }
}

package toykafka.broker.group;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.Consumer;
import toykafka.broker.group.base.Committer;
import toykafka.broker.group.base.CoordinatorMemory;
import toykafka.broker.group.base.Group;
import toykafka.broker.group.base.OffsetCommitRequest;
import toykafka.broker.group.base.OffsetDeleteResponse;
import toykafka.broker.group.base.OffsetFetchResponse;
import toykafka.broker.group.base.Owner;
import toykafka.broker.group.base.Owners;
import toykafka.broker.group.base.PendingTransactionalOffsets;
import toykafka.broker.group.base.TopicLookup;
import toykafka.broker.group.base.TransactionalCommit;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.OffsetAndMetadata;
import toykafka.common.RecordTooLargeException;
import toykafka.common.TopicPartition;

/**
 * The groups' committed offsets, whichever type of group commits them (Kafka's {@code OffsetMetadataManager}):
 * OffsetCommit fenced by the group, TxnOffsetCommit held until its transaction ends, OffsetFetch, OffsetDelete, the
 * offsets of a deleted topic, and the retention that the cleanup applies. Every change is in the {@link OffsetStore}
 * before it is in force in the group, so one the store refuses leaves nothing behind.
 */
final class OffsetManager {

    private final GroupRegistry groups;
    private final OffsetStore store;
    private final CoordinatorMemory memory;
    private final Consumer<String> events;
    /** Offsets committed inside transactions not yet ended, by producer id: in force if they commit. */
    private final PendingTransactionalOffsets pending;

    OffsetManager(GroupRegistry groups, OffsetStore store, CoordinatorMemory memory,
                  PendingTransactionalOffsets pending, Consumer<String> events) {
        this.groups = groups;
        this.store = store;
        this.memory = memory;
        this.pending = pending;
        this.events = events;
    }

    /**
     * Loads every group's committed offsets from the store, as Kafka's coordinator does when it takes a group. Each
     * offset is charged to the client that committed it, where the store says, so an owner at its share before a
     * restart is at its share after it, and nobody else is.
     */
    int replay(TopicLookup topics) {
        int partitions = 0;
        OffsetStore.Replayed replayed = store.replayAll();
        replayed.groups().values().forEach(groups::restore); // members first, then their offsets
        replayed.consumerGroups().values().forEach(group -> groups.restore(group, topics));
        replayed.streamsGroups().values().forEach(group -> groups.restore(group, topics));
        replayed.shareGroups().values().forEach(groups::restore);
        // open transactions end soon after a start: what they hold is charged to no owner, only to the total
        replayed.pending().forEach((producerId, commits) -> commits.forEach(commit ->
                pending.add(producerId, commit, pending.growth(producerId, commit), Owners.NONE)));
        for (Map.Entry<String, SortedMap<TopicPartition, OffsetAndMetadata>> entry : replayed.offsets().entrySet()) {
            String groupId = entry.getKey();
            Map<TopicPartition, Committer> committers = replayed.committers().getOrDefault(groupId, Map.of());
            Map<Owners, Map<TopicPartition, OffsetAndMetadata>> byOwners = new LinkedHashMap<>();
            entry.getValue().forEach((partition, value) -> {
                Committer by = committers.get(partition); // none for a record written before records named one
                byOwners.computeIfAbsent(by == null ? Owners.NONE : by.owners(groupId), owners -> new LinkedHashMap<>())
                        .put(partition, value);
            });
            Group group = groups.findOrMakeClassic(groupId);
            synchronized (group) {
                // the store keeps no times: retention runs from now
                byOwners.forEach((owners, committed) -> group.offsets().committed(committed, groups.now(), owners));
                group.settleMemory(byOwners.keySet().stream().findFirst().orElse(Owners.NONE));
            }
            partitions += entry.getValue().size();
        }
        return partitions;
    }

    // tag::commit[]
    /**
     * OffsetCommit, fenced by the group ({@link Group#admitCommit}): in a classic group only a member of the current
     * generation may commit, and not while the group waits for the leader's assignment (the partitions are changing
     * hands); in a consumer group a member at its current epoch, or at an older one for partitions it has held since
     * ({@link MemberEpochFence}). A commit from outside any generation
     * (generation -1, whatever member id it names: a consumer that only assigns itself partitions sends its own) is
     * taken only while the group has no members, and makes the group if there is none. The commit is in the store
     * before it is in force, so one the store refuses leaves nothing behind. One that does not fit in the
     * coordinator's memory is refused: no other group's offsets are ever deleted to make room for it.
     */
    Errors commitOffsets(OffsetCommitRequest request) {
        if (GroupRegistry.invalidId(request.groupId())) {
            return Errors.INVALID_GROUP_ID;
        }
        if (request.generationId() >= 0 && groups.find(request.groupId()) == null) {
            // Kafka's answers: from v9, which knows member epochs, the group is named missing
            return request.knowsMemberEpochs() ? Errors.GROUP_ID_NOT_FOUND : Errors.ILLEGAL_GENERATION;
        }
        Group group = groups.findOrMakeClassic(request.groupId());
        groups.applyClock(group);
        synchronized (group) {
            if (group.dead()) {
                // dropped since it was looked up: a standalone commit makes it again
                return commitOffsets(request);
            }
            try {
                return commitTo(group, request);
            } finally {
                group.settleMemory(request.owners());
                groups.dropIfNeverUsed(group); // a refused (or empty) commit to a group made for it leaves none
            }
        }
    }

    /** The group's fences, then the store, then the group: under the group's lock. */
    private Errors commitTo(Group group, OffsetCommitRequest request) {
        Errors fenced = group.admitCommit(request, groups.now(), groups.topics());
        if (fenced != Errors.NONE) {
            return fenced;
        }
        long growth = group.offsets().growth(request.committed()) + group.bytesIfMade();
        String refused = memory.refusal(growth, request.owners());
        if (refused != null) {
            events.accept("a commit of group " + request.groupId() + " adding " + growth + " bytes of offsets and"
                    + " metadata is refused with INVALID_COMMIT_OFFSET_SIZE: " + refused);
            return Errors.INVALID_COMMIT_OFFSET_SIZE;
        }
        try {
            store.write(request.groupId(), request.memberId(), request.generationId(), request.committed(),
                    request.committer());
        } catch (RecordTooLargeException e) { // a partition's record alone passes the offsets topic's limit
            return Errors.INVALID_COMMIT_OFFSET_SIZE;
        }
        group.offsets().committed(request.committed(), groups.now(), request.owners());
        return Errors.NONE;
    }
    // end::commit[]

    // tag::txn-commit[]
    /**
     * TxnOffsetCommit: offsets the producer commits inside its transaction, for a consumer group it reads for
     * (a consume-transform-produce loop). A member of the group's current generation is fenced as a commit is
     * (KIP-447: a consumer that lost its partitions cannot commit through its producer); a commit from outside
     * any generation is taken. A request that {@link OffsetCommitRequest#knowsMemberEpochs} (TxnOffsetCommit v6 on)
     * is answered STALE_MEMBER_EPOCH and GROUP_ID_NOT_FOUND; an older one ILLEGAL_GENERATION for both. The offsets are written at once and come into force when the transaction commits
     * ({@link #completeTransaction}); until then they are charged to the transactional id too.
     */
    Errors commitTransactionalOffsets(String transactionalId, long producerId, short epoch,
                                      OffsetCommitRequest request) {
        Owners owners = request.owners().with(new Owner(Owner.Kind.TRANSACTIONAL_ID,
                transactionalId == null ? "of producer " + producerId : transactionalId));
        if (GroupRegistry.invalidId(request.groupId())) {
            return Errors.INVALID_GROUP_ID;
        }
        boolean knowsNewErrors = request.knowsMemberEpochs(); // TxnOffsetCommit v6 on, as Kafka 4.4 answers it
        if (request.generationId() >= 0 && groups.find(request.groupId()) == null) {
            return knowsNewErrors ? Errors.GROUP_ID_NOT_FOUND : Errors.ILLEGAL_GENERATION;
        }
        Group group = groups.findOrMakeClassic(request.groupId());
        groups.applyClock(group);
        synchronized (group) {
            try {
                if (!request.outsideAnyGeneration()) {
                    // fenced by member epoch whatever the version; only the answer depends on it
                    Errors fenced = group.admitCommit(request.knowingMemberEpochs(), groups.now(), groups.topics());
                    if (fenced == Errors.STALE_MEMBER_EPOCH && !knowsNewErrors) {
                        // a producer before TxnOffsetCommit v6 knows no STALE_MEMBER_EPOCH here and would fail for
                        // good; Kafka answers what a classic group would, and the application's abort then works
                        return Errors.ILLEGAL_GENERATION;
                    }
                    if (fenced != Errors.NONE) {
                        return fenced;
                    }
                }
                TransactionalCommit commit = new TransactionalCommit(request.groupId(), request.committed());
                long growth = pending.growth(producerId, commit);
                String refused = memory.refusal(growth, owners);
                if (refused != null) {
                    events.accept("a transactional commit of group " + request.groupId() + " by producer " + producerId
                            + " adding " + growth + " bytes of offsets is refused with INVALID_COMMIT_OFFSET_SIZE: "
                            + refused);
                    return Errors.INVALID_COMMIT_OFFSET_SIZE;
                }
                store.writeTransactional(producerId, epoch, commit, request.committer());
                pending.add(producerId, commit, growth, owners);
                return Errors.NONE;
            } catch (RecordTooLargeException e) {
                return Errors.INVALID_COMMIT_OFFSET_SIZE;
            } catch (ApiException e) {
                events.accept("a transactional commit of group " + request.groupId() + " by producer " + producerId
                        + " is refused: " + e.getMessage());
                return e.error();
            } finally {
                groups.dropIfNeverUsed(group);
            }
        }
    }

    /**
     * The producer's transaction ended, its marker written to the offsets topic: its offsets come into force if
     * it committed, charged to whoever committed them, and are forgotten if it aborted.
     */
    void completeTransaction(long producerId, boolean commit) {
        if (commit) {
            for (PendingTransactionalOffsets.Kept done : pending.keptBy(producerId)) {
                Group group = groups.findOrMakeClassic(done.commit().groupId());
                synchronized (group) {
                    group.offsets().committed(done.commit().committed(), groups.now(), done.owners());
                    group.settleMemory(done.owners());
                }
            }
        }
        // Only now: an OffsetFetch that finds nothing pending must find the committed offsets in force.
        pending.remove(producerId);
    }
    // end::txn-commit[]

    /**
     * The group's partitions with offsets committed inside a transaction that has not ended: what OffsetFetch
     * with {@code require_stable} answers UNSTABLE_OFFSET_COMMIT for, so that a consumer taking over from a
     * transactional producer does not start from an offset about to change.
     */
    Set<TopicPartition> unstableOffsets(String groupId) {
        return pending.partitionsOf(groupId);
    }

    /**
     * OffsetFetch: the group's committed offsets for these partitions, or for every one with null. A member of a
     * consumer group says who it is ({@code memberId}, {@code memberEpoch}) and must be one, at its epoch; anyone else
     * sends null and -1. A group the coordinator does not know has no offsets.
     */
    OffsetFetchResponse fetchOffsets(String groupId, String memberId, int memberEpoch,
                                     Collection<TopicPartition> partitions) {
        if (GroupRegistry.invalidId(groupId)) {
            return OffsetFetchResponse.none(Errors.INVALID_GROUP_ID);
        }
        Group group = groups.find(groupId);
        if (group == null) {
            return OffsetFetchResponse.none(Errors.NONE);
        }
        synchronized (group) {
            Errors refused = group.admitFetch(memberId, memberEpoch);
            return refused != Errors.NONE ? OffsetFetchResponse.none(refused)
                    : group.offsets().fetch(partitions);
        }
    }

    /**
     * OffsetDelete ({@code kafka-consumer-groups --delete-offsets}): removes the group's committed offsets for these
     * partitions, as Kafka's {@code GroupCoordinator.handleDeleteOffsets} does. A group the coordinator does not
     * know is GROUP_ID_NOT_FOUND; a partition of a topic the group's members subscribe to is
     * GROUP_SUBSCRIBED_TO_TOPIC and keeps its offset, since a member reads from it; any other is deleted, whether
     * or not it had an offset.
     */
    OffsetDeleteResponse deleteOffsets(String groupId, Collection<TopicPartition> partitions) {
        if (GroupRegistry.invalidId(groupId)) {
            return new OffsetDeleteResponse(Errors.INVALID_GROUP_ID, Map.of());
        }
        Group group = groups.find(groupId);
        if (group == null) {
            return new OffsetDeleteResponse(Errors.GROUP_ID_NOT_FOUND, Map.of());
        }
        groups.applyClock(group);
        synchronized (group) {
            if (group.dead()) {
                return new OffsetDeleteResponse(Errors.GROUP_ID_NOT_FOUND, Map.of());
            }
            Set<String> subscribed = group.subscribedTopics();
            Map<TopicPartition, Errors> results = new LinkedHashMap<>();
            List<TopicPartition> deleted = new ArrayList<>();
            for (TopicPartition partition : partitions) {
                boolean inUse = subscribed.contains(partition.topic());
                results.put(partition, inUse ? Errors.GROUP_SUBSCRIBED_TO_TOPIC : Errors.NONE);
                if (!inUse && group.offsets().has(partition)) {
                    deleted.add(partition);
                }
            }
            if (!deleted.isEmpty()) {
                store.delete(groupId, deleted); // durable first, as an expiry is
                group.offsets().forget(deleted);
            }
            return new OffsetDeleteResponse(Errors.NONE, results);
        }
    }

    /** The group is being deleted: every offset it has goes from the store; under the group's lock. */
    void deleteAll(Group group) {
        store.delete(group.groupId(), group.offsets().partitions());
    }

    /** Removes every group's offsets for a topic about to be deleted    /** Removes every group's offsets for a topic about to be deleted, so a new topic of that name starts clean. */
    void forgetTopic(String topic) {
        for (Group group : groups.all()) {
            synchronized (group) {
                List<TopicPartition> gone = group.offsets().ofTopic(topic);
                if (!gone.isEmpty()) {
                    store.delete(group.groupId(), gone);
                    group.offsets().forget(gone);
                }
            }
        }
    }

    // tag::cleanup[]
    /** Kafka's cleanup of one group: its expired offsets go, durably first, and then the group, if nothing is left. */
    void cleanUp(Group group, Duration retention) {
        synchronized (group) {
            List<TopicPartition> expired = group.expiredOffsets(groups.now(), retention);
            if (!expired.isEmpty()) {
                store.delete(group.groupId(), expired); // durable first, as a deletion by hand is
                group.offsets().forget(expired);
            }
            if (group.unused() && group.expires()) {
                groups.drop(group);
            }
        }
    }
    // end::cleanup[]
}

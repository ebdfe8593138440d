package toykafka.broker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import toykafka.common.InvalidRequestException;
import toykafka.common.NoOffsetForPartitionException;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.OffsetRecord;
import toykafka.common.OffsetReset;
import toykafka.common.Record;
import toykafka.common.RecordLog;
import toykafka.common.TopicPartition;
import toykafka.common.UnknownMemberIdException;
import toykafka.lesson04.TopicRegistry;
import toykafka.lesson05.ConsumerRecord;
import toykafka.lesson05.GroupCoordinator;
import toykafka.lesson05.GroupSettings;
import toykafka.lesson05.PartitionAssignor;
import toykafka.lesson05.RangeAssignor;

/**
 * Consumer groups served by the broker: lesson 5's coordinator for who owns what, plus what a client
 * that speaks HTTP cannot keep itself (as in the REST Proxy's consumer instances): each member's position
 * in each partition it owns. Commits are written to {@link CommittedOffsets} before they are acknowledged.
 */
final class Groups {

    /** A member as the broker keeps it: where it reads, and how it starts a partition with no commit. */
    private static final class Member {
        final String id;
        final OffsetReset reset;
        final Map<TopicPartition, Long> positions = new HashMap<>();
        int generationSeen = -1;
        int firstPartition; // turns with each poll, so a small max_records starves no partition
        Instant lastHeard;
        boolean subscribed;

        Member(String id, OffsetReset reset, Instant now) {
            this.id = id;
            this.reset = reset;
            this.lastHeard = now;
        }
    }

    private static final class Group {
        final GroupCoordinator coordinator;
        final Map<String, Member> members = new LinkedHashMap<>();

        Group(GroupCoordinator coordinator) {
            this.coordinator = coordinator;
        }
    }

    /** How every group shares out its partitions (Kafka lets the members choose; here the broker does). */
    private static final PartitionAssignor ASSIGNOR = new RangeAssignor();

    private final TopicRegistry topics;
    private final CommittedOffsets offsets;
    private final Arrivals arrivals;
    private final BrokerStats stats;
    private final Clock clock;
    private final Duration sessionTimeout;
    private final Map<String, Group> groups = new ConcurrentSkipListMap<>();

    Groups(TopicRegistry topics, CommittedOffsets offsets, Arrivals arrivals, BrokerStats stats, Clock clock,
           Duration sessionTimeout) {
        this.topics = topics;
        this.offsets = offsets;
        this.arrivals = arrivals;
        this.stats = stats;
        this.clock = clock;
        this.sessionTimeout = sessionTimeout;
    }

    // tag::replay[]
    /** Loads every committed offset from the offsets topic, as a coordinator does when it takes a group. */
    int replay() {
        List<Commit> commits = offsets.replay();
        OffsetsTable table = new SortedOffsetsTable();
        table.replay(commits);
        for (String groupId : table.groups()) {
            GroupCoordinator coordinator = group(groupId).coordinator;
            table.offsets(groupId).forEach(coordinator::restoreCommitted);
        }
        return commits.size();
    }
    // end::replay[]

    /** Removes every group's offsets for a topic about to be deleted, so a new topic of that name starts clean. */
    void forgetTopic(String topic, int partitions) {
        for (Map.Entry<String, Group> entry : groups.entrySet()) {
            Group group = entry.getValue();
            synchronized (group) {
                List<TopicPartition> committed = new ArrayList<>();
                for (int p = 0; p < partitions; p++) {
                    TopicPartition partition = new TopicPartition(topic, p);
                    if (group.coordinator.committed(partition).isPresent()) {
                        committed.add(partition);
                    }
                }
                offsets.delete(entry.getKey(), committed, clock.instant());
                committed.forEach(group.coordinator::forgetCommitted);
            }
        }
    }

    private Group group(String groupId) {
        if (groupId == null || groupId.isBlank()) {
            throw new InvalidRequestException("a group needs a group.id that is not blank");
        }
        return groups.computeIfAbsent(groupId, id -> new Group(new GroupCoordinator(id, topics, ASSIGNOR,
                new GroupSettings(sessionTimeout, OffsetReset.LATEST), clock)));
    }

    /** Adds a member that has not yet subscribed; returns its id (a fresh one if none is asked for). */
    String create(String groupId, String name, OffsetReset reset) {
        Group group = group(groupId);
        synchronized (group) {
            String id = name == null || name.isBlank() ? "member-" + UUID.randomUUID() : name;
            if (group.members.containsKey(id)) {
                throw new IllegalStateException("group '" + groupId + "' already has a member '" + id
                        + "': delete it first, or choose another name");
            }
            group.members.put(id, new Member(id, reset, clock.instant()));
            return id;
        }
    }

    /** Joins the member to the group for these topics: the group rebalances. */
    void subscribe(String groupId, String memberId, Set<String> wanted) {
        Group group = group(groupId);
        synchronized (group) {
            Member member = member(group, groupId, memberId);
            if (member.subscribed) {
                group.coordinator.leave(memberId);
                member.subscribed = false;
            }
            group.coordinator.join(memberId, wanted);
            member.subscribed = true;
            member.lastHeard = clock.instant();
        }
        arrivals.signal(); // other members' long polls wake to see the new assignment
    }

    void heartbeat(String groupId, String memberId) {
        Group group = group(groupId);
        synchronized (group) {
            Member member = member(group, groupId, memberId);
            member.lastHeard = clock.instant();
            if (member.subscribed) {
                group.coordinator.heartbeat(memberId);
            }
        }
    }

    /** The partitions the member owns now. */
    List<TopicPartition> assignment(String groupId, String memberId) {
        Group group = group(groupId);
        synchronized (group) {
            Member member = member(group, groupId, memberId);
            return member.subscribed ? group.coordinator.assignment(memberId) : List.of();
        }
    }

    /**
     * Up to {@code maxRecords} records from the partitions the member owns, waiting up to {@code wait} for
     * some to arrive. The positions move past what is returned; a partition the member newly owns starts at
     * the group's committed offset, or where the member's auto.offset.reset says.
     */
    List<ConsumerRecord> poll(String groupId, String memberId, int maxRecords, Duration wait) {
        Group group = group(groupId);
        List<ConsumerRecord> records = take(group, groupId, memberId, maxRecords);
        if (records.isEmpty() && !wait.isZero()) {
            arrivals.await(() -> hasNews(group, memberId), wait);
            records = take(group, groupId, memberId, maxRecords);
        }
        return records;
    }

    private List<ConsumerRecord> take(Group group, String groupId, String memberId, int maxRecords) {
        synchronized (group) {
            Member member = member(group, groupId, memberId);
            member.lastHeard = clock.instant();
            if (!member.subscribed) {
                throw new IllegalStateException("member '" + memberId + "' of group '" + groupId
                        + "' has not subscribed to any topic yet: subscribe first");
            }
            group.coordinator.heartbeat(memberId);
            List<TopicPartition> owned = syncPositions(group, member);
            List<ConsumerRecord> records = new ArrayList<>();
            int first = owned.isEmpty() ? 0 : Math.floorMod(member.firstPartition++, owned.size());
            for (int i = 0; i < owned.size(); i++) {
                TopicPartition partition = owned.get((first + i) % owned.size());
                if (records.size() >= maxRecords) {
                    break;
                }
                RecordLog log = topics.log(partition.topic(), partition.partition());
                long position = member.positions.get(partition);
                if (position < log.earliest()) {
                    position = log.earliest(); // retention went past it while nobody read: start at what is left
                }
                long offset = position;
                long bytes = 0;
                List<OffsetRecord> read = log.readBatchWithOffsets(position, maxRecords - records.size());
                for (OffsetRecord record : read) {
                    records.add(new ConsumerRecord(partition, record.offset(), record.record()));
                    bytes += record.record().sizeInBytes();
                    offset = record.offset() + 1; // past any gap before it
                }
                member.positions.put(partition, offset);
                stats.consumed(partition.topic(), read.size(), bytes);
            }
            return records;
        }
    }

    private boolean hasNews(Group group, String memberId) {
        synchronized (group) {
            Member member = group.members.get(memberId);
            if (member == null || !member.subscribed || member.generationSeen != group.coordinator.generation()) {
                return true; // gone or rebalanced: the next take says which
            }
            for (Map.Entry<TopicPartition, Long> position : member.positions.entrySet()) {
                TopicPartition partition = position.getKey();
                if (topics.log(partition.topic(), partition.partition()).endOffset() > position.getValue()) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * After a rebalance, forgets partitions the member lost and places it in those it gained. A member that
     * did not call while the group rebalanced twice or more may have lost a partition and got it back, and
     * another member may have read further and committed meanwhile: none of its positions can be trusted
     * then, and each partition starts again at the group's committed offset.
     */
    private List<TopicPartition> syncPositions(Group group, Member member) {
        int generation = group.coordinator.generation();
        if (generation - member.generationSeen > 1) {
            member.positions.clear();
        }
        List<TopicPartition> owned = group.coordinator.assignment(member.id);
        member.positions.keySet().retainAll(owned);
        for (TopicPartition partition : owned) {
            if (!member.positions.containsKey(partition)) {
                member.positions.put(partition, startingOffset(group, member, partition));
            }
        }
        member.generationSeen = generation;
        return owned;
    }

    private long startingOffset(Group group, Member member, TopicPartition partition) {
        RecordLog log = topics.log(partition.topic(), partition.partition());
        OptionalLong committed = group.coordinator.committed(partition);
        if (committed.isPresent() && committed.getAsLong() >= log.earliest() && committed.getAsLong() <= log.endOffset()) {
            return committed.getAsLong();
        }
        return switch (member.reset) {
            case EARLIEST -> log.earliest();
            case LATEST -> log.endOffset();
            case NONE -> throw NoOffsetForPartitionException.of(group.coordinator.groupId(), partition);
        };
    }

    /** Moves the member's position in a partition it owns. */
    void seek(String groupId, String memberId, TopicPartition partition, long offset) {
        Group group = group(groupId);
        synchronized (group) {
            Member member = member(group, groupId, memberId);
            List<TopicPartition> owned = member.subscribed ? syncPositions(group, member) : List.of();
            if (!owned.contains(partition)) {
                throw new IllegalStateException("member '" + memberId + "' cannot seek in " + partition
                        + ": it owns " + owned);
            }
            RecordLog log = topics.log(partition.topic(), partition.partition());
            if (offset < log.earliest() || offset > log.endOffset()) {
                throw new OffsetOutOfRangeException("cannot seek to offset " + offset + " in " + partition
                        + ": a position runs from the log start offset " + log.earliest() + " to the end offset "
                        + log.endOffset(), offset, log.earliest(), log.endOffset());
            }
            member.positions.put(partition, offset);
        }
    }

    /**
     * Commits offsets for partitions the member owns; with none given, its positions in every partition it
     * owns. The commit is on disk before this returns, and lesson 5's coordinator refuses a member that
     * does not own a partition.
     */
    Map<TopicPartition, Long> commit(String groupId, String memberId, Map<TopicPartition, Long> given) {
        Group group = group(groupId);
        synchronized (group) {
            Member member = member(group, groupId, memberId);
            member.lastHeard = clock.instant();
            Map<TopicPartition, Long> wanted = new TreeMap<>(given);
            if (wanted.isEmpty() && member.subscribed) {
                syncPositions(group, member);
                wanted.putAll(member.positions);
            }
            Map<TopicPartition, OptionalLong> before = new HashMap<>();
            wanted.keySet().forEach(partition -> before.put(partition, group.coordinator.committed(partition)));
            try {
                wanted.forEach((partition, offset) -> group.coordinator.commit(memberId, partition, offset));
                offsets.write(groupId, memberId, group.coordinator.generation(), wanted, clock.instant());
            } catch (RuntimeException e) {
                // nothing of a refused or unwritten commit stays in force
                before.forEach((partition, offset) -> offset.ifPresent(o -> group.coordinator.restoreCommitted(partition, o)));
                throw e;
            }
            return wanted;
        }
    }

    /** The group's committed offsets. */
    SortedMap<TopicPartition, Long> committed(String groupId) {
        Group group = groups.get(groupId);
        SortedMap<TopicPartition, Long> committed = new TreeMap<>();
        if (group != null) {
            synchronized (group) {
                for (String topic : topics.listTopics()) {
                    for (int p = 0; p < topics.partitionsFor(topic); p++) {
                        TopicPartition partition = new TopicPartition(topic, p);
                        group.coordinator.committed(partition).ifPresent(offset -> committed.put(partition, offset));
                    }
                }
            }
        }
        return committed;
    }

    /** Removes the member: the group rebalances without it. */
    void leave(String groupId, String memberId) {
        Group group = group(groupId);
        synchronized (group) {
            Member member = member(group, groupId, memberId);
            group.members.remove(memberId);
            if (member.subscribed) {
                group.coordinator.leave(memberId);
            }
        }
        arrivals.signal();
    }

    /** Drops members silent for longer than session.timeout.ms; returns how many went. */
    int expire() {
        int dropped = 0;
        Instant now = clock.instant();
        for (Group group : groups.values()) {
            synchronized (group) {
                List<String> current = group.coordinator.members(); // the coordinator drops its silent members here
                var it = group.members.values().iterator();
                while (it.hasNext()) {
                    Member member = it.next();
                    boolean silent = Duration.between(member.lastHeard, now).compareTo(sessionTimeout) > 0;
                    if ((member.subscribed && !current.contains(member.id)) || silent) {
                        if (member.subscribed && current.contains(member.id)) {
                            group.coordinator.leave(member.id);
                        }
                        it.remove();
                        dropped++;
                    }
                }
            }
        }
        if (dropped > 0) {
            arrivals.signal();
        }
        return dropped;
    }

    /** One group as it is now, silent members already dropped; a group never used is empty. */
    Broker.GroupInfo describe(String groupId) {
        if (groupId == null || groupId.isBlank()) {
            throw new InvalidRequestException("a group needs a group.id that is not blank");
        }
        Group group = groups.get(groupId); // not group(groupId): looking at a group must not create it
        if (group == null) {
            return new Broker.GroupInfo(groupId, ASSIGNOR.name(), 0, new TreeMap<>(), new TreeMap<>());
        }
        synchronized (group) {
            SortedMap<String, List<TopicPartition>> assignment = group.coordinator.assignment();
            return new Broker.GroupInfo(groupId, ASSIGNOR.name(), group.coordinator.generation(), assignment,
                    committed(groupId));
        }
    }

    /** Per group: its members and each committed partition's lag, for the statistics topic. */
    SortedMap<String, Map<String, Object>> describe() {
        SortedMap<String, Map<String, Object>> described = new TreeMap<>();
        for (Map.Entry<String, Group> entry : groups.entrySet()) {
            Group group = entry.getValue();
            synchronized (group) {
                Map<String, Object> about = new LinkedHashMap<>();
                about.put("members", group.coordinator.members());
                about.put("generation", group.coordinator.generation());
                Map<String, Object> partitions = new TreeMap<>();
                committed(entry.getKey()).forEach((partition, offset) -> partitions.put(partition.toString(),
                        new TreeMap<>(Map.of("committed", offset, "lag", group.coordinator.lag(partition)))));
                about.put("partitions", partitions);
                described.put(entry.getKey(), about);
            }
        }
        return described;
    }

    private static Member member(Group group, String groupId, String memberId) {
        Member member = group.members.get(memberId);
        if (member == null) {
            throw UnknownMemberIdException.of(groupId, memberId);
        }
        return member;
    }
}

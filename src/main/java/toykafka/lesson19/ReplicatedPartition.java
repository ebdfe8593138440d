package toykafka.lesson19;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One partition kept by several replicas, each a list in this JVM. The leader takes every write; a follower
 * copies by fetching; the leader's {@link ReplicaBookkeeping} says who is in sync and how far the high
 * watermark has come. Nothing happens by itself: every fetch, tick, crash and restart is a call with the time
 * it happens at, so a lesson can stop anywhere and look.
 */
public final class ReplicatedPartition {

    /** What a producer asks the leader to wait for: its own write ({@code acks=1}), or every in-sync replica's. */
    public enum Acks { ONE, ALL }

    /** One record in a replica's log: its offset, the leader epoch it was first written in, and its value. */
    public record Entry(long offset, int epoch, String value) {
        @Override
        public String toString() {
            return offset + " " + value + " (epoch " + epoch + ")";
        }
    }

    /** What an election did: the new leader (-1 if none could lead), its epoch, and whether it was unclean. */
    public record Election(int leader, int epoch, boolean unclean) {
    }

    private final List<Integer> replicas;
    private final int minInsyncReplicas;
    private final long lagTimeMaxMs;
    private final boolean uncleanLeaderElection;
    private final ReplicaBookkeeping bookkeeping;
    private final Map<Integer, List<Entry>> logs = new TreeMap<>();
    private final Set<Integer> alive = new TreeSet<>();
    /** When each live follower last reached the leader's log end, as the current leader saw it. */
    private final Map<Integer, Long> lastCaughtUpMs = new TreeMap<>();
    private Set<Integer> inSync;
    private int leader;
    private int leaderEpoch;
    private long highWatermark;

    /**
     * A new, empty partition led by the first replica, every replica in sync.
     *
     * @param replicas          the replicas' broker ids, in the order the assignment lists them
     * @param minInsyncReplicas {@code min.insync.replicas}: how many must be in sync for an {@code acks=all} write
     * @param lagTimeMaxMs      {@code replica.lag.time.max.ms}
     * @param uncleanLeaderElection {@code unclean.leader.election.enable}
     */
    public ReplicatedPartition(List<Integer> replicas, int minInsyncReplicas, long lagTimeMaxMs,
            boolean uncleanLeaderElection, ReplicaBookkeeping bookkeeping) {
        if (replicas.isEmpty() || new TreeSet<>(replicas).size() != replicas.size()) {
            throw new IllegalArgumentException("a partition needs one or more replicas, each a different broker;"
                    + " got " + replicas);
        }
        if (minInsyncReplicas < 1 || minInsyncReplicas > replicas.size()) {
            throw new IllegalArgumentException("min.insync.replicas must be from 1 to the " + replicas.size()
                    + " replicas; it is " + minInsyncReplicas);
        }
        this.replicas = List.copyOf(replicas);
        this.minInsyncReplicas = minInsyncReplicas;
        this.lagTimeMaxMs = lagTimeMaxMs;
        this.uncleanLeaderElection = uncleanLeaderElection;
        this.bookkeeping = bookkeeping;
        for (int replica : replicas) {
            logs.put(replica, new ArrayList<>());
            alive.add(replica);
        }
        this.leader = replicas.get(0);
        this.inSync = new TreeSet<>(replicas);
        replicas.subList(1, replicas.size()).forEach(follower -> lastCaughtUpMs.put(follower, 0L));
    }

    // tag::append[]
    /**
     * Appends to the leader's log and returns the record's offset. Under {@link Acks#ALL} the write is refused
     * up front when too few replicas are in sync; once taken, it is acknowledged when the high watermark passes
     * it ({@link #acknowledged}). Under {@link Acks#ONE} it is acknowledged now, copied or not.
     */
    public long append(String value, Acks acks) {
        if (leader < 0) {
            throw new LeaderNotAvailableException("the partition has no leader: replicas " + replicas + " and only "
                    + alive + " alive, none of them in sync " + inSync);
        }
        if (acks == Acks.ALL && inSync.size() < minInsyncReplicas) {
            throw new NotEnoughReplicasException("acks=all needs " + minInsyncReplicas + " replicas in sync"
                    + " (min.insync.replicas); only " + inSync + " are");
        }
        List<Entry> log = logs.get(leader);
        long offset = log.size();
        log.add(new Entry(offset, leaderEpoch, value));
        advanceHighWatermark();
        return offset;
    }
    // end::append[]

    /** Whether an {@code acks=all} write at this offset has been answered: every in-sync replica holds it. */
    public boolean acknowledged(long offset) {
        return offset < highWatermark;
    }

    // tag::fetch[]
    /**
     * The follower fetches from the end of its log, naming the epoch of its last record (Kafka's
     * {@code LastFetchedEpoch}). If the leader ended that epoch sooner (a write that never reached the others), the
     * follower first cuts its log where the epoch ended on the leader (Kafka's answer carries that end as a
     * {@code DivergingEpoch}, and the follower fetches again); then it copies what it lacks. The leader learns the
     * follower's log end offset from the fetch, and does its bookkeeping.
     */
    public void fetch(int follower, long nowMs) {
        requireFollower(follower);
        List<Entry> log = logs.get(follower);
        if (!log.isEmpty()) {
            long epochEnd = endOffsetOnLeader(log.get(log.size() - 1).epoch());
            while (log.size() > epochEnd) {
                log.remove(log.size() - 1);
            }
        }
        List<Entry> leaderLog = logs.get(leader);
        log.addAll(leaderLog.subList(log.size(), leaderLog.size()));
        if (log.size() == leaderLog.size()) {
            lastCaughtUpMs.put(follower, nowMs);
        }
        tick(nowMs);
    }
    // end::fetch[]

    /** The leader looks at its followers: who fell out of sync, who came back, and where the high watermark is. */
    public void tick(long nowMs) {
        if (leader < 0) {
            return;
        }
        inSync = new TreeSet<>(bookkeeping.inSync(leader, lastCaughtUpMs, nowMs, lagTimeMaxMs));
        advanceHighWatermark();
    }

    /**
     * A broker dies. A follower leaves the ISR at once, as Kafka's controller removes a broker whose session has
     * run out; a leader's partition gets a new leader from the ISR.
     */
    public Election crash(int replica, long nowMs) {
        requireReplica(replica);
        alive.remove(replica);
        lastCaughtUpMs.remove(replica);
        if (replica != leader) {
            inSync.remove(replica);
            advanceHighWatermark();
            return new Election(leader, leaderEpoch, false);
        }
        return elect(nowMs);
    }

    // tag::elect[]
    private Election elect(long nowMs) {
        int clean = replicas.stream().filter(alive::contains).filter(inSync::contains).findFirst().orElse(-1);
        int chosen = clean >= 0 ? clean : uncleanLeaderElection
                ? replicas.stream().filter(alive::contains).findFirst().orElse(-1) : -1;
        if (chosen < 0) {
            leader = -1; // offline: the ISR still names the leader that died, the one replica known to hold everything
            return new Election(-1, leaderEpoch, false);
        }
        boolean unclean = clean < 0;
        leader = chosen;
        leaderEpoch++;
        inSync = new TreeSet<>(unclean ? Set.of(chosen) : intersect(inSync, alive));
        lastCaughtUpMs.clear();
        for (int follower : replicas) {
            if (follower != chosen && alive.contains(follower)) {
                // a follower still in sync keeps its place until it falls behind; others must catch up first
                if (inSync.contains(follower)) {
                    lastCaughtUpMs.put(follower, nowMs);
                }
            }
        }
        if (unclean) {
            highWatermark = Math.min(highWatermark, logEndOffset(chosen)); // what it never had is gone
        }
        return new Election(leader, leaderEpoch, unclean);
    }
    // end::elect[]

    /** A broker comes back with the log it had. It follows, out of sync until it catches up; an offline partition
     *  whose last in-sync replica this was gets it back as leader. */
    public Election restart(int replica, long nowMs) {
        requireReplica(replica);
        if (alive.contains(replica)) {
            throw new IllegalStateException("replica " + replica + " is running; only a crashed one can restart");
        }
        alive.add(replica);
        if (leader < 0 && inSync.contains(replica)) {
            return elect(nowMs);
        }
        return new Election(leader, leaderEpoch, false);
    }

    /** Where the leader's log ends for an epoch: the first offset of a later epoch, or its log end offset. */
    private long endOffsetOnLeader(int epoch) {
        for (Entry entry : logs.get(leader)) {
            if (entry.epoch() > epoch) {
                return entry.offset();
            }
        }
        return logs.get(leader).size();
    }

    private void advanceHighWatermark() {
        if (leader < 0) {
            return;
        }
        Map<Integer, Long> ends = new TreeMap<>();
        inSync.forEach(replica -> ends.put(replica, logEndOffset(replica)));
        highWatermark = Math.max(highWatermark, bookkeeping.highWatermark(ends, inSync));
    }

    private static Set<Integer> intersect(Set<Integer> a, Set<Integer> b) {
        Set<Integer> both = new LinkedHashSet<>(a);
        both.retainAll(b);
        return both;
    }

    private void requireReplica(int replica) {
        if (!logs.containsKey(replica)) {
            throw new IllegalArgumentException("broker " + replica + " holds no replica of this partition; the"
                    + " replicas are " + replicas);
        }
    }

    private void requireFollower(int follower) {
        requireReplica(follower);
        if (!alive.contains(follower)) {
            throw new IllegalStateException("replica " + follower + " has crashed; restart it before it fetches");
        }
        if (leader < 0) {
            throw new LeaderNotAvailableException("the partition has no leader to fetch from");
        }
        if (follower == leader) {
            throw new IllegalArgumentException("replica " + follower + " is the leader; only followers fetch");
        }
    }

    public int leader() {
        return leader;
    }

    public int leaderEpoch() {
        return leaderEpoch;
    }

    public long highWatermark() {
        return highWatermark;
    }

    public SortedSet<Integer> inSyncReplicas() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(inSync));
    }

    public long logEndOffset(int replica) {
        requireReplica(replica);
        return logs.get(replica).size();
    }

    /** A replica's log, as it lies on that broker. */
    public List<Entry> log(int replica) {
        requireReplica(replica);
        return List.copyOf(logs.get(replica));
    }

    /** What a consumer can read: the leader's records below the high watermark. */
    public List<String> readable() {
        if (leader < 0) {
            throw new LeaderNotAvailableException("the partition has no leader to read from");
        }
        return logs.get(leader).subList(0, (int) highWatermark).stream().map(Entry::value).toList();
    }

    /** Every replica's log end offset, the high watermark, the leader, its epoch and the ISR, on one line. */
    @Override
    public String toString() {
        Map<Integer, Long> ends = new TreeMap<>();
        replicas.forEach(replica -> ends.put(replica, logEndOffset(replica)));
        return "leader " + (leader < 0 ? "none" : leader) + " (epoch " + leaderEpoch + "), ISR " + new TreeSet<>(inSync)
                + ", high watermark " + highWatermark + ", log end offsets " + ends;
    }
}

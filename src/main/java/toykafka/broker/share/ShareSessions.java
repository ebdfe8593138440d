package toykafka.broker.share;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import toykafka.broker.share.partition.SharePartitionException;
import toykafka.common.Errors;
import toykafka.common.TopicPartition;

// tag::share-sessions[]
/**
 * The share sessions of share consumers (Kafka's {@code ShareSessionCache}): one per member of a group, holding the
 * partitions it fetches so that each ShareFetch names only what changed. Epoch 0 opens a session (dropping any the
 * member had), with the partitions the request names; each later request carries the epoch it was told to use next,
 * adds partitions and forgets others; -1 closes it. The epoch after 0 is 1, and after the largest int, 1 again.
 *
 * <p>A fetch with the wrong epoch is INVALID_SHARE_SESSION_EPOCH, one with no session SHARE_SESSION_NOT_FOUND, and
 * a new session past {@code group.share.max.share.sessions} SHARE_SESSION_LIMIT_REACHED: each tells the consumer to
 * open a session again. Acknowledgements may not ride on the request that opens one (INVALID_REQUEST), as in Kafka.
 *
 * <p>A session belongs to the connection that opened it, not to the member's place in its group: leaving the group
 * leaves it open, so the acknowledgements a consumer sends as it closes are still taken. It ends at -1, when the
 * member opens another, or when that connection closes, as Kafka's do; no session ends for being idle, in Kafka
 * either. Kafka remembers one session per connection (the last opened), so a connection that opened several leaves
 * the others behind; here every session a connection opened goes with it.
 */
public final class ShareSessions {
    // end::share-sessions[]

    /** The epoch that opens a session. */
    public static final int INITIAL = 0;
    /** The epoch that closes one. */
    public static final int FINAL = -1;

    /** Whose session it is: a member of a group (Kafka's {@code ShareSessionKey}). */
    public record Key(String groupId, String memberId) {
    }

    private static final class Session {
        private int epoch = nextEpoch(INITIAL);
        private final String connectionId;
        private final Set<TopicPartition> partitions = new LinkedHashSet<>();

        private Session(String connectionId) {
            this.connectionId = connectionId;
        }
    }

    private final Map<Key, Session> sessions = new HashMap<>();
    /** The sessions each connection opened, which end when it closes. */
    private final Map<String, Set<Key>> byConnection = new HashMap<>();
    private final int maxSessions;

    public ShareSessions(int maxSessions) {
        if (maxSessions < 1) {
            throw new IllegalArgumentException("group.share.max.share.sessions must be at least 1, got " + maxSessions);
        }
        this.maxSessions = maxSessions;
    }

    /** The epoch a member uses after {@code epoch}. */
    static int nextEpoch(int epoch) {
        return epoch < 0 ? INITIAL : epoch == Integer.MAX_VALUE ? 1 : epoch + 1;
    }

    /**
     * A ShareFetch's step through its member's session.
     *
     * @param connectionId the connection the request came on: a session it opens ends when that connection closes
     * @return the partitions to fetch from, in the order they joined the session; none when it closes
     * @throws SharePartitionException with the error the whole request is answered with
     */
    public synchronized List<TopicPartition> fetch(String groupId, String memberId, int epoch,
                                                   List<TopicPartition> added, List<TopicPartition> forgotten,
                                                   boolean acknowledging, String connectionId) {
        Key key = new Key(groupId, memberId);
        if (epoch == FINAL) {
            requireSession(key);
            return List.of();
        }
        if (epoch == INITIAL) {
            if (acknowledging) {
                throw new SharePartitionException(Errors.INVALID_REQUEST, "Acknowledge data present in the initial"
                        + " ShareFetch of member " + memberId + " of group " + groupId
                        + ": a session must be open before records are acknowledged");
            }
            close(groupId, memberId);
            if (sessions.size() >= maxSessions) {
                throw new SharePartitionException(Errors.SHARE_SESSION_LIMIT_REACHED, "The limit of "
                        + maxSessions + " share sessions (group.share.max.share.sessions) has been reached");
            }
            Session session = new Session(connectionId);
            session.partitions.addAll(added);
            sessions.put(key, session);
            byConnection.computeIfAbsent(connectionId, id -> new LinkedHashSet<>()).add(key);
            return List.copyOf(session.partitions);
        }
        Session session = requireEpoch(key, epoch);
        session.partitions.addAll(added);
        forgotten.forEach(session.partitions::remove);
        session.epoch = nextEpoch(session.epoch);
        return List.copyOf(session.partitions);
    }

    /** A ShareAcknowledge's step: it may not open a session; -1 is checked only for a session to close. */
    public synchronized void acknowledge(String groupId, String memberId, int epoch) {
        Key key = new Key(groupId, memberId);
        if (epoch == INITIAL) {
            throw new SharePartitionException(Errors.INVALID_SHARE_SESSION_EPOCH, "ShareAcknowledge cannot open a"
                    + " share session (epoch 0); member " + memberId + " of group " + groupId + " must fetch first");
        }
        if (epoch == FINAL) {
            requireSession(key);
            return;
        }
        requireEpoch(key, epoch).epoch = nextEpoch(epoch);
    }

    /** Closes the member's session, after a request with epoch -1. */
    public synchronized boolean close(String groupId, String memberId) {
        Key key = new Key(groupId, memberId);
        Session session = sessions.remove(key);
        if (session == null) {
            return false;
        }
        Set<Key> opened = byConnection.get(session.connectionId);
        opened.remove(key);
        if (opened.isEmpty()) {
            byConnection.remove(session.connectionId);
        }
        return true;
    }

    /**
     * Closes every session the connection opened, as it closed: Kafka's {@code ClientConnectionDisconnectListener}.
     *
     * @return whose sessions they were, so that what those members hold can be given back
     */
    public synchronized List<Key> connectionClosed(String connectionId) {
        Set<Key> opened = byConnection.remove(connectionId);
        if (opened == null) {
            return List.of();
        }
        opened.forEach(sessions::remove);
        return List.copyOf(opened);
    }

    /** The members of the group with a session open now. */
    public synchronized List<String> members(String groupId) {
        List<String> members = new ArrayList<>();
        sessions.keySet().stream().filter(key -> key.groupId().equals(groupId)).forEach(key -> members.add(key.memberId()));
        return members;
    }

    private Session requireSession(Key key) {
        Session session = sessions.get(key);
        if (session == null) {
            throw new SharePartitionException(Errors.SHARE_SESSION_NOT_FOUND, "The share session of member "
                    + key.memberId() + " of group " + key.groupId() + " was not found: open one with epoch 0");
        }
        return session;
    }

    private Session requireEpoch(Key key, int epoch) {
        Session session = requireSession(key);
        if (session.epoch != epoch) {
            throw new SharePartitionException(Errors.INVALID_SHARE_SESSION_EPOCH, "The share session of member "
                    + key.memberId() + " of group " + key.groupId() + " expected epoch " + session.epoch + ", got "
                    + epoch);
        }
        return session;
    }
}

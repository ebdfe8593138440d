package toykafka.broker.group.base;

/**
 * The client that committed an offset, as its connection showed it: kept beside the offset in the offsets topic so
 * that a restart charges what it loads to the owners that added it ({@link Owners}), as they were charged before.
 */
public record Committer(String clientId, String clientHost) {

    public Committer {
        clientId = clientId == null ? "" : clientId;
        clientHost = clientHost == null ? "" : clientHost;
    }

    /** Whom this client's commits to the group are charged to. */
    public Owners owners(String groupId) {
        return Owners.of(clientHost, clientId, groupId);
    }
}

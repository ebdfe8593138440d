package toykafka.broker.group.base;

/**
 * One of those the coordinator's memory is charged to: a client address, a client id, a group or a transactional
 * id. No one of them may hold more than its share ({@link OwnerShares}), so one flood cannot fill the memory for
 * the others.
 */
public record Owner(Kind kind, String name) {

    /** The kinds, in the order a refusal names them: the most particular first. */
    public enum Kind {
        CLIENT_ID("client id"),
        TRANSACTIONAL_ID("transactional id"),
        CLIENT_ADDRESS("client address"),
        GROUP("group");

        private final String words;

        Kind(String words) {
            this.words = words;
        }
    }

    public Owner {
        name = name == null ? "" : name;
    }

    @Override
    public String toString() {
        return kind.words + " " + (name.isEmpty() ? "(none given)" : name);
    }
}

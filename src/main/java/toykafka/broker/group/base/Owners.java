package toykafka.broker.group.base;

import java.util.ArrayList;
import java.util.List;

/**
 * Everyone one request's growth is charged to: the connection's address, its client id, the group, and for
 * offsets held in a transaction the transactional id. One instance is shared by every offset a commit wrote.
 */
public record Owners(List<Owner> all) {

    /** Charged to no one, only to the total: what was loaded at start, whose committers the store does not say. */
    public static final Owners NONE = new Owners(List.of());

    public Owners {
        all = List.copyOf(all);
    }

    /** A client's request for a group. */
    public static Owners of(String clientHost, String clientId, String groupId) {
        return new Owners(List.of(new Owner(Owner.Kind.CLIENT_ADDRESS, clientHost),
                new Owner(Owner.Kind.CLIENT_ID, clientId), new Owner(Owner.Kind.GROUP, groupId)));
    }

    /** The group alone: what grows with no client's request behind it (an assignment, a session running out). */
    public static Owners group(String groupId) {
        return new Owners(List.of(new Owner(Owner.Kind.GROUP, groupId)));
    }

    /** These owners and one more. */
    public Owners with(Owner more) {
        List<Owner> owners = new ArrayList<>(all);
        owners.add(more);
        return new Owners(owners);
    }
}

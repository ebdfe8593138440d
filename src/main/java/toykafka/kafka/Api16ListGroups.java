package toykafka.kafka;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import toykafka.broker.Broker;
import toykafka.broker.group.GroupCoordinator;
import toykafka.broker.group.GroupState;
import toykafka.broker.group.ListedGroup;
import toykafka.common.Errors;

/**
 * ListGroups (key 16), versions 0–5: every group this broker coordinates, with its protocol type ("consumer"
 * for consumers; "" for a group that has only committed offsets, never a member), as {@code kafka-consumer-groups
 * --list} shows them. Kafka's {@code KafkaApis.handleListGroupsRequest}, on the one broker there is: a tool asks
 * every broker and merges the answers. Groups that were deleted are not listed. v3 is flexible; v4 answers each
 * group's state and lists only the states asked for ({@code --list --state}); v5 answers each group's type and
 * lists only the types asked for ({@code --list --type}). Every group here is of type "classic": the coordinator
 * serves the classic protocol only, so a filter without "classic" lists none. As in Kafka, filters are compared
 * without regard to case, and a name that is no state or type matches nothing. Ignored: throttling (always 0 ms).
 */
final class Api16ListGroups extends Api {

    /** The one group type this coordinator has, under Kafka's name. */
    static final String CLASSIC = "classic";

    private final GroupCoordinator coordinator;

    Api16ListGroups(Broker broker) {
        super(16, "ListGroups", 0, 5, 3);
        this.coordinator = broker.groupCoordinator();
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        boolean flexible = request.flexible();
        ProtocolReader in = request.body();
        List<String> states = version >= 4 ? in.array("states_filter", flexible, s -> s.string("state", flexible))
                : List.of();
        List<String> types = version >= 5 ? in.array("types_filter", flexible, t -> t.string("type", flexible))
                : List.of();
        in.taggedFields("ListGroupsRequest", flexible);
        request.asked(() -> states.isEmpty() && types.isEmpty() ? "every group"
                : "groups" + (states.isEmpty() ? "" : " in states " + states) + (types.isEmpty() ? "" : " of types " + types));

        Set<GroupState> wanted = statesNamed(states);
        boolean none = !states.isEmpty() && wanted.isEmpty()
                || !types.isEmpty() && types.stream().noneMatch(CLASSIC::equalsIgnoreCase);
        List<ListedGroup> groups = none ? List.of() : coordinator.listGroups(wanted);
        request.answered(() -> Summaries.list(groups.stream().map(g -> g.groupId() + " (" + g.state() + ")").toList()));
        ProtocolWriter out = new ProtocolWriter();
        if (version >= 1) {
            out.int32(0); // throttle time
        }
        out.int16(Errors.NONE.code());
        out.array(groups, flexible, (w, group) -> {
            w.string(group.groupId(), flexible).string(group.protocolType(), flexible);
            if (version >= 4) {
                w.string(group.state().kafkaName(), flexible);
            }
            if (version >= 5) {
                w.string(CLASSIC, flexible);
            }
            w.taggedFields(flexible);
        });
        return CompletableFuture.completedFuture(out.taggedFields(flexible));
    }

    /** The states named, whatever their case; a name that is no state's is left out. */
    private static Set<GroupState> statesNamed(List<String> names) {
        Set<String> lower = names.stream().map(name -> name.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        return EnumSet.allOf(GroupState.class).stream()
                .filter(state -> lower.contains(state.kafkaName().toLowerCase(Locale.ROOT)))
                .collect(Collectors.toSet());
    }
}

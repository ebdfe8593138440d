package toykafka.kafka;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.group.GroupCoordinator;
import toykafka.broker.group.ListedGroup;
import toykafka.common.Errors;

/**
 * ListGroups (key 16), versions 0–2: every group this broker coordinates, with its protocol type ("consumer"
 * for consumers; "" for a group that has only committed offsets, never a member), as {@code kafka-consumer-groups
 * --list} shows them. Kafka's {@code KafkaApis.handleListGroupsRequest}, on the one broker there is: a tool asks
 * every broker and merges the answers. Groups that were deleted are not listed. Ignored: throttling (always 0 ms).
 * Versions 3 and up (flexible; from v4 a filter by state, from v5 by type) are not served.
 */
final class Api16ListGroups extends Api {

    private final GroupCoordinator coordinator;

    Api16ListGroups(Broker broker) {
        super(16, "ListGroups", 0, 2, 3);
        this.coordinator = broker.groupCoordinator();
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        request.asked("every group");
        List<ListedGroup> groups = coordinator.listGroups(Set.of());
        request.answered(() -> Summaries.list(groups.stream().map(g -> g.groupId() + " (" + g.state() + ")").toList()));
        ProtocolWriter out = new ProtocolWriter();
        if (version >= 1) {
            out.int32(0); // throttle time
        }
        out.int16(Errors.NONE.code());
        out.array(groups, false, (w, group) -> w.string(group.groupId(), false).string(group.protocolType(), false));
        return CompletableFuture.completedFuture(out);
    }
}

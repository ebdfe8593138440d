package toykafka.kafka;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.group.base.ListedGroup;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourcePattern;
import toykafka.broker.security.ResourceType;
import toykafka.common.Errors;

/**
 * ListGroups (key 16), versions 0–5: every group this broker coordinates, with its protocol type ("consumer"
 * for consumers; "" for a group that has only committed offsets, never a member), as {@code kafka-consumer-groups
 * --list} shows them. Kafka's {@code KafkaApis.handleListGroupsRequest}, on the one broker there is: a tool asks
 * every broker and merges the answers. Groups that were deleted are not listed. v3 is flexible; v4 answers each
 * group's state and lists only the states asked for ({@code --list --state}); v5 answers each group's type and
 * lists only the types asked for ({@code --list --type}): {@code classic}, {@code consumer} for a group of Kafka 4's
 * protocol, whose states are Empty, Assigning, Reconciling and Stable, or {@code streams} for a Kafka Streams
 * application's group (protocol type "streams"), whose states add NotReady (filtered as {@code not_ready}). As in Kafka, filters are compared without
 * regard to case, and a name that is no state or type matches nothing. With an authorizer, a principal that may
 * not DESCRIBE the cluster is told only of the groups it may DESCRIBE, as Kafka answers.
 */
final class Api16ListGroups extends BrokerApi {

    private final AuthHelper auth;

    Api16ListGroups(Broker broker, AuthHelper auth) {
        super(broker, 16, "ListGroups", 0, 5, 3);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        ProtocolReader in = request.body();
        List<String> states = version >= 4 ? in.array("states_filter", s -> s.string("state"))
                : List.of();
        List<String> types = version >= 5 ? in.array("types_filter", t -> t.string("type"))
                : List.of();
        in.taggedFields("ListGroupsRequest");
        request.asked(() -> states.isEmpty() && types.isEmpty() ? "every group"
                : "groups" + (states.isEmpty() ? "" : " in states " + states) + (types.isEmpty() ? "" : " of types " + types));

        List<ListedGroup> listed = broker.groupCoordinator().listGroups(Set.copyOf(states), Set.copyOf(types));
        List<ListedGroup> groups = auth.authorize(request, AclOperation.DESCRIBE, ResourceType.CLUSTER,
                ResourcePattern.CLUSTER_NAME) ? listed : listed.stream().filter(group -> auth.authorize(request,
                AclOperation.DESCRIBE, ResourceType.GROUP, group.groupId())).toList();
        request.answered(() -> Summaries.list(groups.stream().map(g -> g.groupId() + " (" + g.state() + ")").toList()));
        ProtocolWriter out = responseWithThrottleTime(request, 1);
        out.int16(Errors.NONE.code());
        out.array(groups, (w, group) -> {
            w.string(group.groupId()).string(group.protocolType());
            if (version >= 4) {
                w.string(group.state());
            }
            if (version >= 5) {
                w.string(group.type());
            }
            w.taggedFields();
        });
        return CompletableFuture.completedFuture(out.taggedFields());
    }
}

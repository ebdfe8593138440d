package toykafka.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.common.Errors;

/**
 * DeleteGroups (key 42), versions 0–3 (flexible from v2): {@code kafka-consumer-groups --delete},
 * {@code Admin.deleteConsumerGroups}. Kafka's {@code KafkaApis.handleDeleteGroupsRequest}. A group with no members
 * is deleted with its committed offsets (tombstones in {@code __consumer_offsets}); a group with members is
 * NON_EMPTY_GROUP and keeps everything; a group the coordinator does not know is GROUP_ID_NOT_FOUND. Each group is
 * answered on its own. v3's {@code error_message} is null, as Kafka's coordinator leaves it for these two errors.
 * With an authorizer a group needs DELETE, else GROUP_AUTHORIZATION_FAILED and it is kept, as Kafka answers.
 * Ignored: tagged fields, as none are defined.
 */
final class Api42DeleteGroups extends BrokerApi {

    private final AuthHelper auth;

    Api42DeleteGroups(Broker broker, AuthHelper auth) {
        super(broker, 42, "DeleteGroups", 0, 3, 2);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        ProtocolReader in = request.body();
        List<String> groupIds = in.array("groups_names", group -> group.string("group name"));
        in.taggedFields("DeleteGroupsRequest");
        request.asked(() -> Summaries.list(groupIds));
        Set<String> deletable = auth.filterByAuthorized(request, AclOperation.DELETE, ResourceType.GROUP, groupIds);
        Map<String, Errors> results = new HashMap<>(broker.groupCoordinator().deleteGroups(List.copyOf(deletable)));
        groupIds.stream().filter(groupId -> !deletable.contains(groupId))
                .forEach(groupId -> results.put(groupId, Errors.GROUP_AUTHORIZATION_FAILED));
        request.answered(() -> Summaries.list(results.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .toList()));
        ProtocolWriter out = responseWithThrottleTime(request);
        short version = request.version();
        out.array(groupIds, (w, groupId) -> {
            w.string(groupId).int16(results.getOrDefault(groupId, Errors.GROUP_ID_NOT_FOUND).code());
            if (version >= 3) {
                w.nullableString(null);
            }
            w.taggedFields();
        });
        return CompletableFuture.completedFuture(out.taggedFields());
    }
}

package toykafka.console;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import toykafka.broker.Broker;
import toykafka.broker.OffsetAnswer;
import toykafka.broker.Partitions;
import toykafka.broker.group.share.DescribedShareGroup;
import toykafka.broker.group.base.ListedGroup;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.broker.share.partition.SharePartition;
import toykafka.broker.share.partition.ShareWindow;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.TopicId;
import toykafka.common.TopicPartition;
import toykafka.http.Exchange;
import toykafka.http.HttpFrontEnd;
import toykafka.http.Json;
import toykafka.http.Reply;
import toykafka.http.RouteAccess;

/**
 * Share groups as the console shows them: the members and the partitions each reads, and each share partition's
 * window, from its start offset to the last offset of the batches it read from the log, with how many records are in
 * flight, who holds the acquired ones, how often they have been delivered, and how many were set aside (archived).
 * The window is what {@code kafka-share-groups --describe} does not show: it prints only the start offset and the lag.
 */
final class ConsoleShareGroups {

    private final Broker broker;

    ConsoleShareGroups(Broker broker) {
        this.broker = broker;
    }

    void register(HttpFrontEnd front) {
        front.route("GET", ConsoleRoutes.API + "/share-groups", RouteAccess.authenticated(), this::list); // filtered
        front.route("GET", ConsoleRoutes.API + "/share-groups/{group}", RouteAccess.group(AclOperation.DESCRIBE),
                this::group);
    }

    /** Every share group, with its members and its records in flight. */
    private Reply list(Exchange exchange) {
        List<Object> rows = new ArrayList<>();
        for (ListedGroup listed : broker.groupCoordinator().listGroups(Set.of(), Set.of("share"))) {
            DescribedShareGroup group = broker.groupCoordinator().describeShareGroup(listed.groupId());
            if (group.error() != Errors.NONE) {
                continue; // deleted since it was listed
            }
            if (exchange.authorizedOf(AclOperation.DESCRIBE, ResourceType.GROUP, List.of(group.groupId())).isEmpty()) {
                continue; // as ListGroups shows only the groups the principal may describe
            }
            long inFlight = broker.sharePartitions().of(group.groupId()).values().stream()
                    .mapToLong(share -> ShareWindow.of(share, broker.clock().millis()).inFlight()).sum();
            rows.add(Json.fields("group_id", group.groupId(), "state", group.state(), "members", group.members().size(),
                    "group_epoch", group.groupEpoch(), "partitions", broker.sharePartitions().of(group.groupId()).size(),
                    "in_flight", inFlight));
        }
        return Reply.json(200, Json.write(Json.fields("groups", rows)));
    }

    /** One share group: its members, and each share partition's window beside the end of its log. */
    private Reply group(Exchange exchange) {
        String groupId = exchange.path("group");
        DescribedShareGroup group = broker.groupCoordinator().describeShareGroup(groupId);
        Map<String, String> configs = broker.groupConfigs().of(groupId);
        if (group.error() != Errors.NONE) {
            return Reply.json(200, Json.write(Json.fields("group_id", groupId, "exists", false, "why",
                    group.errorMessage(), "members", List.of(), "partitions", List.of(), "configs", configs)));
        }
        Map<TopicId, String> names = topicNames();
        List<Object> members = new ArrayList<>();
        for (DescribedShareGroup.Member member : group.members()) {
            List<Object> partitions = new ArrayList<>();
            member.assigned().forEach((id, numbers) -> numbers.forEach(number -> partitions.add(Json.fields(
                    "topic", names.getOrDefault(id, id.toString()), "partition", number))));
            members.add(Json.fields("member_id", member.memberId(), "client_id", member.clientId(), "client_host",
                    member.clientHost(), "member_epoch", member.memberEpoch(), "topics",
                    List.copyOf(member.subscribedTopics()), "partitions", partitions));
        }
        List<Object> windows = new ArrayList<>();
        for (Map.Entry<TopicPartition, SharePartition> share : broker.sharePartitions().of(groupId).entrySet()) {
            windows.add(window(share.getKey(), ShareWindow.of(share.getValue(), broker.clock().millis())));
        }
        return Reply.json(200, Json.write(Json.fields("group_id", groupId, "exists", true, "state", group.state(),
                "group_epoch", group.groupEpoch(), "assignment_epoch", group.assignmentEpoch(), "assignor",
                DescribedShareGroup.ASSIGNOR, "members", members, "partitions", windows, "configs", configs)));
    }

    private Map<String, Object> window(TopicPartition partition, ShareWindow window) {
        OffsetAnswer end = broker.partitions().listOffsets(partition, Partitions.LATEST);
        Map<String, Object> acquiredBy = new LinkedHashMap<>(window.acquiredBy());
        Map<String, Object> deliveries = new LinkedHashMap<>();
        window.deliveryCounts().forEach((count, records) -> deliveries.put(String.valueOf(count), records));
        return Json.fields("topic", partition.topic(), "partition", partition.partition(), "start_offset",
                window.startOffset(), "end_offset", window.endOffset(), "log_end_offset",
                end.error() == Errors.NONE ? end.offset() : null, "in_flight", window.inFlight(), "available",
                window.available(), "acquired", window.acquired(), "acknowledged", window.acknowledged(), "archiving",
                window.archiving(), "archived", window.archived(), "acquired_by", acquiredBy, "delivery_counts", deliveries);
    }

    private Map<TopicId, String> topicNames() {
        Map<TopicId, String> names = new HashMap<>();
        for (String topic : broker.listTopics()) {
            try {
                names.put(broker.describeTopic(topic).id(), topic);
            } catch (ApiException deletedMeanwhile) {
                // gone since it was listed
            }
        }
        return names;
    }
}

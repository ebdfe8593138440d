package toykafka.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import toykafka.broker.Broker;
import toykafka.broker.GroupsView;
import toykafka.broker.OffsetAnswer;
import toykafka.broker.Partitions;
import toykafka.broker.group.GroupCoordinator;
import toykafka.broker.group.base.Group;
import toykafka.broker.group.base.OffsetCommitRequest;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.common.Errors;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.TopicPartition;
import toykafka.common.UnknownTopicOrPartitionException;
import toykafka.http.Exchange;
import toykafka.http.HttpError;
import toykafka.http.HttpFrontEnd;
import toykafka.http.Json;
import toykafka.http.Reply;
import toykafka.http.RouteAccess;

/**
 * Consumer groups as the console shows them, each in one answer read from {@link GroupsView}: what
 * {@code kafka-consumer-groups --describe} prints, its members and every partition it owns or has committed,
 * with "no commit yet" as an answer rather than a missing resource, and the configs set on it (Kafka's group
 * configs, {@code kafka-configs --describe --entity-type groups} without {@code --all}). And the one write on a group,
 * {@code kafka-consumer-groups --reset-offsets}: an OffsetCommit from outside any generation, which the
 * coordinator takes only while the group has no members.
 */
final class ConsoleGroups {

    /** What a reset's body holds, for the refusal of one that is not JSON. */
    private static final String RESET_BODY = "{\"to\": \"earliest\"|\"latest\"|\"offset\"|\"timestamp\", \"offset\": N,"
            + " \"timestamp\": ms or ISO-8601, \"topic\": name (every partition the group committed when left out),"
            + " \"partition\": N (every partition of the topic when left out), \"dry_run\": true|false}";
    private static final List<String> TARGETS = List.of("earliest", "latest", "offset", "timestamp");

    private final Broker broker;
    private final GroupCoordinator coordinator;
    private final GroupsView groups;

    ConsoleGroups(Broker broker) {
        this.broker = broker;
        this.coordinator = broker.groupCoordinator();
        this.groups = new GroupsView(broker);
    }

    void register(HttpFrontEnd front) {
        front.route("GET", ConsoleRoutes.API + "/groups", RouteAccess.authenticated(), this::list); // filtered
        front.route("GET", ConsoleRoutes.API + "/groups/{group}", RouteAccess.group(AclOperation.DESCRIBE), this::group);
        // as Kafka's OffsetCommit: READ on the group here, and on each topic reset, below
        front.route("POST", ConsoleRoutes.API + "/groups/{group}/reset-offsets", RouteAccess.group(AclOperation.READ),
                this::reset);
    }

    /** Every consumer group, with its member count and its total lag (null while it has committed nothing). */
    private Reply list(Exchange exchange) {
        List<Object> rows = new ArrayList<>();
        List<GroupsView.Group> all = groups.groups();
        List<String> described = exchange.authorizedOf(AclOperation.DESCRIBE, ResourceType.GROUP,
                all.stream().map(GroupsView.Group::groupId).toList());
        for (GroupsView.Group group : all.stream().filter(group -> described.contains(group.groupId())).toList()) {
            List<GroupsView.Lag> lags = groups.lags(group);
            rows.add(Json.fields("group_id", group.groupId(), "type", group.type(), "state", kafkaState(group),
                    "generation", group.generation(), "assignor", group.assignor().isEmpty() ? null : group.assignor(),
                    "members", group.members().size(), "committed_partitions", lags.size(),
                    "total_lag", lags.isEmpty() ? null : totalLag(lags)));
        }
        return Reply.json(200, Json.write(Json.fields("groups", rows)));
    }

    /**
     * A group's state, members and partitions: each partition it has committed, and each one a member owns
     * without a commit yet, whose committed offset and lag are then null. A group the coordinator no longer
     * holds (its last member left, having committed nothing) is answered as Kafka's DescribeGroups answers
     * it, Dead with no members: a page watching it is told so rather than refused.
     */
    private Reply group(Exchange exchange) {
        String groupId = exchange.path("group");
        Optional<GroupsView.Group> found = groups.group(groupId);
        if (found.isEmpty()) {
            return Reply.json(200, Json.write(Json.fields("group_id", groupId, "exists", false, "state", "Dead",
                    "members", List.of(), "partitions", List.of(), "total_lag", null, "configs", configs(groupId))));
        }
        GroupsView.Group group = found.get();
        List<Object> members = new ArrayList<>();
        for (GroupsView.Member member : group.members()) {
            members.add(Json.fields("member_id", member.consumerId(), "group_instance_id", member.instanceId(),
                    "client_id", member.clientId(), "client_host", member.clientHost(),
                    "partitions", partitionsJson(member.assignment()), "member_epoch", member.memberEpoch(),
                    "target", member.target() == null ? null : partitionsJson(member.target()), "upgraded",
                    member.upgraded()));
        }
        SortedMap<TopicPartition, Map<String, Object>> partitions = new TreeMap<>();
        List<GroupsView.Lag> lags = groups.lags(group);
        for (GroupsView.Lag lag : lags) {
            partitions.put(lag.partition(), position(lag.partition(), lag.currentOffset(), lag.logEndOffset(),
                    lag.lag(), lag.owner()));
        }
        for (GroupsView.Member member : group.members()) {
            for (TopicPartition owned : member.assignment()) {
                if (!partitions.containsKey(owned)) { // owned, not committed yet: a member that has just joined
                    OffsetAnswer end = broker.partitions().listOffsets(owned, Partitions.LATEST);
                    partitions.put(owned, position(owned, null, end.error() == Errors.NONE ? end.offset() : null,
                            null, Optional.of(member)));
                }
            }
        }
        return Reply.json(200, Json.write(Json.fields("group_id", group.groupId(), "exists", true, "type", group.type(),
                "state", kafkaState(group), "generation", group.generation(), "assignor",
                group.assignor().isEmpty() ? null : group.assignor(), "members", members, "partitions",
                List.copyOf(partitions.values()), "total_lag", lags.isEmpty() ? null : totalLag(lags), "configs",
                configs(groupId))));
    }

    /** The configs set on the group itself ({@code kafka-configs --entity-type groups}): it need not exist. */
    private Map<String, String> configs(String groupId) {
        return broker.groupConfigs().of(groupId);
    }

    /**
     * The group's state as Kafka spells it, as {@code kafka-consumer-groups --describe --state} prints it and the
     * lessons name it ({@code Stable}, {@code PreparingRebalance}, {@code Reconciling}): the view hands it over as
     * REST Proxy names it ({@code STABLE}, {@code PREPARING_REBALANCE}), words in capitals joined by _.
     */
    static String kafkaState(GroupsView.Group group) {
        StringBuilder name = new StringBuilder();
        for (String word : group.state().split("_")) {
            if (!word.isEmpty()) {
                name.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
            }
        }
        return name.toString();
    }

    private static List<Object> partitionsJson(List<TopicPartition> partitions) {
        return partitions.stream().map(partition -> (Object) Json.fields("topic", partition.topic(), "partition",
                partition.partition())).toList();
    }

    private static Map<String, Object> position(TopicPartition partition, Long committed, Long end, Long lag,
                                                Optional<GroupsView.Member> owner) {
        return Json.fields("topic", partition.topic(), "partition", partition.partition(), "committed", committed,
                "log_end_offset", end, "lag", lag, "owner", owner.map(member -> Json.fields("member_id",
                        member.consumerId(), "client_id", member.clientId(), "client_host", member.clientHost()))
                        .orElse(null));
    }

    /** The sum of the partitions' lags, each counted from 0: a commit past the end is no negative lag. */
    private static long totalLag(List<GroupsView.Lag> lags) {
        return lags.stream().mapToLong(lag -> Math.max(0, lag.lag())).sum();
    }

    /**
     * {@code kafka-consumer-groups --reset-offsets}: each partition's new committed offset, found as the tool
     * finds it (the log start offset, the end offset, an offset in between, or the first record at or after a
     * time, else the end), then committed from outside any generation. Refused while the group has members,
     * as the tool refuses: a member would go on from its own position and commit over the reset.
     * {@code dry_run} plans without committing, the tool's default.
     */
    private Reply reset(Exchange exchange) throws IOException {
        String groupId = exchange.path("group");
        JsonNode body = Json.object(Json.read(exchange.body(), RESET_BODY), "the body");
        String to = Json.text(body, "to", true);
        if (!TARGETS.contains(to)) {
            throw new HttpError(400, "\"to\" must be one of " + String.join(", ", TARGETS) + "; was '" + to + "'");
        }
        Long offset = to.equals("offset") ? ConsoleRoutes.wholeNumber(body, "offset", "the offset to resume from, from"
                + " each partition's log start offset to its end offset", true) : null;
        Instant at = to.equals("timestamp") ? time(body) : null;
        JsonNode plan = body.path("dry_run");
        if (!plan.isMissingNode() && !plan.isNull() && !plan.isBoolean()) { // a reset never commits on a guess
            throw new HttpError(400, "\"dry_run\" must be true (plan only) or false (commit), was " + plan);
        }
        boolean dryRun = plan.asBoolean(false);
        if (groupId.isBlank() || groupId.length() > Group.MAX_NAME_LENGTH) {
            throw new HttpError(400, Errors.INVALID_GROUP_ID, "a group id is 1 to " + Group.MAX_NAME_LENGTH
                    + " characters, not all blank; was " + groupId.length() + " characters");
        }
        Optional<GroupsView.Group> group = groups.group(groupId);
        if (group.isPresent() && !group.get().members().isEmpty()) {
            throw hasMembers(group.get());
        }
        SortedMap<TopicPartition, Long> committed = coordinator.fetchOffsets(groupId, null).offsets();
        SortedMap<TopicPartition, Long> targets = new TreeMap<>();
        for (TopicPartition partition : scope(groupId, body, committed)) {
            exchange.require(AclOperation.READ, ResourceType.TOPIC, partition.topic());
            Broker.PartitionInfo range = broker.describePartition(partition.topic(), partition.partition());
            targets.put(partition, switch (to) {
                case "earliest" -> range.logStartOffset();
                case "latest" -> range.endOffset();
                case "offset" -> within(partition, offset, range);
                default -> {
                    long found = broker.partitions().listOffsets(partition, at.toEpochMilli()).offset();
                    yield found < 0 ? range.endOffset() : found; // no record that late: the end, as the tool does
                }
            });
        }
        if (!dryRun) {
            Errors answer = coordinator.commitOffsets(OffsetCommitRequest.standalone(groupId, targets));
            if (answer == Errors.UNKNOWN_MEMBER_ID) { // a member joined since we looked
                throw groups.group(groupId).map(ConsoleGroups::hasMembers).orElseGet(() -> new HttpError(409,
                        Errors.NON_EMPTY_GROUP, "consumer group '" + groupId + "' had a member join during the reset,"
                        + " so nothing was committed; try again once it has none"));
            }
            if (answer != Errors.NONE) {
                throw new HttpError(400, answer, "the group coordinator refused the reset of consumer group '"
                        + groupId + "' with " + answer.name() + "; nothing was committed");
            }
        }
        List<Object> rows = new ArrayList<>();
        targets.forEach((partition, target) -> rows.add(Json.fields("topic", partition.topic(), "partition",
                partition.partition(), "from", committed.get(partition), "to", target)));
        return Reply.json(200, Json.write(Json.fields("group_id", groupId, "dry_run", dryRun, "partitions", rows)));
    }

    /** Kafka's tool's refusal, with who the members are and what to do. */
    private static HttpError hasMembers(GroupsView.Group group) {
        List<String> members = group.members().stream().map(member -> member.consumerId() + " (client id "
                + member.clientId() + ")").toList();
        return new HttpError(409, Errors.NON_EMPTY_GROUP, "consumer group '" + group.groupId() + "' has "
                + members.size() + (members.size() == 1 ? " member: " : " members: ") + String.join(", ", members)
                + "; its state is " + kafkaState(group) + ". Offsets can be reset only while a group has no"
                + " members, as kafka-consumer-groups --reset-offsets requires: a member would read on from its own"
                + " position and commit over the reset. Stop its consumers, and reset once they have left");
    }

    /**
     * The partitions a reset names: one partition of a topic, every partition of a topic, or, with no topic,
     * every partition the group has committed (the tool's {@code --all-topics}).
     */
    private List<TopicPartition> scope(String groupId, JsonNode body, SortedMap<TopicPartition, Long> committed) {
        String topic = Json.text(body, "topic", false);
        Long partition = ConsoleRoutes.wholeNumber(body, "partition", "a partition of the topic, from 0, or nothing"
                + " for all of them", false);
        if (topic == null || topic.isEmpty()) {
            if (partition != null) {
                throw new HttpError(400, "\"partition\" " + partition + " needs the \"topic\" it belongs to");
            }
            if (committed.isEmpty()) {
                throw new HttpError(400, "consumer group '" + groupId + "' has committed no offsets, so every"
                        + " partition it committed is none: name a \"topic\" to reset");
            }
            return List.copyOf(committed.keySet());
        }
        int count = broker.partitionCount(topic); // an unknown topic is refused, naming those there are
        if (partition == null) {
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < count; p++) {
                all.add(new TopicPartition(topic, p));
            }
            return all;
        }
        if (partition < 0 || partition >= count) {
            throw UnknownTopicOrPartitionException.unknownPartition(topic, (int) Math.max(Integer.MIN_VALUE,
                    Math.min(partition, Integer.MAX_VALUE)), count);
        }
        return List.of(new TopicPartition(topic, partition.intValue()));
    }

    /** An offset asked for, if the partition holds it or it is the end: where a group may resume. */
    private static long within(TopicPartition partition, long offset, Broker.PartitionInfo range) {
        if (offset < range.logStartOffset() || offset > range.endOffset()) {
            throw new OffsetOutOfRangeException("offset " + offset + " is not one " + partition + " can resume from:"
                    + " it holds offsets from its log start offset " + range.logStartOffset() + " to its end offset "
                    + range.endOffset() + " (the end: read only what comes next), so a reset to an offset takes one from "
                    + range.logStartOffset() + " to " + range.endOffset(), offset, range.logStartOffset(),
                    range.endOffset());
        }
        return offset;
    }

    /** The body's {@code timestamp}: milliseconds since 1970, or an ISO-8601 instant. */
    private static Instant time(JsonNode body) {
        JsonNode time = body.get("timestamp");
        if (time == null || time.isNull()) {
            throw new HttpError(400, "a reset \"to\": \"timestamp\" needs the field \"timestamp\": milliseconds since"
                    + " 1970 (0 or more) or an ISO-8601 instant such as 2026-11-23T10:15:30Z");
        }
        return Exchange.time("\"timestamp\"", time.isValueNode() ? time.asText() : time.toString());
    }
}

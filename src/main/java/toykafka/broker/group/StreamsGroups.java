package toykafka.broker.group;

import java.util.Objects;
import java.util.function.Predicate;
import toykafka.broker.group.base.Group;
import toykafka.broker.group.base.Owners;
import toykafka.broker.group.base.TopicLookup;
import toykafka.broker.group.modern.HeartbeatRefusal;
import toykafka.broker.group.streams.DescribedStreamsGroup;
import toykafka.broker.group.streams.InternalTopicMaker;
import toykafka.broker.group.streams.StreamsGroup;
import toykafka.broker.group.streams.StreamsGroupHeartbeat;
import toykafka.broker.group.streams.StreamsGroupSettings;
import toykafka.common.Errors;

/**
 * The coordinator's part for Kafka Streams' group protocol (KIP-1071; Kafka's {@code GroupMetadataManager
 * .streamsGroupHeartbeat} and its describe): finds or makes the group a request names, holds its lock around the
 * call, and brings what the group needs from outside, its settings and the broker's way of making topics.
 */
final class StreamsGroups {

    private final GroupRegistry registry;
    private final TopicLookup topics;
    /** Each streams group's settings: Kafka's defaults, until told of the broker's and the groups' own. */
    private volatile StreamsGroupSettings settings = groupId -> StreamsGroupSettings.KAFKA_DEFAULTS;
    /** How a streams group's internal topics are made: not at all, until the broker says how. */
    private volatile InternalTopicMaker maker = InternalTopicMaker.NONE;

    StreamsGroups(GroupRegistry registry, TopicLookup topics) {
        this.registry = registry;
        this.topics = topics;
    }

    void takeSettingsFrom(StreamsGroupSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    void makeInternalTopicsWith(InternalTopicMaker maker) {
        this.maker = Objects.requireNonNull(maker, "maker");
    }

    // tag::streams-heartbeat-entry[]
    /**
     * StreamsGroupHeartbeat: a Streams member's join (with its topology), leave or word of how far it got, answered at
     * once. A join makes the group, or takes the id over from a classic group with no members, keeping its offsets;
     * a group of another type keeps its id (GROUP_ID_NOT_FOUND, with Kafka's reason). The group takes its settings
     * ({@code streams.*} group configs, else the broker's) at each heartbeat, and has the broker make the internal
     * topics its topology needs, those {@code mayCreate} allows by name (the principal's CREATE).
     */
    StreamsGroupHeartbeat.Response heartbeat(StreamsGroupHeartbeat.Request request, Predicate<String> mayCreate) {
        String groupId = request.groupId();
        HeartbeatRefusal badId = ModernGroupEntry.groupIdRefusal(groupId);
        if (badId != null) {
            return badId.answer(StreamsGroupHeartbeat.Response::error);
        }
        boolean joining = request.memberEpoch() == StreamsGroupHeartbeat.JOIN;
        StreamsGroup group = joining && request.invalid() == null ? registry.streamsForHeartbeat(groupId)
                : registry.streams(groupId);
        if (group == null) {
            Group other = registry.find(groupId);
            return other != null && !other.dead() && registry.streams(groupId) == null
                    ? StreamsGroupHeartbeat.Response.error(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId
                    + " is not a streams group.")
                    : StreamsGroupHeartbeat.Response.error(joining ? Errors.INVALID_REQUEST : Errors.UNKNOWN_MEMBER_ID,
                    joining ? request.invalid() : "Member " + request.memberId() + " is not a member of group "
                    + groupId + ".");
        }
        StreamsGroupHeartbeat.Response answer = ModernGroupEntry.heartbeat(registry, group,
                Owners.of(request.clientHost(), request.clientId(), groupId), streams -> {
                    streams.configure(settings.settingsOf(groupId));
                    return streams.heartbeat(request, topics, maker.onlyWhere(mayCreate), registry.now());
                }, registry::keep); // before the answer: a restart finds the member as it was told
        return answer != null ? answer : heartbeat(request, mayCreate); // dropped since it was looked up
    }
    // end::streams-heartbeat-entry[]

    /**
     * StreamsGroupDescribe: a streams group's epochs, topology, and each member with its tasks now and in its target.
     * An id the coordinator does not know, or another type's group, is GROUP_ID_NOT_FOUND with Kafka's message; so is
     * a group whose first heartbeat has not yet given it a topology, which in Kafka does not exist before that
     * heartbeat's records are written (Kafka's admin client cannot read a described group without one).
     */
    DescribedStreamsGroup describe(String groupId) {
        return ModernGroupEntry.describe(registry, groupId, StreamsGroup.class, "streams",
                group -> group.hasTopology() ? group.describe()
                        : DescribedStreamsGroup.notFound(groupId, "Group " + groupId + " not found."),
                DescribedStreamsGroup::notFound);
    }
}

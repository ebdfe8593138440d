package toykafka.broker.group;

import java.util.Objects;
import toykafka.broker.group.base.ConsumerGroupConfig;
import toykafka.broker.group.base.ConsumerGroupMigrationPolicy;
import toykafka.broker.group.base.ConsumerGroupTimings;
import toykafka.broker.group.base.DescribableTopics;
import toykafka.broker.group.base.Group;
import toykafka.broker.group.base.Owners;
import toykafka.broker.group.base.RefusedJoins;
import toykafka.broker.group.base.TopicLookup;
import toykafka.broker.group.classic.ClassicGroup;
import toykafka.broker.group.classic.JoinGroupRequest;
import toykafka.broker.group.classic.JoinGroupResponse;
import toykafka.broker.group.consumer.ConsumerGroup;
import toykafka.broker.group.consumer.ConsumerGroupClassicMembers;
import toykafka.broker.group.consumer.ConsumerGroupHeartbeat;
import toykafka.broker.group.consumer.DescribedConsumerGroup;
import toykafka.broker.group.modern.HeartbeatRefusal;
import toykafka.common.Errors;

/**
 * The coordinator's part for Kafka 4's consumer group protocol (KIP-848; Kafka's {@code GroupMetadataManager
 * .consumerGroupHeartbeat} and its describe) and for a classic member's join to such a group: finds, makes or
 * converts the group a request names, holds the group's lock around the call, and keeps what it changed.
 */
final class ConsumerGroups {

    private final GroupRegistry registry;
    private final TopicLookup topics;
    private final ConsumerGroupMigrationPolicy migrationPolicy;
    private final RefusedJoins refusedJoins;
    /** Each consumer group's heartbeat interval and session timeout: the broker's, until told of the groups' own. */
    private volatile ConsumerGroupTimings timings;

    ConsumerGroups(GroupRegistry registry, TopicLookup topics, ConsumerGroupConfig config, RefusedJoins refusedJoins) {
        this.registry = registry;
        this.topics = topics;
        this.migrationPolicy = config.migrationPolicy();
        this.refusedJoins = refusedJoins;
        this.timings = ConsumerGroupTimings.broker(config);
    }

    void takeTimingsFrom(ConsumerGroupTimings timings) {
        this.timings = Objects.requireNonNull(timings, "timings");
    }

    /** Gives every consumer group its own heartbeat interval and session timeout, once the offsets topic was replayed. */
    void retimeAll() {
        ModernGroupEntry.retimeAll(registry, ConsumerGroup.class,
                consumer -> consumer.retime(timings.timingOf(consumer.groupId())));
    }

    // tag::consumer-heartbeat[]
    /**
     * ConsumerGroupHeartbeat: a member's join, leave or word of how far it got, answered at once. A join makes the
     * group, or takes the id over from a classic group with no members, keeping its offsets, or turns a classic group
     * with members into a consumer group if {@code group.consumer.migration.policy} allows (else GROUP_ID_NOT_FOUND,
     * with Kafka's reason). Whom the group lets in is the group's to decide.
     */
    ConsumerGroupHeartbeat.Response heartbeat(ConsumerGroupHeartbeat.Request request, DescribableTopics describable) {
        String groupId = request.groupId();
        HeartbeatRefusal badId = ModernGroupEntry.groupIdRefusal(groupId);
        if (badId != null) {
            return badId.answer(ConsumerGroupHeartbeat.Response::error);
        }
        boolean joining = request.memberEpoch() == ConsumerGroupHeartbeat.JOIN;
        Owners owners = Owners.of(request.clientHost(), request.clientId(), groupId);
        if (GroupRegistry.keepsItsId(registry.find(groupId))) {
            return ConsumerGroupHeartbeat.Response.error(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId
                    + " is not a consumer group.");
        }
        ConsumerGroup group = joining ? registry.consumerForHeartbeat(groupId) : registry.consumer(groupId);
        ClassicGroup classic = group == null ? registry.classic(groupId) : null;
        if (joining && classic != null) { // a busy classic group: it becomes a consumer group, if it may
            GroupRegistry.Upgrade upgrade = registry.upgrade(classic);
            if (upgrade.group() == null) {
                return ConsumerGroupHeartbeat.Response.error(upgrade.error(), upgrade.message());
            }
            group = upgrade.group();
        }
        if (group == null) {
            if (classic != null && !classic.hasNoMembers()) {
                return ConsumerGroupHeartbeat.Response.error(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId
                        + " is not a consumer group.");
            }
            // a member of a group the coordinator does not know: it joins again
            return ConsumerGroupHeartbeat.Response.error(Errors.UNKNOWN_MEMBER_ID, "Member " + request.memberId()
                    + " is not a member of group " + groupId + ".");
        }
        ConsumerGroupHeartbeat.Response answer = ModernGroupEntry.heartbeat(registry, group, owners, consumer -> {
            consumer.retime(timings.timingOf(groupId));
            return consumer.heartbeat(request, topics, describable, registry.now());
        }, consumer -> {
            registry.keep(consumer); // before the answer: a restart finds the group as the member was told it
            if (request.memberEpoch() == ConsumerGroupHeartbeat.LEAVE) {
                registry.maybeDowngrade(consumer); // its last member of the consumer protocol left?
            }
        });
        return answer != null ? answer : heartbeat(request, describable); // given back to a classic group since it was looked up
    }
    // end::consumer-heartbeat[]

    // tag::classic-to-consumer-group[]
    /**
     * A classic member's JoinGroup to a consumer group with members: the group takes it in as one of its own, with
     * no barrier, unless {@code group.consumer.migration.policy} is disabled, when it is INCONSISTENT_GROUP_PROTOCOL
     * and Kafka's reason goes to the event log, as JoinGroup carries no message. Null if the group has no members
     * now, or is gone: the join is then a classic group's.
     */
    JoinGroupResponse classicJoin(JoinGroupRequest request) {
        Owners owners = Owners.of(request.clientHost(), request.clientId(), request.groupId());
        String refused = ConsumerGroupClassicMembers.joinRefusal(request.groupId(), migrationPolicy);
        ConsumerGroup group = registry.consumer(request.groupId());
        if (group == null) {
            return null; // it became a classic group, or none, since it was looked up
        }
        registry.applyClock(group);
        synchronized (group) {
            if (group.dead() || group.hasNoMembers()) {
                return null;
            }
            if (refused != null) {
                String who = request.memberId().isEmpty() ? request.clientId() + "@" + request.clientHost()
                        : request.memberId();
                refusedJoins.refused(request.groupId(), who, refused, "a classic join by " + who + " is refused with"
                        + " INCONSISTENT_GROUP_PROTOCOL: " + refused + " (told once for this member and reason)");
                return JoinGroupResponse.error(Errors.INCONSISTENT_GROUP_PROTOCOL, ""); // Kafka's, no member id
            }
            try {
                return new ConsumerGroupClassicMembers(group).join(request, topics, registry.now());
            } finally {
                group.settleMemory(owners);
                registry.keep(group); // before the answer: a restart finds the member as it was told
            }
        }
    }
    // end::classic-to-consumer-group[]

    /**
     * ConsumerGroupDescribe: a consumer group's epochs, assignor, and each member's epoch, subscriptions, and
     * partitions now and in its target. An id the coordinator does not know, or a classic group's, is
     * GROUP_ID_NOT_FOUND with Kafka's message.
     */
    DescribedConsumerGroup describe(String groupId) {
        return ModernGroupEntry.describe(registry, groupId, ConsumerGroup.class, "consumer", ConsumerGroup::describe,
                DescribedConsumerGroup::notFound);
    }
}

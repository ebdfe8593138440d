package toykafka.broker.group;

import java.util.Objects;
import java.util.Set;
import toykafka.broker.group.base.Group;
import toykafka.broker.group.base.Owners;
import toykafka.broker.group.modern.HeartbeatRefusal;
import toykafka.broker.group.share.DescribedShareGroup;
import toykafka.broker.group.share.ShareGroup;
import toykafka.broker.group.share.ShareGroupHeartbeat;
import toykafka.broker.group.share.ShareGroupListener;
import toykafka.broker.group.share.ShareGroupTimings;
import toykafka.broker.group.share.ShareOffsetsAdmission;
import toykafka.common.Errors;

/**
 * The coordinator's part for share groups (KIP-932; Kafka's {@code GroupMetadataManager.shareGroupHeartbeat} and its
 * describe): finds or makes the group a request names, holds its lock around the call, and keeps what it changed.
 * The broker hears only of a group deleted: a member's leaving ends none of its share sessions, in Kafka as here.
 */
final class ShareGroups {

    private final GroupRegistry registry;
    private volatile ShareGroupTimings timings = ShareGroupTimings.KAFKA_DEFAULTS;
    /** Told of each group deleted. */
    private volatile ShareGroupListener listener = ShareGroupListener.NONE;

    ShareGroups(GroupRegistry registry) {
        this.registry = registry;
    }

    void takeTimingsFrom(ShareGroupTimings timings) {
        this.timings = Objects.requireNonNull(timings, "timings");
    }

    void tellOf(ShareGroupListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** What the coordinator reports a share group's deletion to. */
    void deleted(String groupId) {
        listener.onGroupDeleted(groupId);
    }

    // tag::share-heartbeat-entry[]
    /**
     * ShareGroupHeartbeat: a member's join, leave or heartbeat, answered at once. A join makes the group if there is
     * none; an id held by a group of another type stays with it (GROUP_ID_NOT_FOUND, with Kafka's reason).
     */
    ShareGroupHeartbeat.Response heartbeat(ShareGroupHeartbeat.Request request) {
        String groupId = request.groupId();
        HeartbeatRefusal badId = ModernGroupEntry.groupIdRefusal(groupId);
        if (badId != null) {
            return badId.answer(ShareGroupHeartbeat.Response::error);
        }
        boolean joining = request.memberEpoch() == ShareGroupHeartbeat.JOIN;
        ShareGroup group = joining ? registry.shareForHeartbeat(groupId) : registry.share(groupId);
        if (group == null) {
            Group other = registry.find(groupId);
            return other != null && !other.dead() && registry.share(groupId) == null
                    ? ShareGroupHeartbeat.Response.error(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId
                    + " is not a share group.")
                    : ShareGroupHeartbeat.Response.error(Errors.GROUP_ID_NOT_FOUND, "Share group " + groupId
                    + " not found.");
        }
        ShareGroupHeartbeat.Response answer = ModernGroupEntry.heartbeat(registry, group,
                Owners.of(request.clientHost(), request.clientId(), groupId),
                share -> share.heartbeat(request, timings.timingOf(groupId), registry.now()),
                registry::keep); // before the answer: a restart finds the group as the member was told
        return answer != null ? answer : heartbeat(request); // dropped since it was looked up
    }
    // end::share-heartbeat-entry[]

    /**
     * Whether AlterShareGroupOffsets or DeleteShareGroupOffsets may change the group's start offsets: only while it has
     * no members, as Kafka's {@code throwIfShareGroupIsNotEmpty} has it. Altering makes the group if there is none.
     */
    ShareOffsetsAdmission admitOffsetChange(String groupId, boolean makeIfAbsent) {
        if (groupId == null || groupId.isEmpty() || GroupRegistry.invalidId(groupId)) {
            return new ShareOffsetsAdmission(Errors.INVALID_GROUP_ID, ModernGroupEntry.INVALID_ID);
        }
        Group found = makeIfAbsent ? registry.shareForHeartbeat(groupId) : registry.find(groupId);
        if (found == null) {
            found = registry.find(groupId);
        }
        if (found == null || found.dead()) {
            return makeIfAbsent ? admitOffsetChange(groupId, true) : new ShareOffsetsAdmission(Errors.GROUP_ID_NOT_FOUND,
                    "Group " + groupId + " not found.");
        }
        ShareGroup group = GroupRegistry.as(found, ShareGroup.class);
        if (group == null) {
            return new ShareOffsetsAdmission(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId + " is not a share group.");
        }
        registry.applyClock(group);
        synchronized (group) {
            return group.hasNoMembers() ? ShareOffsetsAdmission.ADMITTED
                    : new ShareOffsetsAdmission(Errors.NON_EMPTY_GROUP, "The group is not empty.");
        }
    }

    /** An empty share group whose share partitions the broker kept, at start: it is listed and described again. */
    void restore(String groupId) {
        registry.shareForHeartbeat(groupId);
    }

    /** Gives every share group its own session timeout, once the offsets topic was replayed. */
    void retimeAll() {
        ModernGroupEntry.retimeAll(registry, ShareGroup.class,
                share -> share.retime(timings.timingOf(share.groupId())));
    }

    /** The topics a share group's members read now; none for another type's group or none at all. */
    Set<String> topics(String groupId) {
        ShareGroup group = registry.share(groupId);
        if (group == null) {
            return Set.of();
        }
        synchronized (group) {
            return group.subscribedTopics();
        }
    }

    /** ShareGroupDescribe: an id the coordinator does not know, or another type's group, is GROUP_ID_NOT_FOUND. */
    DescribedShareGroup describe(String groupId) {
        return ModernGroupEntry.describe(registry, groupId, ShareGroup.class, "share", ShareGroup::describe,
                DescribedShareGroup::notFound);
    }
}

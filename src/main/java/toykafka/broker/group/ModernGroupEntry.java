package toykafka.broker.group;

import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import toykafka.broker.group.base.Group;
import toykafka.broker.group.base.Owners;
import toykafka.broker.group.modern.HeartbeatRefusal;
import toykafka.broker.group.modern.ModernGroup;
import toykafka.common.Errors;

/**
 * What the entries of consumer, share and streams groups ({@code ConsumerGroups}, {@code ShareGroups},
 * {@code StreamsGroups}) do alike: refuse a heartbeat's bad group id, and find the group a describe names.
 */
final class ModernGroupEntry {

    /** Kafka's word for a group id too long or blank. */
    static final String INVALID_ID = "A group id must be from 1 to " + Group.MAX_NAME_LENGTH
            + " characters and not blank.";

    private ModernGroupEntry() {
    }

    /** Why a heartbeat's group id is refused, with Kafka's messages; null if it is a good one. */
    static HeartbeatRefusal groupIdRefusal(String groupId) {
        if (groupId == null || groupId.isEmpty()) {
            return new HeartbeatRefusal(Errors.INVALID_REQUEST, "GroupId can't be empty.");
        }
        if (GroupRegistry.invalidId(groupId)) {
            return new HeartbeatRefusal(Errors.INVALID_GROUP_ID, INVALID_ID);
        }
        return null;
    }

    /**
     * A heartbeat's call on its group, under the group's lock once its clock is brought up to now; null if the group
     * was deleted or given away since it was looked up, and the caller looks it up again. After the call, whatever it
     * answered, the group's memory is settled (growth charged to the member's {@code owners}), a group made for a join
     * it refused is dropped, and {@code after} runs, still under the lock.
     */
    static <G extends ModernGroup<?, ?>, R> R heartbeat(GroupRegistry registry, G group, Owners owners,
                                                        Function<G, R> call, Consumer<G> after) {
        registry.applyClock(group);
        synchronized (group) {
            if (group.dead()) {
                return null;
            }
            try {
                return call.apply(group);
            } finally {
                group.settleMemory(owners);
                registry.dropIfNeverUsed(group); // a refused join to a group made for it leaves none
                after.accept(group);
            }
        }
    }

    /**
     * A describe of a group of one type, made under its lock once its clock is brought up to now. An id the
     * coordinator does not know, or another type's group, is GROUP_ID_NOT_FOUND with Kafka's message.
     *
     * @param typeName the type as Kafka's message names it: {@code consumer}, {@code share} or {@code streams}
     * @param notFound the describe's answer for a group not found, and why
     */
    static <G extends ModernGroup<?, ?>, D> D describe(GroupRegistry registry, String groupId, Class<G> type,
                                                       String typeName, Function<G, D> describe,
                                                       BiFunction<String, String, D> notFound) {
        GroupRegistry.Lookup<G> found = registry.lookUp(groupId, type, typeName);
        G group = found.group();
        if (group == null) {
            return notFound.apply(groupId, found.missing());
        }
        registry.applyClock(group);
        synchronized (group) {
            return describe.apply(group);
        }
    }

    /**
     * Gives each group of {@code type} the timing its configs set, under its lock: once the offsets topic was
     * replayed, so a replayed member that does not heartbeat again is removed when its own group's session runs out,
     * as Kafka's load schedules it, not the broker's.
     */
    static <G extends Group> void retimeAll(GroupRegistry registry, Class<G> type, Consumer<G> retime) {
        registry.all().forEach(group -> {
            G typed = GroupRegistry.as(group, type);
            if (typed != null) {
                synchronized (typed) {
                    retime.accept(typed);
                }
            }
        });
    }
}

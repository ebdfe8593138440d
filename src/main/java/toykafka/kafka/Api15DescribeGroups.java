package toykafka.kafka;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.group.base.DescribedGroup;
import toykafka.broker.group.base.GroupState;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.common.Errors;

/**
 * DescribeGroups (key 15), versions 0–6: each group's state, protocol and members, as {@code
 * kafka-consumer-groups --describe} shows them. Kafka's {@code KafkaApis.handleDescribeGroupsRequest}. Each
 * member comes with its client id, its host and the two opaque fields: the metadata it joined with for the
 * chosen protocol, and the assignment the leader gave it (for a consumer group, Kafka's {@code
 * ConsumerProtocol} bytes, which the tool decodes into partitions). While the group rebalances, Kafka names no
 * protocol and no member's metadata, and each member's assignment is the last generation's; so does this. A group the coordinator does not know is
 * answered in state Dead with no members and no error, as Kafka answers it; a blank group id is
 * INVALID_GROUP_ID.
 *
 * <p>With an authorizer, a group the principal may not DESCRIBE is GROUP_AUTHORIZATION_FAILED, with no state or
 * members, as Kafka's {@code handleDescribeGroupsRequest} answers it.
 *
 * <p>v3 asks for the group's authorized operations: those of a group's (READ, DELETE, DESCRIBE, DESCRIBE_CONFIGS,
 * ALTER_CONFIGS) the authorizer allows, all of them when none is configured ({@link AuthorizedOperations}). v4
 * adds each static member's
 * {@code group_instance_id} (null for a dynamic member). v5 is the first flexible version; from v6 a group the
 * coordinator does not know is GROUP_ID_NOT_FOUND, with a message (KIP-1043), where earlier versions answer it Dead
 * with no error. A consumer group of Kafka 4's protocol is not a classic group: it is answered as an unknown one,
 * with v6's message "Group X is not a classic group.", as Kafka 4.1 answers it; ConsumerGroupDescribe (key 69)
 * describes it, and Kafka's Admin tries that first and falls back to this for a classic group. A streams group is
 * answered the same way; StreamsGroupDescribe (key 89) describes it.
 */
final class Api15DescribeGroups extends BrokerApi {

    private final AuthHelper auth;

    Api15DescribeGroups(Broker broker, AuthHelper auth) {
        super(broker, 15, "DescribeGroups", 0, 6, 5);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        ProtocolReader in = request.body();
        List<String> groupIds = in.array("groups", group -> group.string("group id"));
        boolean operations = version >= 3 && in.bool("include_authorized_operations");
        in.taggedFields("DescribeGroupsRequest");

        Set<String> describable = auth.filterByAuthorized(request, AclOperation.DESCRIBE, ResourceType.GROUP,
                groupIds);
        Iterator<DescribedGroup> described = askEach(request, groupIds.stream().filter(describable::contains)
                .toList(), broker.groupCoordinator()::describeGroup, g -> g.groupId() + " " + g.state() + " with "
                + g.members().size() + " members").iterator();

        ProtocolWriter out = responseWithThrottleTime(request, 1);
        out.array(groupIds, (w, groupId) -> {
            if (!describable.contains(groupId)) {
                refused(w, version, groupId);
                return;
            }
            DescribedGroup group = described.next();
            boolean unknown = version >= 6 && group.error() == Errors.NONE && group.state() == GroupState.DEAD;
            w.int16((unknown ? Errors.GROUP_ID_NOT_FOUND : group.error()).code());
            if (version >= 6) {
                boolean otherType = broker.groupCoordinator().groupType(group.groupId())
                        .filter(type -> !type.equals("classic")).isPresent();
                w.nullableString(!unknown ? null : otherType ? "Group " + group.groupId()
                        + " is not a classic group." : "Group " + group.groupId() + " not found.");
            }
            boolean stable = group.state() == GroupState.STABLE;
            w.string(group.groupId()).string(group.state().kafkaName())
                    .string(group.protocolType()).string(stable ? group.protocol() : "");
            w.array(group.members(), (m, member) -> {
                m.string(member.memberId());
                if (version >= 4) {
                    m.nullableString(member.groupInstanceId());
                }
                m.string(member.clientId()).string(member.clientHost())
                        .nullableBytes(ByteBuffer.wrap(stable ? member.metadata() : new byte[0]))
                        .nullableBytes(ByteBuffer.wrap(member.assignment()))
                        .taggedFields();
            });
            if (version >= 3) {
                w.int32(AuthorizedOperations.answer(operations, auth, request, ResourceType.GROUP, group.groupId()));
            }
            w.taggedFields();
        });
        out.taggedFields();
        return CompletableFuture.completedFuture(out);
    }

    /**
     * A group the principal may not DESCRIBE, as Kafka answers it: GROUP_AUTHORIZATION_FAILED, no state, protocol or
     * members, and no authorized operations.
     */
    private static void refused(ProtocolWriter w, short version, String groupId) {
        w.int16(Errors.GROUP_AUTHORIZATION_FAILED.code());
        if (version >= 6) {
            w.nullableString(null);
        }
        w.string(groupId).string("").string("").string("").arrayLength(0);
        if (version >= 3) {
            w.int32(AuthorizedOperations.NOT_REQUESTED);
        }
        w.taggedFields();
    }
}

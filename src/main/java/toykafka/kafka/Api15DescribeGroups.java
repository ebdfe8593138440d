package toykafka.kafka;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.group.DescribedGroup;
import toykafka.broker.group.GroupCoordinator;

/**
 * DescribeGroups (key 15), versions 0–4: each group's state, protocol and members, as {@code
 * kafka-consumer-groups --describe} shows them. Kafka's {@code KafkaApis.handleDescribeGroupsRequest}. Each
 * member comes with its client id, its host and the two opaque fields: the metadata it joined with for the
 * chosen protocol, and the assignment the leader gave it (for a consumer group, Kafka's {@code
 * ConsumerProtocol} bytes, which the tool decodes into partitions). A group the coordinator does not know is
 * answered in state Dead with no members and no error, as Kafka answers it; a blank group id is
 * INVALID_GROUP_ID.
 *
 * <p>v3 asks for the group's authorized operations: every operation a group has (READ, DELETE, DESCRIBE), as
 * Kafka answers with no authorizer ({@link AuthorizedOperations}). v4 adds each static member's
 * {@code group_instance_id} (null for a dynamic member). Ignored: throttling (always 0 ms). Versions 5 and up
 * (flexible) are not served; nor is ConsumerGroupDescribe (key 69), which Kafka 4's tools try first and fall
 * back from to this.
 */
final class Api15DescribeGroups extends Api {

    private final GroupCoordinator coordinator;

    Api15DescribeGroups(Broker broker) {
        super(15, "DescribeGroups", 0, 4, 5);
        this.coordinator = broker.groupCoordinator();
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        ProtocolReader in = request.body();
        List<String> groupIds = in.array("groups", false, group -> group.string("group id", false));
        boolean operations = version >= 3 && in.bool("include_authorized_operations");
        request.asked(() -> Summaries.list(groupIds));

        List<DescribedGroup> groups = groupIds.stream().map(coordinator::describeGroup).toList();
        request.answered(() -> Summaries.list(groups.stream().map(g -> g.groupId() + " " + g.state() + " with "
                + g.members().size() + " members").toList()));

        ProtocolWriter out = new ProtocolWriter();
        if (version >= 1) {
            out.int32(0); // throttle time
        }
        out.array(groups, false, (w, group) -> {
            w.int16(group.error().code()).string(group.groupId(), false).string(group.state().kafkaName(), false)
                    .string(group.protocolType(), false).string(group.protocol(), false);
            w.array(group.members(), false, (m, member) -> {
                m.string(member.memberId(), false);
                if (version >= 4) {
                    m.nullableString(member.groupInstanceId(), false);
                }
                m.string(member.clientId(), false).string(member.clientHost(), false)
                        .nullableBytes(ByteBuffer.wrap(member.metadata()), false)
                        .nullableBytes(ByteBuffer.wrap(member.assignment()), false);
            });
            if (version >= 3) {
                w.int32(AuthorizedOperations.answer(operations, AuthorizedOperations.GROUP));
            }
        });
        return CompletableFuture.completedFuture(out);
    }
}

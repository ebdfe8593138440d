package toykafka.broker.group.base;

import java.util.List;
import toykafka.common.Errors;

/**
 * A group as DescribeGroups shows it: its state, protocol type, chosen protocol and members with their
 * metadata and assignment bytes. The generation is the course's addition: Kafka's answer leaves it out.
 */
public record DescribedGroup(Errors error, String groupId, GroupState state, String protocolType, String protocol,
                             int generation, String leader, List<Member> members) {

    /** One member as DescribeGroups shows it; {@code groupInstanceId} is null for a dynamic member. */
    public record Member(String memberId, String groupInstanceId, String clientId, String clientHost, byte[] metadata,
                         byte[] assignment) {
    }
}

package toykafka.broker.group;

/** One group as ListGroups shows it. */
public record ListedGroup(String groupId, String protocolType, GroupState state) {
}

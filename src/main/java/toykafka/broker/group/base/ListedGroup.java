package toykafka.broker.group.base;

/**
 * One group as ListGroups shows it.
 *
 * @param protocolType "consumer" for consumers, "" for a group that only ever had offsets
 * @param state        the state under Kafka's name: a classic group's ({@link GroupState}) or a consumer group's
 * @param type         {@code classic} or {@code consumer}
 */
public record ListedGroup(String groupId, String protocolType, String state, String type) {
}

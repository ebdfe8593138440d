package toykafka.broker.stats;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import toykafka.broker.group.consumer.DescribedConsumerGroup;
import toykafka.broker.group.base.DescribedGroup;
import toykafka.broker.group.streams.DescribedStreamsGroup;
import toykafka.broker.group.GroupCoordinator;
import toykafka.broker.group.base.ListedGroup;
import toykafka.common.RecordLog;
import toykafka.lesson04.TopicRegistry;

/**
 * The groups as the statistics topic describes them: per group the coordinator holds, its members by client
 * id, as {@code kafka-consumer-groups --describe --members} names them (a REST Proxy instance's client id is
 * its name), its generation and each committed partition's lag.
 */
public final class GroupStatistics {

    private final GroupCoordinator coordinator;
    private final TopicRegistry topics;

    public GroupStatistics(GroupCoordinator coordinator, TopicRegistry topics) {
        this.coordinator = coordinator;
        this.topics = topics;
    }

    public SortedMap<String, Map<String, Object>> describe() {
        SortedMap<String, Map<String, Object>> described = new TreeMap<>();
        List<String> existing = topics.listTopics();
        for (ListedGroup listed : coordinator.listGroups()) {
            Map<String, Object> about = new LinkedHashMap<>();
            if (listed.type().equals("consumer")) { // Kafka 4's protocol: the group epoch stands for the generation
                DescribedConsumerGroup group = coordinator.describeConsumerGroup(listed.groupId());
                about.put("members", group.members().stream().map(DescribedConsumerGroup.Member::clientId).sorted()
                        .toList());
                about.put("generation", group.groupEpoch());
            } else if (listed.type().equals("streams")) { // a Streams application: its threads are the members
                DescribedStreamsGroup group = coordinator.describeStreamsGroup(listed.groupId());
                about.put("members", group.members().stream().map(DescribedStreamsGroup.Member::clientId).sorted()
                        .toList());
                about.put("generation", group.groupEpoch());
            } else {
                DescribedGroup group = coordinator.describeGroup(listed.groupId());
                about.put("members", group.members().stream().map(DescribedGroup.Member::clientId).sorted().toList());
                about.put("generation", group.generation());
            }
            Map<String, Object> partitions = new TreeMap<>();
            coordinator.fetchOffsets(listed.groupId(), null).offsets().forEach((partition, offset) -> {
                if (existing.contains(partition.topic())) { // a commit to a topic that is gone is no lag to report
                    RecordLog log = topics.log(partition.topic(), partition.partition());
                    long lag = log.endOffset() - Math.max(log.earliest(), offset);
                    partitions.put(partition.toString(), new TreeMap<>(Map.of("committed", offset, "lag", lag)));
                }
            });
            about.put("partitions", partitions);
            described.put(listed.groupId(), about);
        }
        return described;
    }
}

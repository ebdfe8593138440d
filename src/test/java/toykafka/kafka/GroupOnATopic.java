package toykafka.kafka;

import java.util.List;
import java.util.Map;
import java.util.Set;
import toykafka.kafka.GroupConsumeOutput.At;

/**
 * One test's consumer group and the topic it reads, on the class's {@link GroupConsumers}: the consumers it starts
 * run {@code clients}, join {@code id} and subscribe to {@code topic}, so a test names each only once.
 */
final class GroupOnATopic {

    private final GroupConsumers consumers;
    private final KafkaClients clients;
    private final String topic;
    private final String id;

    GroupOnATopic(GroupConsumers consumers, KafkaClients clients, String topic, String id) {
        this.consumers = consumers;
        this.clients = clients;
        this.topic = topic;
        this.id = id;
    }

    /** The group's id. */
    String id() {
        return id;
    }

    /** Another group on the same topic, its consumers running the same clients. */
    GroupOnATopic another(String otherId) {
        return new GroupOnATopic(consumers, clients, topic, otherId);
    }

    /** A child JVM whose consumer joins the group, on the classic protocol unless {@code more} names another. */
    GroupConsumeChild start(String name, String... more) {
        return consumers.start(clients, name, topic, id, more);
    }

    /** {@code perPartition} records to each partition of the topic: each one's place and value. */
    Map<At, String> produce(String round, int perPartition) {
        return consumers.produce(topic, round, perPartition);
    }

    /** Waits until the group has committed the end offset of every partition: it has read the whole topic. */
    void awaitCommittedToTheEnd(GroupConsumeChild... watched) {
        consumers.awaitCommittedToTheEnd(id, topic, watched);
    }

    /** Waits until the KIP-848 group is Stable with {@code size} members owning the topic; their partitions by id. */
    Map<String, Set<Integer>> awaitStable(int size, GroupConsumeChild... watched) {
        return consumers.awaitStable(id, size, watched);
    }

    /** After every member has left, a consumer that comes back reads only what came since, as the group committed. */
    void assertAReturningConsumerResumes(List<GroupConsumeChild> before, String... more) {
        consumers.assertAReturningConsumerResumes(clients, topic, id, before, more);
    }
}

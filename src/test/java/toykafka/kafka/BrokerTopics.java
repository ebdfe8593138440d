package toykafka.kafka;

import org.apache.kafka.common.Uuid;
import toykafka.testing.RunningBroker;

/** A topic of the broker under test as Kafka's requests see it: its id in Kafka's type, and how many partitions. */
final class BrokerTopics {

    private BrokerTopics() {
    }

    /** The topic's id, as a request that names topics by id carries it. */
    static Uuid idOf(RunningBroker broker, String topic) {
        return Uuid.fromString(broker.broker().describeTopic(topic).id().toString());
    }

    /** How many partitions the topic has now. */
    static int partitionCount(RunningBroker broker, String topic) {
        return broker.broker().describeTopic(topic).partitions().size();
    }
}

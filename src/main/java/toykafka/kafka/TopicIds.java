package toykafka.kafka;

import toykafka.broker.Broker;
import toykafka.common.ApiException;
import toykafka.common.TopicId;

/**
 * The broker's topic ids and names, for a request that names topics by id (Produce v13, Fetch v13 to v18,
 * OffsetCommit v10, OffsetFetch v10, TxnOffsetCommit v6, DeleteTopics v6): each id is looked up as the request
 * names it, as Kafka's handlers ask its metadata cache. An id no topic has is answered UNKNOWN_TOPIC_ID by each API.
 */
final class TopicIds {

    private final Broker broker;

    private TopicIds(Broker broker) {
        this.broker = broker;
    }

    static TopicIds of(Broker broker) {
        return new TopicIds(broker);
    }

    /** The topic with this id, or null when none has it. */
    String name(TopicId id) {
        return id.equals(TopicId.ZERO) ? null : broker.topicName(id);
    }

    /** The topic's id, or {@link TopicId#ZERO} when there is no such topic. */
    TopicId id(String name) {
        try {
            return broker.topicId(name);
        } catch (ApiException noSuchTopic) {
            return TopicId.ZERO;
        }
    }
}

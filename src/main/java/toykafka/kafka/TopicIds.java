package toykafka.kafka;

import java.util.HashMap;
import java.util.Map;
import toykafka.broker.Broker;
import toykafka.common.ApiException;
import toykafka.common.TopicId;

/**
 * The topics' ids and names as the broker has them when a request names topics by id (Produce v13, Fetch v13 to
 * v18, OffsetCommit v10, OffsetFetch v10, TxnOffsetCommit v6, DeleteTopics v6), read once per request, as Kafka's
 * handlers read its metadata cache. An id no topic has is answered UNKNOWN_TOPIC_ID by each API.
 */
final class TopicIds {

    private final Map<TopicId, String> names = new HashMap<>();
    private final Map<String, TopicId> ids = new HashMap<>();

    private TopicIds() {
    }

    /** Every topic's id, as {@link Api03Metadata} answers it. */
    static TopicIds of(Broker broker) {
        TopicIds topics = new TopicIds();
        for (String name : broker.listTopics()) {
            try {
                TopicId id = broker.topicId(name);
                topics.names.put(id, name);
                topics.ids.put(name, id);
            } catch (ApiException deletedMeanwhile) {
                // no longer a topic, so no id to name
            }
        }
        return topics;
    }

    /** The topic with this id, or null when none has it. */
    String name(TopicId id) {
        return id.equals(TopicId.ZERO) ? null : names.get(id);
    }

    /** The topic's id, or {@link TopicId#ZERO} when there is no such topic. */
    TopicId id(String name) {
        return ids.getOrDefault(name, TopicId.ZERO);
    }
}

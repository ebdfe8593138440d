package toykafka.lesson04;

import java.time.Clock;

/** The reference registry keeps the topics contract. */
class TopicRegistryTest extends TopicsContract {

    @Override
    protected Topics newTopics(BrokerSettings settings, Clock clock) {
        return new TopicRegistry(settings, clock);
    }
}

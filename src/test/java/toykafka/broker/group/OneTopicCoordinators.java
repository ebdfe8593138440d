package toykafka.broker.group;

import java.time.Clock;
import toykafka.broker.group.base.TopicLookup;
import toykafka.common.TopicId;

/**
 * The coordinator the group tests start: on the test's clock, with no rebalance delay, its events heard by nobody,
 * over a broker of one topic.
 */
final class OneTopicCoordinators {

    private OneTopicCoordinators() {
    }

    /** A broker of one topic, found by its name; it names no topics, for a regular expression to match. */
    static TopicLookup only(String name, TopicId id, int partitions) {
        return topic -> topic.equals(name) ? new TopicLookup.Topic(id, partitions) : null;
    }

    /** A coordinator keeping its offsets in memory of its own, over {@link #only the one topic}. */
    static GroupCoordinator over(Clock clock, String name, TopicId id, int partitions) {
        return over(clock, new MemoryOffsetStore(), name, id, partitions);
    }

    /** A coordinator keeping its offsets in {@code store}, over {@link #only the one topic}. */
    static GroupCoordinator over(Clock clock, OffsetStore store, String name, TopicId id, int partitions) {
        return new GroupCoordinator(clock, GroupProtocolContract.NO_DELAY, store, event -> { },
                only(name, id, partitions));
    }
}

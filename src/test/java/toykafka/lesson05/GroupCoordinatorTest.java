package toykafka.lesson05;

import java.time.Clock;
import toykafka.lesson04.Topics;

/** The reference group coordinator keeps the consumer-group contract. */
class GroupCoordinatorTest extends ConsumerGroupContract {

    @Override
    protected ConsumerGroup newGroup(String groupId, Topics topics, PartitionAssignor assignor, GroupSettings settings,
                                     Clock clock) {
        return new GroupCoordinator(groupId, topics, assignor, settings, clock);
    }
}

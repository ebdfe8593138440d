package toykafka.exercises.lesson05;

import java.time.Clock;
import toykafka.lesson04.Topics;
import toykafka.lesson05.ConsumerGroup;
import toykafka.lesson05.ConsumerGroupContract;
import toykafka.lesson05.GroupSettings;
import toykafka.lesson05.PartitionAssignor;

/** The consumer-group contract run against the learner's class: `./toykafka check 5`. */
public class MyConsumerGroupCheck extends ConsumerGroupContract {

    @Override
    protected ConsumerGroup newGroup(String groupId, Topics topics, PartitionAssignor assignor, GroupSettings settings,
                                     Clock clock) {
        return new MyConsumerGroup(groupId, topics, assignor, settings, clock);
    }
}

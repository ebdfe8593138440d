package toykafka.exercises.lesson04;

import java.time.Clock;
import toykafka.lesson04.BrokerSettings;
import toykafka.lesson04.Topics;
import toykafka.lesson04.TopicsContract;

/** The topics contract run against the learner's class: `./toykafka check 4`. */
public class MyTopicsCheck extends TopicsContract {

    @Override
    protected Topics newTopics(BrokerSettings settings, Clock clock) {
        return new MyTopics(settings, clock);
    }
}

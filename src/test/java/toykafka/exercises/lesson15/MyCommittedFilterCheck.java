package toykafka.exercises.lesson15;

import toykafka.lesson15.CommittedFilter;
import toykafka.lesson15.CommittedFilterContract;

/** The read_committed contract run against the learner's class: `./toykafka check 15`. */
public class MyCommittedFilterCheck extends CommittedFilterContract {

    @Override
    protected CommittedFilter newFilter() {
        return new MyCommittedFilter();
    }
}

package toykafka.exercises.lesson17;

import toykafka.lesson17.ReplicaBookkeeping;
import toykafka.lesson17.ReplicaBookkeepingContract;

/** The replica-bookkeeping contract run against the learner's class: `./toykafka check 17`. */
public class MyReplicaBookkeepingCheck extends ReplicaBookkeepingContract {

    @Override
    protected ReplicaBookkeeping newBookkeeping() {
        return new MyReplicaBookkeeping();
    }
}

package toykafka.exercises.lesson14;

import toykafka.lesson14.ReplicaBookkeeping;
import toykafka.lesson14.ReplicaBookkeepingContract;

/** The replica-bookkeeping contract run against the learner's class: `./toykafka check 14`. */
public class MyReplicaBookkeepingCheck extends ReplicaBookkeepingContract {

    @Override
    protected ReplicaBookkeeping newBookkeeping() {
        return new MyReplicaBookkeeping();
    }
}

package toykafka.exercises.lesson16;

import toykafka.lesson16.ReplicaBookkeeping;
import toykafka.lesson16.ReplicaBookkeepingContract;

/** The replica-bookkeeping contract run against the learner's class: `./toykafka check 16`. */
public class MyReplicaBookkeepingCheck extends ReplicaBookkeepingContract {

    @Override
    protected ReplicaBookkeeping newBookkeeping() {
        return new MyReplicaBookkeeping();
    }
}

package toykafka.exercises.lesson18;

import toykafka.lesson18.ReplicaBookkeeping;
import toykafka.lesson18.ReplicaBookkeepingContract;

/** The replica-bookkeeping contract run against the learner's class: `./toykafka check 18`. */
public class MyReplicaBookkeepingCheck extends ReplicaBookkeepingContract {

    @Override
    protected ReplicaBookkeeping newBookkeeping() {
        return new MyReplicaBookkeeping();
    }
}

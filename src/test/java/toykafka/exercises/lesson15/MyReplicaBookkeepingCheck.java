package toykafka.exercises.lesson15;

import toykafka.lesson15.ReplicaBookkeeping;
import toykafka.lesson15.ReplicaBookkeepingContract;

/** The replica-bookkeeping contract run against the learner's class: `./toykafka check 15`. */
public class MyReplicaBookkeepingCheck extends ReplicaBookkeepingContract {

    @Override
    protected ReplicaBookkeeping newBookkeeping() {
        return new MyReplicaBookkeeping();
    }
}

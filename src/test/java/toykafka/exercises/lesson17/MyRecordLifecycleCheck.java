package toykafka.exercises.lesson17;

import toykafka.lesson17.RecordLifecycle;
import toykafka.lesson17.RecordLifecycleContract;

/** The record lifecycle contract run against the learner's class: `./toykafka check 17`. */
public class MyRecordLifecycleCheck extends RecordLifecycleContract {

    @Override
    protected RecordLifecycle newLifecycle() {
        return new MyRecordLifecycle();
    }
}

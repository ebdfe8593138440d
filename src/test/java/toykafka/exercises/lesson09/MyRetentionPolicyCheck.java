package toykafka.exercises.lesson09;

import toykafka.lesson09.RetentionPolicy;
import toykafka.lesson09.RetentionPolicyContract;

/** The retention contract run against the learner's class: `./toykafka check 9`. */
public class MyRetentionPolicyCheck extends RetentionPolicyContract {

    @Override
    protected RetentionPolicy newPolicy() {
        return new MyRetentionPolicy();
    }
}

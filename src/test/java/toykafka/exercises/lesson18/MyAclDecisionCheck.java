package toykafka.exercises.lesson18;

import toykafka.lesson18.AclDecision;
import toykafka.lesson18.AclDecisionContract;

/** The authorizer's contract run against the learner's class: `./toykafka check 18`. */
public class MyAclDecisionCheck extends AclDecisionContract {

    @Override
    protected AclDecision newDecision() {
        return new MyAclDecision();
    }
}

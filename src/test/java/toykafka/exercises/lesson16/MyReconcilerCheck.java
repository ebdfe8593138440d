package toykafka.exercises.lesson16;

import toykafka.lesson16.Reconciler;
import toykafka.lesson16.ReconcilerContract;

/** The reconciliation contract run against the learner's class: `./toykafka check 16`. */
public class MyReconcilerCheck extends ReconcilerContract {

    @Override
    protected Reconciler newReconciler() {
        return new MyReconciler();
    }
}

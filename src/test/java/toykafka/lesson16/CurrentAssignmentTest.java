package toykafka.lesson16;

/** The reconciliation contract run against the lesson's reference, which is the broker's own rule on one topic. */
class CurrentAssignmentTest extends ReconcilerContract {

    @Override
    protected Reconciler newReconciler() {
        return new CurrentAssignment();
    }
}

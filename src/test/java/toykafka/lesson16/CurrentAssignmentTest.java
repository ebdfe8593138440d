package toykafka.lesson16;

/** The reconciliation contract run against the lesson's reference rules. */
class CurrentAssignmentTest extends ReconcilerContract {

    @Override
    protected Reconciler newReconciler() {
        return new CurrentAssignment();
    }
}

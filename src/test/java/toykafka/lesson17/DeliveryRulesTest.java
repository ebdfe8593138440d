package toykafka.lesson17;

/** The record lifecycle contract run against the lesson's reference. */
class DeliveryRulesTest extends RecordLifecycleContract {

    @Override
    protected RecordLifecycle newLifecycle() {
        return new DeliveryRules();
    }
}

package toykafka.lesson19;

/** The reference bookkeeping passes the contract the learner's must pass. */
class PartitionBookkeepingTest extends ReplicaBookkeepingContract {

    @Override
    protected ReplicaBookkeeping newBookkeeping() {
        return new PartitionBookkeeping();
    }
}

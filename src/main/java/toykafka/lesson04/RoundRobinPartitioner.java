package toykafka.lesson04;

import java.util.HashMap;
import java.util.Map;
import toykafka.common.Record;

/** Deals records out to the partitions in turn, 0, 1, 2, 0, 1, 2..., keeping a separate turn per topic. */
public final class RoundRobinPartitioner implements Partitioner {

    private final Map<String, Long> nextTurn = new HashMap<>();

    // tag::partition[]
    @Override
    public synchronized int partition(String topic, Record record, int partitionCount) {
        if (partitionCount < 1) {
            throw new IllegalArgumentException("a topic has 1 or more partitions, not " + partitionCount);
        }
        long turn = nextTurn.merge(topic, 1L, Long::sum) - 1; // the counter moves on every call
        return (int) (turn % partitionCount);
    }
    // end::partition[]

    @Override
    public String toString() {
        return "RoundRobinPartitioner" + nextTurn;
    }
}

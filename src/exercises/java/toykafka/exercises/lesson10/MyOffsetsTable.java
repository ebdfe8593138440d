package toykafka.exercises.lesson10;

import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.SortedSet;
import toykafka.broker.coordinators.Commit;
import toykafka.broker.coordinators.OffsetsTable;
import toykafka.common.TopicPartition;

/**
 * Exercise for lesson 10: the table of committed offsets a broker rebuilds from its offsets topic.
 * Check your work with {@code ./toykafka check 10}; ask for help with {@code ./toykafka hint 10}.
 * Read the lesson with its code in place: {@code ./toykafka read 10} (add a section's name for one section).
 */
public class MyOffsetsTable implements OffsetsTable {

    @Override
    public void apply(Commit commit) {
        throw new UnsupportedOperationException(
                "apply() is yours to write: see section \"Offsets in a topic\" (./toykafka read 10 offsets-in-a-topic)");
    }

    @Override
    public OptionalLong committed(String group, TopicPartition partition) {
        throw new UnsupportedOperationException(
                "committed() is yours to write: see section \"Offsets in a topic\" (./toykafka read 10 offsets-in-a-topic)");
    }

    @Override
    public SortedMap<TopicPartition, Long> offsets(String group) {
        throw new UnsupportedOperationException(
                "offsets() is yours to write: see section \"Offsets in a topic\" (./toykafka read 10 offsets-in-a-topic)");
    }

    @Override
    public SortedSet<String> groups() {
        throw new UnsupportedOperationException(
                "groups() is yours to write: see section \"Offsets in a topic\" (./toykafka read 10 offsets-in-a-topic)");
    }
}

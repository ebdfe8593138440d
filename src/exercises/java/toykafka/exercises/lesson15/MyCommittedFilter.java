package toykafka.exercises.lesson15;

import java.util.List;
import toykafka.broker.AbortedTransaction;
import toykafka.common.RecordBatch;
import toykafka.lesson15.CommittedFilter;

/**
 * Exercise for lesson 15: hand on what a read_committed consumer hands its application, and nothing aborted.
 * Check your work with {@code ./toykafka check 15}; ask for help with {@code ./toykafka hint 15}.
 * Read the lesson with its code in place: {@code ./toykafka read 15} (add a section's name for one section).
 */
public class MyCommittedFilter implements CommittedFilter {

    @Override
    public List<RecordBatch> committed(List<RecordBatch> fetched, List<AbortedTransaction> aborted) {
        throw new UnsupportedOperationException(
                "committed() is yours to write: see section \"The consumer's side\" (./toykafka read 15 filter)");
    }
}

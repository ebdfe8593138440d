package toykafka.exercises.lesson08;

import toykafka.lesson08.OffsetIndex;
import toykafka.lesson08.OffsetIndexContract;

/** The sparse index contract run against the learner's class: `./toykafka check 8`. */
public class MySparseIndexCheck extends OffsetIndexContract {

    @Override
    protected OffsetIndex newIndex(long baseOffset) {
        return new MySparseIndex(baseOffset);
    }
}

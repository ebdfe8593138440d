package toykafka.exercises.lesson10;

import toykafka.broker.coordinators.OffsetsTable;
import toykafka.broker.coordinators.OffsetsTableContract;

/** The offsets table contract run against the learner's class: `./toykafka check 10`. */
public class MyOffsetsTableCheck extends OffsetsTableContract {

    @Override
    protected OffsetsTable newTable() {
        return new MyOffsetsTable();
    }
}

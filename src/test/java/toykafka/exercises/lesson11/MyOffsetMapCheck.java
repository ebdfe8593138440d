package toykafka.exercises.lesson11;

import toykafka.lesson11.KeyOffsetMap;
import toykafka.lesson11.OffsetMapContract;

/** The offset map contract run against the learner's class: `./toykafka check 11`. */
public class MyOffsetMapCheck extends OffsetMapContract {

    @Override
    protected KeyOffsetMap newMap(int memoryBytes) {
        return new MyOffsetMap(memoryBytes);
    }
}

package toykafka.exercises.lesson12;

import toykafka.lesson12.KeyOffsetMap;
import toykafka.lesson12.OffsetMapContract;

/** The offset map contract run against the learner's class: `./toykafka check 12`. */
public class MyOffsetMapCheck extends OffsetMapContract {

    @Override
    protected KeyOffsetMap newMap(int memoryBytes) {
        return new MyOffsetMap(memoryBytes);
    }
}

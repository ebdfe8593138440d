package toykafka.exercises.lesson03;

import java.time.Clock;
import toykafka.archive.Archive;
import toykafka.lesson03.BoundedEventLog;
import toykafka.lesson03.BoundedLogContract;
import toykafka.lesson03.Retention;

/** The bounded-log contract (and the lesson 1 log contract) run against the learner's class: `./toykafka check 3`. */
public class MyBoundedLogCheck extends BoundedLogContract {

    @Override
    protected BoundedEventLog<String> newBoundedLog(String name, Retention retention, Clock clock, Archive archive) {
        return new MyBoundedLog<>(name, retention, clock, archive);
    }
}

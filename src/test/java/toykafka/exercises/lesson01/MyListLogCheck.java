package toykafka.exercises.lesson01;

import toykafka.common.EventLog;
import toykafka.lesson01.LogContract;

/** The log contract run against the learner's class: `./toykafka check 1`. */
public class MyListLogCheck extends LogContract<String> {

    @Override
    protected EventLog<String> newLog() {
        return new MyListLog<>();
    }

    @Override
    protected String event(int n) {
        return "event-" + n;
    }
}

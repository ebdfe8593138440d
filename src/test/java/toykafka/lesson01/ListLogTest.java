package toykafka.lesson01;

import toykafka.common.EventLog;

/** The reference list log keeps the log contract. */
class ListLogTest extends LogContract<String> {

    @Override
    protected EventLog<String> newLog() {
        return new ListLog<>();
    }

    @Override
    protected String event(int n) {
        return "event-" + n;
    }
}

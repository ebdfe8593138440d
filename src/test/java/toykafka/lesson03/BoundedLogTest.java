package toykafka.lesson03;

import java.time.Clock;
import toykafka.archive.Archive;

/** The reference bounded log keeps the bounded-log contract, and so the lesson 1 log contract. */
class BoundedLogTest extends BoundedLogContract {

    @Override
    protected BoundedEventLog<String> newBoundedLog(String name, Retention retention, Clock clock, Archive archive) {
        return new BoundedLog<>(name, retention, clock, archive);
    }
}

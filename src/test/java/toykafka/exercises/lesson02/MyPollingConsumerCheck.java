package toykafka.exercises.lesson02;

import toykafka.common.EventLog;
import toykafka.lesson02.ConsumerContract;
import toykafka.lesson02.EventConsumer;
import toykafka.common.OffsetReset;

/** The consumer contract run against the learner's class: `./toykafka check 2`. */
public class MyPollingConsumerCheck extends ConsumerContract {

    @Override
    protected EventConsumer<String> newConsumer(EventLog<String> log, OffsetReset reset, int maxPollRecords) {
        return new MyPollingConsumer<>(log, reset, maxPollRecords);
    }
}

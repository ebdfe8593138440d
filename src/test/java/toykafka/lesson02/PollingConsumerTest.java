package toykafka.lesson02;

import toykafka.lesson01.EventLog;

/** The reference consumer keeps the consumer contract. */
class PollingConsumerTest extends ConsumerContract {

    @Override
    protected EventConsumer<String> newConsumer(EventLog<String> log, OffsetReset reset, int maxPollRecords) {
        return new PollingConsumer<>(log, reset, maxPollRecords);
    }
}

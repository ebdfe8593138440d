package toykafka.client;

import toykafka.common.EventLog;

/**
 * A partition on the broker as a log of strings, over HTTP: where it begins and ends is the partition's; how an
 * event is written and read is the subclass's.
 */
abstract class PartitionAsStrings implements EventLog<String> {

    final String topic;
    final HttpPartitionLog log;

    PartitionAsStrings(String address, String topic, int partition) {
        this.topic = topic;
        this.log = HttpPartitionLog.of(address, topic, partition);
    }

    @Override
    public long earliest() {
        return log.earliest();
    }

    @Override
    public long endOffset() {
        return log.endOffset();
    }
}

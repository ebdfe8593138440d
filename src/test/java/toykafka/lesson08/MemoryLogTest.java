package toykafka.lesson08;

import toykafka.common.MemoryLog;
import toykafka.common.RecordLog;
import toykafka.common.TopicConfig;

/** The in-memory store keeps the record log contract. */
class MemoryLogTest extends RecordLogContract {

    @Override
    protected RecordLog newLog(TopicConfig config) {
        return new MemoryLog(config);
    }
}

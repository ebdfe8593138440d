package toykafka.lesson08;

import toykafka.common.RecordLog;

/** The in-memory store keeps the record log contract. */
class MemoryLogTest extends RecordLogContract {

    @Override
    protected RecordLog newLog(RecordRules rules) {
        return new MemoryLog(rules);
    }
}

package toykafka.lesson06;

import java.time.Instant;
import toykafka.archive.Archive;
import toykafka.clock.ManualClock;
import toykafka.common.EventLog;
import toykafka.lesson01.LogContract;
import toykafka.common.Record;

/** Until it compacts, a compacted log is a lesson 1 log: it keeps every promise of the log contract. */
class CompactedLogKeepsLogContractTest extends LogContract<Record> {

    private static final Instant NOON = Instant.parse("2024-05-01T12:00:00Z");

    @Override
    protected EventLog<Record> newLog() {
        return new TreeMapCompactedLog("t", 0, CompactionConfig.segmentsOf(4), new ManualClock(NOON), Archive.discard());
    }

    @Override
    protected Record event(int n) {
        return Record.of("key-" + n, "value-" + n, NOON);
    }
}

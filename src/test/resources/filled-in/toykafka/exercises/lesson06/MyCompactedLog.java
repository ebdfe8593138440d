package toykafka.exercises.lesson06;

import java.time.Clock;
import java.util.Optional;
import toykafka.archive.Archive;
import toykafka.lesson02.EventAt;
import toykafka.common.Record;
import toykafka.lesson06.Compaction;
import toykafka.lesson06.CompactedLog;
import toykafka.lesson06.CompactionConfig;
import toykafka.lesson06.TreeMapCompactedLog;

/** A finished lesson 6 exercise that hands every call to the reference log: it proves the check's wiring. */
public class MyCompactedLog implements CompactedLog {

    private final CompactedLog log;

    public MyCompactedLog(String topic, int partition, CompactionConfig config, Clock clock, Archive archive) {
        log = new TreeMapCompactedLog(topic, partition, config, clock, archive);
    }

    @Override
    public long append(Record record) {
        return log.append(record);
    }

    @Override
    public Record read(long offsetOrIndex) {
        return log.read(offsetOrIndex);
    }

    @Override
    public Optional<EventAt<Record>> readFrom(long offset) {
        return log.readFrom(offset);
    }

    @Override
    public long earliest() {
        return log.earliest();
    }

    @Override
    public long endOffset() {
        return log.endOffset();
    }

    @Override
    public long size() {
        return log.size();
    }

    @Override
    public CompactionConfig config() {
        return log.config();
    }

    @Override
    public long activeSegmentStart() {
        return log.activeSegmentStart();
    }

    @Override
    public long cleanedUpTo() {
        return log.cleanedUpTo();
    }

    @Override
    public double dirtyRatio() {
        return log.dirtyRatio();
    }

    @Override
    public Compaction compact() {
        return log.compact();
    }
}

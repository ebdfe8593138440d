package toykafka.exercises.lesson06;

import java.time.Clock;
import java.util.Optional;
import toykafka.archive.Archive;
import toykafka.lesson02.EventAt;
import toykafka.common.Record;
import toykafka.lesson06.Compaction;
import toykafka.lesson06.CompactedLog;
import toykafka.lesson06.CompactionConfig;

/**
 * Exercise for lesson 6: write a compacted log.
 * Check your work with {@code ./toykafka check 6}; ask for help with {@code ./toykafka hint 6}.
 * Read the lesson with its code in place: {@code ./toykafka read 6} (add a section's name for one section).
 * The interface already gives you fetch(), compactIfDirty(), resolve() and latest(): read them first.
 */
public class MyCompactedLog implements CompactedLog {

    public MyCompactedLog(String topic, int partition, CompactionConfig config, Clock clock, Archive archive) {
        throw new UnsupportedOperationException(
                "the constructor is yours to write: see section \"A log with gaps\""
                + " (./toykafka read 6 a-log-with-gaps)");
    }

    @Override
    public long append(Record record) {
        throw new UnsupportedOperationException(
                "append() is yours to write: see section \"Every record needs a key\""
                + " (./toykafka read 6 every-record-needs-a-key)");
    }

    @Override
    public Record read(long offsetOrIndex) {
        throw new UnsupportedOperationException(
                "read() is yours to write: see section \"A log with gaps\" (./toykafka read 6 a-log-with-gaps)");
    }

    @Override
    public Optional<EventAt<Record>> readFrom(long offset) {
        throw new UnsupportedOperationException(
                "readFrom() is yours to write: see section \"A log with gaps\" (./toykafka read 6 a-log-with-gaps)");
    }

    @Override
    public long earliest() {
        throw new UnsupportedOperationException(
                "earliest() is yours to write: see section \"A log with gaps\" (./toykafka read 6 a-log-with-gaps)");
    }

    @Override
    public long endOffset() {
        throw new UnsupportedOperationException(
                "endOffset() is yours to write: see section \"A log with gaps\" (./toykafka read 6 a-log-with-gaps)");
    }

    @Override
    public long size() {
        throw new UnsupportedOperationException(
                "size() is yours to write: see section \"A log with gaps\" (./toykafka read 6 a-log-with-gaps)");
    }

    @Override
    public CompactionConfig config() {
        throw new UnsupportedOperationException(
                "config() is yours to write: see section \"The head and the dirty ratio\""
                + " (./toykafka read 6 the-head-and-the-dirty-ratio)");
    }

    @Override
    public long activeSegmentStart() {
        throw new UnsupportedOperationException(
                "activeSegmentStart() is yours to write: see section \"The head and the dirty ratio\""
                + " (./toykafka read 6 the-head-and-the-dirty-ratio)");
    }

    @Override
    public long cleanedUpTo() {
        throw new UnsupportedOperationException(
                "cleanedUpTo() is yours to write: see section \"The head and the dirty ratio\""
                + " (./toykafka read 6 the-head-and-the-dirty-ratio)");
    }

    @Override
    public double dirtyRatio() {
        throw new UnsupportedOperationException(
                "dirtyRatio() is yours to write: see section \"The head and the dirty ratio\""
                + " (./toykafka read 6 the-head-and-the-dirty-ratio)");
    }

    @Override
    public Compaction compact() {
        throw new UnsupportedOperationException(
                "compact() is yours to write: see section \"Keeping the latest value per key\""
                + " (./toykafka read 6 keeping-the-latest-value-per-key)");
    }
}

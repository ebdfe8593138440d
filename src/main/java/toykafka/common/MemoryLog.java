package toykafka.common;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The record log in memory: a list, and the same rules as the file log. Gone when the process ends.
 * Lesson 4's topics keep their partitions in these unless given a store on disk.
 */
public final class MemoryLog implements RecordLog {

    private final List<Record> records = new ArrayList<>();
    private AppliedConfig applied;

    public MemoryLog(TopicConfig config) {
        reconfigure(config);
    }

    public MemoryLog() {
        this(TopicConfig.defaults());
    }

    @Override
    public synchronized TopicConfig config() {
        return applied.config();
    }

    @Override
    public synchronized void reconfigure(TopicConfig newConfig) {
        applied = AppliedConfig.of(newConfig);
    }

    @Override
    public synchronized long appendAll(List<Record> batch) {
        applied.rules().check(batch);
        long first = records.size();
        records.addAll(batch);
        return first;
    }

    @Override
    public synchronized Record read(long offsetOrIndex) {
        return records.get((int) resolve(offsetOrIndex));
    }

    @Override
    public synchronized List<Record> readBatch(long fromOffset, int maxRecords) {
        if (maxRecords < 1) {
            throw new IllegalArgumentException("a batch holds at least 1 record; maxRecords was " + maxRecords);
        }
        if (fromOffset == endOffset()) {
            return List.of();
        }
        int from = (int) resolve(fromOffset);
        return List.copyOf(records.subList(from, (int) Math.min(records.size(), (long) from + maxRecords)));
    }

    @Override
    public synchronized OptionalLong offsetForTime(Instant time) {
        for (int offset = 0; offset < records.size(); offset++) {
            if (!records.get(offset).timestamp().isBefore(time)) {
                return OptionalLong.of(offset);
            }
        }
        return OptionalLong.empty();
    }

    @Override
    public long earliest() {
        return 0;
    }

    @Override
    public synchronized long endOffset() {
        return records.size();
    }

    @Override
    public void close() {
    }

    @Override
    public synchronized String toString() {
        return "MemoryLog[" + records.size() + " records]";
    }
}

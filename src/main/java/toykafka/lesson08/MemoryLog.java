package toykafka.lesson08;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import toykafka.common.Record;
import toykafka.common.RecordLog;

/** The record log in memory: a list, and the same rules as the file log. Gone when the process ends. */
public final class MemoryLog implements RecordLog {

    private final List<Record> records = new ArrayList<>();
    private final RecordRules rules;

    public MemoryLog(RecordRules rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    public MemoryLog() {
        this(RecordRules.defaults());
    }

    @Override
    public synchronized long appendAll(List<Record> batch) {
        Objects.requireNonNull(batch, "a batch must not be null");
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("an empty batch has nothing to append");
        }
        for (int i = 0; i < batch.size(); i++) {
            try {
                rules.check(batch.get(i));
            } catch (IllegalArgumentException refused) {
                throw batch.size() == 1 ? refused : new IllegalArgumentException("record " + i + " of a batch of "
                        + batch.size() + ": " + refused.getMessage(), refused);
            }
        }
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

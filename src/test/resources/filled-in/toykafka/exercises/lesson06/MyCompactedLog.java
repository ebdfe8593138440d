package toykafka.exercises.lesson06;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import toykafka.archive.Archive;
import toykafka.archive.ArchiveReason;
import toykafka.archive.ArchivedEvent;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.Record;
import toykafka.lesson02.EventAt;
import toykafka.lesson06.CompactedLog;
import toykafka.lesson06.Compaction;
import toykafka.lesson06.CompactionConfig;

/** A learner's finished lesson 6 exercise, written from the lesson's text and hints. */
public class MyCompactedLog implements CompactedLog {

    private record Stored(Record record, Instant appendedAt) {
    }

    private final String topic;
    private final int partition;
    private final CompactionConfig config;
    private final Clock clock;
    private final Archive archive;
    private final TreeMap<Long, Stored> records = new TreeMap<>();
    private long endOffset;
    private long cleanedUpTo;

    public MyCompactedLog(String topic, int partition, CompactionConfig config, Clock clock, Archive archive) {
        this.topic = topic;
        this.partition = partition;
        this.config = config;
        this.clock = clock;
        this.archive = archive;
    }

    @Override
    public long append(Record record) {
        Objects.requireNonNull(record, "the record is null");
        if (!record.hasKey()) {
            throw new IllegalArgumentException("no key on this record, and a compacted log needs one");
        }
        records.put(endOffset, new Stored(record, clock.instant()));
        return endOffset++;
    }

    @Override
    public Record read(long offsetOrIndex) {
        long offset = resolve(offsetOrIndex);
        Stored stored = records.get(offset);
        if (stored == null) {
            throw new NoSuchElementException("compaction removed offset " + offset + "; the next one held is "
                    + records.higherKey(offset));
        }
        return stored.record();
    }

    @Override
    public Optional<EventAt<Record>> readFrom(long offset) {
        if (offset < 0 || offset > endOffset) {
            throw new OffsetOutOfRangeException("readFrom(" + offset + "): use 0.." + endOffset, offset, 0, endOffset);
        }
        Map.Entry<Long, Stored> next = records.ceilingEntry(offset);
        return next == null ? Optional.empty() : Optional.of(new EventAt<>(next.getKey(), next.getValue().record()));
    }

    @Override
    public long earliest() {
        return 0;
    }

    @Override
    public long endOffset() {
        return endOffset;
    }

    @Override
    public long size() {
        return records.size();
    }

    @Override
    public CompactionConfig config() {
        return config;
    }

    @Override
    public long activeSegmentStart() {
        return endOffset == 0 ? 0 : config.segmentStart(endOffset - 1);
    }

    @Override
    public long cleanedUpTo() {
        return cleanedUpTo;
    }

    @Override
    public double dirtyRatio() {
        long head = activeSegmentStart();
        int beforeHead = records.headMap(head).size();
        if (beforeHead == 0) {
            return 0.0;
        }
        return (double) records.subMap(cleanedUpTo, head).size() / beforeHead;
    }

    @Override
    public Compaction compact() {
        long head = activeSegmentStart();
        Map<Long, Stored> cleanable = records.headMap(head);
        Map<ByteBuffer, Long> latest = new HashMap<>();
        for (Map.Entry<Long, Stored> entry : cleanable.entrySet()) {
            latest.put(ByteBuffer.wrap(entry.getValue().record().key()), entry.getKey());
        }
        Instant now = clock.instant();
        List<Long> remove = new ArrayList<>();
        for (Map.Entry<Long, Stored> entry : cleanable.entrySet()) {
            Stored stored = entry.getValue();
            boolean older = latest.get(ByteBuffer.wrap(stored.record().key())) > entry.getKey();
            boolean expiredTombstone = stored.record().isTombstone()
                    && !now.isBefore(stored.appendedAt().plus(config.deleteRetention()));
            if (older || expiredTombstone) {
                remove.add(entry.getKey());
            }
        }
        List<ArchivedEvent> rows = new ArrayList<>();
        for (long offset : remove) {
            Stored stored = records.get(offset);
            rows.add(new ArchivedEvent(topic, partition, offset, stored.appendedAt(), stored.record().keyText(),
                    stored.record().valueText(), ArchiveReason.COMPACTION, now));
        }
        if (!rows.isEmpty()) {
            archive.append(rows);
        }
        remove.forEach(records::remove);
        cleanedUpTo = head;
        return new Compaction(remove, cleanedUpTo);
    }
}

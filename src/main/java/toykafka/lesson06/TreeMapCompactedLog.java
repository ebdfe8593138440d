package toykafka.lesson06;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import toykafka.archive.Archive;
import toykafka.archive.ArchiveReason;
import toykafka.archive.ArchivedEvent;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.lesson02.EventAt;
import toykafka.common.Record;

/**
 * The reference compacted log: records in a sorted map from offset to record. Removing an entry
 * leaves a gap in the offsets; the map's ceiling lookup finds the next record after a gap.
 */
public final class TreeMapCompactedLog implements CompactedLog {

    /** A record and when the log took it in: that time decides when a tombstone may go. */
    private record Entry(Record record, Instant appendedAt) {
    }

    private final String topic;
    private final int partition;
    private final CompactionConfig config;
    private final Clock clock;
    private final Archive archive;

    private final NavigableMap<Long, Entry> entries = new TreeMap<>();
    private long endOffset;
    private long cleanedUpTo;

    /**
     * @param topic     the topic name written to archive rows
     * @param partition the partition number written to archive rows
     * @param config    segment size, dirty ratio and tombstone retention
     * @param clock     the time of appends and of compactions
     * @param archive   where compacted-away records go before the log forgets them
     */
    public TreeMapCompactedLog(String topic, int partition, CompactionConfig config, Clock clock, Archive archive) {
        this.topic = Objects.requireNonNull(topic, "topic");
        if (partition < 0) {
            throw new IllegalArgumentException("a partition number is 0 or more, was " + partition);
        }
        this.partition = partition;
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.archive = Objects.requireNonNull(archive, "archive");
    }

    // tag::append[]
    @Override
    public long append(Record record) {
        Objects.requireNonNull(record, "a record must not be null");
        if (!record.hasKey()) {
            throw new IllegalArgumentException("a compacted log keeps the latest record per key, so every record"
                    + " needs a key; this one has none (value " + quoted(record.valueText()) + "): nothing was appended");
        }
        long offset = endOffset++;
        entries.put(offset, new Entry(record, clock.instant()));
        return offset;
    }
    // end::append[]

    // tag::read[]
    @Override
    public Record read(long offsetOrIndex) {
        long offset = resolve(offsetOrIndex);
        Entry entry = entries.get(offset);
        if (entry == null) {
            throw new NoSuchElementException("offset " + offset + " was removed by compaction; readFrom(" + offset
                    + ") returns the next record the log holds, at offset " + entries.higherKey(offset));
        }
        return entry.record();
    }

    @Override
    public Optional<EventAt<Record>> readFrom(long offset) {
        if (offset < earliest() || offset > endOffset) {
            throw new OffsetOutOfRangeException("offset " + offset + " is out of range: readFrom accepts offsets "
                    + earliest() + ".." + endOffset + " (" + endOffset + " is the end, where nothing is yet)",
                    offset, earliest(), endOffset);
        }
        Map.Entry<Long, Entry> next = entries.ceilingEntry(offset);
        return next == null ? Optional.empty() : Optional.of(new EventAt<>(next.getKey(), next.getValue().record()));
    }
    // end::read[]

    @Override
    public long earliest() {
        return 0; // compaction never moves the log start offset: it only leaves gaps after it
    }

    @Override
    public long endOffset() {
        return endOffset;
    }

    @Override
    public long size() {
        return entries.size();
    }

    @Override
    public CompactionConfig config() {
        return config;
    }

    // tag::head[]
    @Override
    public long activeSegmentStart() {
        // The active segment is the one the latest record is in; a new one starts with the next full segment.
        return endOffset == 0 ? 0 : config.segmentStart(endOffset - 1);
    }

    @Override
    public long cleanedUpTo() {
        return cleanedUpTo;
    }

    @Override
    public double dirtyRatio() {
        long head = activeSegmentStart();
        int compactable = entries.headMap(head).size();
        int dirty = entries.subMap(cleanedUpTo, head).size();
        return compactable == 0 ? 0.0 : (double) dirty / compactable;
    }
    // end::head[]

    // tag::compact[]
    @Override
    public Compaction compact() {
        long head = activeSegmentStart();
        Instant now = clock.instant();
        NavigableMap<Long, Entry> compactable = entries.headMap(head, false);

        // First pass: the latest offset of every key before the head (Kafka's cleaner calls it the offset map).
        Map<ByteBuffer, Long> latest = new HashMap<>();
        compactable.forEach((offset, entry) -> latest.put(keyOf(entry), offset));

        // Second pass: a record goes if its key has a later one, or if it is a tombstone past its retention.
        List<Long> removed = new ArrayList<>();
        compactable.forEach((offset, entry) -> {
            if (offset < latest.get(keyOf(entry)) || expiredTombstone(entry, now)) {
                removed.add(offset);
            }
        });

        // Archive first: if that fails, the log still holds every record.
        archive.append(removed.stream().map(offset -> archiveRow(offset, entries.get(offset), now)).toList());
        removed.forEach(entries::remove);
        cleanedUpTo = head;
        return new Compaction(removed, head);
    }

    private boolean expiredTombstone(Entry entry, Instant now) {
        return entry.record().isTombstone() && !now.isBefore(entry.appendedAt().plus(config.deleteRetention()));
    }
    // end::compact[]

    /** Keys are bytes; a ByteBuffer compares them by content, so it can be a map key. */
    private static ByteBuffer keyOf(Entry entry) {
        return ByteBuffer.wrap(entry.record().key());
    }

    private ArchivedEvent archiveRow(long offset, Entry entry, Instant now) {
        Record record = entry.record();
        return new ArchivedEvent(topic, partition, offset, entry.appendedAt(), record.keyText(), record.valueText(),
                ArchiveReason.COMPACTION, now);
    }

    private static String quoted(String text) {
        return text == null ? "null" : "'" + text + "'";
    }

    /** Each record as offset:key=value, with the head after a bar; a tombstone's value shows as null. */
    @Override
    public String toString() {
        long head = activeSegmentStart();
        String tail = describe(entries.headMap(head, false));
        String active = describe(entries.tailMap(head, true));
        return "TreeMapCompactedLog[" + tail + (entries.isEmpty() ? "" : (tail.isEmpty() ? "" : " ") + "| head: " + active) + "]";
    }

    private static String describe(Map<Long, Entry> part) {
        return part.entrySet().stream()
                .map(e -> e.getKey() + ":" + e.getValue().record().keyText() + "=" + e.getValue().record().valueText())
                .collect(Collectors.joining(", "));
    }
}

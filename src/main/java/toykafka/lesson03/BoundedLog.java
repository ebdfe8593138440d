package toykafka.lesson03;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import toykafka.archive.Archive;
import toykafka.archive.ArchiveFormat;
import toykafka.archive.ArchiveReason;
import toykafka.archive.ArchivedEvent;
import toykafka.common.OffsetOutOfRangeException;

/**
 * A log that keeps only its newest events: a queue plus the offset of its first event. Old events
 * leave from the front, into an archive, and offsets never change or get reused.
 */
public final class BoundedLog<E> implements BoundedEventLog<E> {

    /** An event and the time the log took it in (Kafka's LogAppendTime). */
    private record Stamped<E>(E event, Instant timestamp) {
    }

    private final String name;
    private final Retention retention;
    private final Clock clock;
    private final Archive archive;
    private final ArchiveFormat<E> format;

    // tag::state[]
    // Java's ArrayDeque cannot be read by index, so the queue is a list that loses its front in batches.
    private final List<Stamped<E>> events = new ArrayList<>();
    private long startOffset; // the offset of events.get(0): Kafka's log start offset
    // end::state[]

    public BoundedLog(String name, Retention retention, Clock clock, Archive archive) {
        this(name, retention, clock, archive, ArchiveFormat.plain());
    }

    public BoundedLog(String name, Retention retention, Clock clock, Archive archive, ArchiveFormat<E> format) {
        this.name = Objects.requireNonNull(name, "name");
        this.retention = Objects.requireNonNull(retention, "retention");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.archive = Objects.requireNonNull(archive, "archive");
        this.format = Objects.requireNonNull(format, "format");
    }

    // tag::append[]
    @Override
    public long append(E event) {
        Objects.requireNonNull(event, "an event must not be null");
        // Make room first: if the archive fails, nothing has changed and the caller is told.
        expireOld();
        if (events.size() + 1 > retention.maxEvents()) {
            moveOut(retention.evictCount(), ArchiveReason.RETENTION);
        }
        events.add(new Stamped<>(event, clock.instant()));
        return endOffset() - 1;
    }
    // end::append[]

    // tag::read[]
    @Override
    public E read(long offsetOrIndex) {
        long offset = resolve(offsetOrIndex);
        return events.get((int) (offset - startOffset)).event();
    }
    // end::read[]

    @Override
    public long earliest() {
        return startOffset;
    }

    @Override
    public long endOffset() {
        return startOffset + events.size();
    }

    /** When the event at an offset was appended. */
    public Instant timestampOf(long offsetOrIndex) {
        return events.get((int) (resolve(offsetOrIndex) - startOffset)).timestamp();
    }

    // tag::expire[]
    /** Moves out every event older than the retention's maximum age; returns how many left. */
    @Override
    public int expireOld() {
        if (retention.maxAge() == null) {
            return 0;
        }
        Instant now = clock.instant();
        if (retention.maxAge().compareTo(Duration.between(Instant.MIN, now)) >= 0) {
            return 0; // no instant is that old: a limit of "for ever", in effect
        }
        Instant oldestAllowed = now.minus(retention.maxAge());
        int expired = 0;
        while (expired < events.size() && events.get(expired).timestamp().isBefore(oldestAllowed)) {
            expired++;
        }
        return moveOut(expired, ArchiveReason.RETENTION);
    }
    // end::expire[]

    // tag::archive-before[]
    /**
     * Moves every event before {@code offset} to the archive; the rest stay readable at the same
     * offsets. Kaf calls this archive(upto); Kafka's Admin API calls it deleteRecords(beforeOffset).
     */
    @Override
    public int archiveBefore(long offset) {
        if (offset < 0 || offset > endOffset()) {
            String why = offset < 0 ? "offsets are never negative" : "the log end offset is " + endOffset();
            throw new OffsetOutOfRangeException("cannot archive before offset " + offset + ": " + why
                    + "; choose an offset from " + startOffset + " to " + endOffset(), offset, startOffset, endOffset());
        }
        return moveOut((int) Math.max(0, offset - startOffset), ArchiveReason.ARCHIVE);
    }
    // end::archive-before[]

    // tag::move-out[]
    /** Archives the oldest {@code count} events, then forgets them. Returns {@code count}. */
    private int moveOut(int count, ArchiveReason reason) {
        if (count == 0) {
            return 0;
        }
        Instant now = clock.instant();
        List<ArchivedEvent> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Stamped<E> stamped = events.get(i);
            rows.add(new ArchivedEvent(name, 0, startOffset + i, stamped.timestamp(), format.key(stamped.event()),
                    format.value(stamped.event()), reason, now));
        }
        try {
            archive.append(rows);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the archive refused offsets " + startOffset + ".." + (startOffset + count - 1)
                    + " (" + e.getMessage() + "); they stay in the log and nothing else changed", e);
        }
        events.subList(0, count).clear();
        startOffset += count;
        return count;
    }
    // end::move-out[]

    public String name() {
        return name;
    }

    @Override
    public String toString() {
        String held = events.isEmpty() ? "empty" : "offsets " + startOffset + ".." + (endOffset() - 1);
        return "BoundedLog[" + name + ", " + held + ", next offset " + endOffset() + "]";
    }
}

package toykafka.exercises.lesson03;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import toykafka.archive.Archive;
import toykafka.archive.ArchiveReason;
import toykafka.archive.ArchivedEvent;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.lesson03.BoundedEventLog;
import toykafka.lesson03.Retention;

/** A learner's finished lesson 3 exercise, as the hints lead to it. */
public class MyBoundedLog<E> implements BoundedEventLog<E> {

    private record Held<E>(E event, Instant appendedAt) {
    }

    private final String name;
    private final Retention retention;
    private final Clock clock;
    private final Archive archive;
    private final List<Held<E>> events = new ArrayList<>();
    private long startOffset;

    public MyBoundedLog(String name, Retention retention, Clock clock, Archive archive) {
        this.name = name;
        this.retention = retention;
        this.clock = clock;
        this.archive = archive;
    }

    @Override
    public long append(E event) {
        Objects.requireNonNull(event, "an event must not be null");
        expireOld();
        if (events.size() + 1 > retention.maxEvents()) {
            moveOut(retention.evictCount(), ArchiveReason.RETENTION);
        }
        events.add(new Held<>(event, clock.instant()));
        return endOffset() - 1;
    }

    @Override
    public E read(long offsetOrIndex) {
        return events.get((int) (resolve(offsetOrIndex) - startOffset)).event();
    }

    @Override
    public long earliest() {
        return startOffset;
    }

    @Override
    public long endOffset() {
        return startOffset + events.size();
    }

    @Override
    public int expireOld() {
        if (retention.maxAge() == null) {
            return 0;
        }
        Instant limit = clock.instant().minus(retention.maxAge());
        int old = 0;
        while (old < events.size() && events.get(old).appendedAt().isBefore(limit)) {
            old++;
        }
        return moveOut(old, ArchiveReason.RETENTION);
    }

    @Override
    public int archiveBefore(long offset) {
        if (offset < 0 || offset > endOffset()) {
            throw new OffsetOutOfRangeException("archiveBefore(" + offset + "): pick an offset between " + startOffset
                    + " and " + endOffset(), offset, startOffset, endOffset());
        }
        return moveOut((int) Math.max(0, offset - startOffset), ArchiveReason.ARCHIVE);
    }

    private int moveOut(int count, ArchiveReason reason) {
        if (count == 0) {
            return 0;
        }
        List<ArchivedEvent> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Held<E> held = events.get(i);
            rows.add(new ArchivedEvent(name, 0, startOffset + i, held.appendedAt(), null,
                    String.valueOf(held.event()), reason, clock.instant()));
        }
        try {
            archive.append(rows);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the archive failed: " + e.getMessage(), e);
        }
        events.subList(0, count).clear();
        startOffset += count;
        return count;
    }
}

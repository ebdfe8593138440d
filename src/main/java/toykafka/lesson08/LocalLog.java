package toykafka.lesson08;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import toykafka.common.AppliedConfig;
import toykafka.common.KafkaStorageException;
import toykafka.common.Record;
import toykafka.common.RecordRules;
import toykafka.common.TopicConfig;

/**
 * The segments of one partition and the offsets across them: appends go to the newest segment, which rolls
 * at a size and an age, and reads find their segment by base offset. One lock guards the segments and the
 * end offset; reads hold it only to find where they start ({@link LogReader}). A failed write takes the log
 * offline until it is opened again. Kafka's {@code LocalLog}: it neither loads nor flushes nor deletes on its
 * own; lesson 9's {@code FileLog} that wraps it does, which is Kafka's {@code UnifiedLog}.
 */
public final class LocalLog implements LogReader.Reads {

    /** What {@link #transferTo} sent: how many bytes, and the offset the next fetch starts from. */
    public record Sent(long bytes, long nextOffset) {
    }

    /** Where an append went: its first offset, and the log's end offset after it. */
    public record Appended(long first, long end) {
    }

    /** What the log tells its owner, under its lock: a durable log counts appends and checkpoints at rolls. */
    public interface Events {
        Events NONE = new Events() {
        };

        /** An append has written up to {@code end}. */
        default void written(long end) {
        }

        /** A roll has sealed, and forced, every segment below {@code base}. */
        default void rolled(long base) throws IOException {
        }
    }

    private final Path dir;
    private volatile AppliedConfig applied; // swapped whole by reconfigure(), read without the lock
    private final Clock clock;
    private final DiskFile.Opener opener;
    private final Events events;

    private final ReentrantLock lock = new ReentrantLock();
    private final LogSegments segments;
    private long endOffset;
    private long logStartOffset; // raised by deleteRecordsBefore; the oldest segment may start lower
    private final LogReader reader = new LogReader(this);

    private boolean closed;
    private IOException offline;

    /** A log over segments already open, at least one, the newest last and held for appends. */
    public LocalLog(Path dir, TopicConfig config, Clock clock, DiskFile.Opener opener, List<Segment> loaded,
                    long logStartOffset, Events events) {
        this.dir = dir;
        this.applied = AppliedConfig.of(config);
        this.clock = clock;
        this.opener = opener;
        this.events = events;
        this.segments = new LogSegments(loaded);
        this.endOffset = segments.active().nextOffset();
        this.logStartOffset = logStartOffset;
    }

    /** A new, empty log, stamped by the system clock: see {@link #create(Path, String, int, TopicConfig, Clock)}. */
    public static LocalLog create(Path dataDir, String topic, int partition, TopicConfig config) {
        return create(dataDir, topic, partition, config, Clock.systemUTC());
    }

    /**
     * A new, empty log for partition {@code partition} of {@code topic} under {@code dataDir}: one segment, at
     * offset 0. A directory that holds segments already is refused: opening what a log left behind, perhaps
     * after a crash, is the job of lesson 9's {@code FileLog}.
     */
    public static LocalLog create(Path dataDir, String topic, int partition, TopicConfig config, Clock clock) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        Path dir = PartitionDirectory.resolve(dataDir, topic, partition);
        try {
            Files.createDirectories(dir);
            List<Long> found = PartitionDirectory.segmentBaseOffsets(dir);
            if (!found.isEmpty()) {
                throw new IllegalStateException(dir + " holds " + found.size() + " segment(s) already: a LocalLog"
                        + " only starts new logs; FileLog.open (lesson 9) opens one that exists");
            }
            Segment first = Segment.create(dir, 0, config.indexIntervalBytes(), DiskFile.Opener.DEFAULT);
            try {
                first.holdForAppends();
            } catch (IOException e) {
                DiskFile.closeQuietly(first, e);
                throw e;
            }
            return new LocalLog(dir, config, clock, DiskFile.Opener.DEFAULT, List.of(first), 0, Events.NONE);
        } catch (IOException e) {
            throw PartitionDirectory.failure("cannot create a log in", dir, e);
        }
    }

    // tag::append[]
    @Override
    public long appendAll(List<Record> records) {
        return appendRecords(records).first();
    }

    /** As {@link #appendAll}, saying where the append ended too. */
    public Appended appendRecords(List<Record> records) {
        Objects.requireNonNull(records, "a batch must not be null");
        records.forEach(record -> Objects.requireNonNull(record, "a record must not be null"));
        return append(first -> PreparedAppend.encode(records, first, rules()));
    }

    /**
     * Appends record batches a producer already encoded (Kafka's RecordBatch v2, any codec), from the
     * buffer's position to its limit: the broker's way, where the producer serialises and the log only
     * checks each batch and the rules, and writes its offsets (and, with LogAppendTime, its clock) into
     * the batches. The bytes are written as they came.
     */
    public Appended appendBatches(ByteBuffer batches) {
        Objects.requireNonNull(batches, "batches must not be null");
        return append(first -> PreparedAppend.ofClient(batches, first, rules(), clock.millis(),
                config().logAppendTime()));
    }

    private Appended append(LongFunction<PreparedAppend> encoder) {
        lock.lock();
        try {
            requireOpen();
            long first = endOffset;
            PreparedAppend prepared = encoder.apply(first);
            if (shouldRoll(prepared)) {
                rollActive();
            }
            try {
                segments.active().append(prepared);
            } catch (IOException e) {
                throw goOffline("a write failed", e);
            }
            endOffset += prepared.count();
            events.written(endOffset);
            return new Appended(first, endOffset);
        } finally {
            lock.unlock();
        }
    }
    // end::append[]

    // tag::roll[]
    /**
     * Roll before a batch would take the active segment past segment.bytes, or when the batch is stamped
     * segment.ms or more after the segment's first record. Like Kafka, the age is measured in record time,
     * not by the clock, so a burst of old records does not roll a segment per append. A segment whose first
     * batch has no time (-1) rolls by size alone; Kafka counts its age from when the segment was made.
     */
    private boolean shouldRoll(PreparedAppend prepared) {
        Segment active = segments.active();
        if (active.isEmpty()) {
            return false; // a batch larger than a segment still goes somewhere: into a segment of its own
        }
        return active.size() + prepared.sizeInBytes() > config().segmentBytes()
                || active.firstTimestamp() >= 0 && prepared.maxTimestamp() - active.firstTimestamp() >= config().segmentMs()
                || endOffset - active.baseOffset() >= Integer.MAX_VALUE; // relative offsets are 4 bytes
    }

    /** Seals the active segment (flushed, indexes and all), starts a new one, and says where it starts. */
    public void rollActive() {
        try {
            segments.active().seal();
            Segment next = Segment.create(dir, endOffset, config().indexIntervalBytes(), opener);
            try {
                next.holdForAppends();
            } catch (IOException e) {
                DiskFile.closeQuietly(next, e);
                throw e;
            }
            segments.roll(next);
            events.rolled(endOffset);
        } catch (IOException e) {
            throw goOffline("rolling to a new segment failed", e);
        }
    }
    // end::roll[]

    /** Seals the active segment now, if it holds anything, so the next append starts a new one. */
    public void roll() {
        lock.lock();
        try {
            requireOpen();
            if (!segments.active().isEmpty()) {
                rollActive();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Reads the log's own state under its lock. */
    public <T> T locked(Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public LogReader reader() {
        return reader;
    }

    /** The bytes of record batches the log holds: its segments' {@code .log} files. */
    public long sizeInBytes() {
        return locked(segments::bytes);
    }

    /** Forces every appended record to disk now. */
    public void flush() {
        lock.lock();
        try {
            requireOpen();
            segments.active().flush();
        } catch (IOException e) {
            throw goOffline("fsync failed", e);
        } finally {
            lock.unlock();
        }
    }

    /** Flushes everything and closes every file. */
    @Override
    public void close() {
        IOException failed = close(() -> null);
        if (failed != null) {
            throw failure("cannot close cleanly:", failed);
        }
    }

    /**
     * Closes, once: unless the log is offline, flushes the active segment and then runs {@code flushed} (a
     * durable log checkpoints there); closes every file even if that fails. Returns the first failure, or null.
     * Closed already: returns null and does nothing.
     */
    public IOException close(DiskFile.IoWork<Void> flushed) {
        lock.lock();
        try {
            if (closed) {
                return null;
            }
            closed = true;
            IOException failed = null;
            if (offline == null) {
                try {
                    segments.active().flush();
                    flushed.run();
                } catch (IOException e) {
                    offline = e;
                    failed = e;
                }
            }
            return segments.closeAll(failed);
        } finally {
            lock.unlock();
        }
    }

    /** Closes every file without a flush, as a killed process leaves them; returns the first failure, or null. */
    public IOException abandon() {
        lock.lock();
        try {
            closed = true;
            return segments.closeAll(null);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long earliest() {
        return locked(() -> Math.max(segments.byBase().firstKey(), logStartOffset));
    }

    @Override
    public long endOffset() {
        return locked(() -> endOffset);
    }

    /** The segments, oldest first. */
    public List<SegmentInfo> segments() {
        return locked(segments::infos);
    }

    public Path directory() {
        return dir;
    }

    @Override
    public TopicConfig config() {
        return applied.config();
    }

    private RecordRules rules() {
        return applied.rules();
    }

    /** The next append, roll and read obey {@code newConfig}. */
    @Override
    public void reconfigure(TopicConfig newConfig) {
        AppliedConfig next = AppliedConfig.of(newConfig);
        lock.lock();
        try {
            requireOpen();
            applied = next;
        } finally {
            lock.unlock();
        }
    }

    public void requireOpen() {
        if (offline != null) {
            throw new KafkaStorageException("the log in " + dir + " is offline after a failed write or fsync ("
                    + PartitionDirectory.describe(offline) + "): close it and open it again to recover", offline);
        }
        if (closed) {
            throw new IllegalStateException("the log in " + dir + " is closed");
        }
    }

    public boolean isClosed() {
        return locked(() -> closed);
    }

    /** Why the log went offline, or null. Only under the lock. */
    public IOException offline() {
        return offline;
    }

    /**
     * A failed write or fsync leaves the files in an unknown state: refuse everything until a reopen
     * recovers them, as Kafka takes a whole log directory offline on an I/O error. Call with the lock held.
     */
    private UncheckedIOException goOffline(String what, IOException e) {
        if (offline == null) {
            offline = e;
        }
        return failure(what + "; the log is offline until reopened:", e);
    }

    /** As {@link #goOffline}, taking the lock: for a force that failed outside it. */
    public void goOfflineAfter(String what, IOException e) {
        lock.lock();
        try {
            goOffline(what, e);
        } finally {
            lock.unlock();
        }
    }

    UncheckedIOException failure(String what, IOException e) {
        return PartitionDirectory.failure(what, dir, e);
    }

    // LogReader, Retention and SegmentSwap work on the segments through these, holding the log's lock.

    /** Runs {@code work} holding the log's lock: the segments below are only to be touched so. */
    public <T> T underLock(DiskFile.IoWork<T> work) throws IOException {
        lock.lock();
        try {
            return work.run();
        } finally {
            lock.unlock();
        }
    }

    /** As {@link #underLock}, on an open log only. */
    <T> T underLockOpen(DiskFile.IoWork<T> work) throws IOException {
        return underLock(() -> {
            requireOpen();
            return work.run();
        });
    }

    /** The segments by base offset, the active one last. Only under the lock. */
    public TreeMap<Long, Segment> segmentsByBase() {
        return segments.byBase();
    }

    public Segment activeSegment() {
        return segments.active();
    }

    /** Only under the lock. */
    public long logStartOffset() {
        return logStartOffset;
    }

    /** Only under the lock, once the log start offset checkpoint says so. */
    public void logStartOffset(long offset) {
        logStartOffset = offset;
    }

    /**
     * Takes {@code old} out of the log and puts {@code replacement} in. Readers may still be reading {@code old},
     * so it is left open: closing it is the caller's, once they are done.
     */
    public void replaceSegments(List<Segment> old, Segment replacement) {
        locked(() -> {
            segments.replace(old, replacement);
            return null;
        });
    }

    Clock clock() {
        return clock;
    }

    public DiskFile.Opener opener() {
        return opener;
    }

    @Override
    public String toString() {
        return locked(() -> {
            String held = endOffset == earliest() ? "no records, next offset " + endOffset
                    : "offsets " + earliest() + ".." + (endOffset - 1);
            return "LocalLog[" + dir.getFileName() + ": " + held + ", " + segments.byBase().size() + " segment(s)]";
        });
    }
}

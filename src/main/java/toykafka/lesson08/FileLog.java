package toykafka.lesson08;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import toykafka.archive.Archive;
import toykafka.common.KafkaStorageException;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.OffsetRecord;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.RecordLog;
import toykafka.common.RecordRules;
import toykafka.common.TopicConfig;

/**
 * A partition's log on disk: a directory of segments, each a {@code .log} of checked batches with a sparse
 * {@code .index} and {@code .timeindex}. Appends go to the newest segment, which rolls at a size and an
 * age; retention deletes whole segments from the old end, archiving their records first; opening after a
 * crash recovers. Thread-safe: one lock guards the segments, and a durable append waits for its fsync
 * outside it, so appenders can share fsyncs. A failed write or fsync takes the log offline until it is
 * opened again, and an interrupted thread never disturbs it (see {@link DiskFile}). Kafka's {@code UnifiedLog}:
 * the partition's public face, with reads in {@link LogReader}, opening in {@link Recovery}, removing old
 * records in {@link Retention}, and fsyncs and the recovery point in {@link LogFlushing}.
 */
public final class FileLog implements RecordLog {

    private final Path dir;
    private volatile TopicConfig config; // swapped whole by reconfigure(), read without the lock
    private final Clock clock;
    private final Retention.Archiving archiving;
    private volatile RecordRules rules;
    private final RecoveryReport recovery;
    private final LogFlushing flushing;
    private final DiskFile.Opener opener;
    private final DirectoryClaim claim; // the directory's lock and clean-shutdown marker: the log's own, or its owner's

    private final ReentrantLock lock = new ReentrantLock();
    private final ReentrantLock removals = new ReentrantLock(); // one pass that removes records at a time
    private final LogSegments segments;
    private long endOffset;
    private long logStartOffset; // raised by deleteRecordsBefore; the oldest segment may start lower
    private final LogReader reader = new LogReader(this);

    private boolean closed;
    private boolean crashed;
    private IOException offline;

    private FileLog(Path dir, String topic, int partition, TopicConfig config, Clock clock, Archive archive,
                    DiskFile.Opener opener, DataDirectoryOwner owner) throws IOException {
        this.dir = dir;
        this.config = config;
        this.rules = RecordRules.of(config);
        this.clock = clock;
        this.archiving = new Retention.Archiving(topic, partition, archive, clock);
        this.opener = opener;
        Files.createDirectories(dir);
        this.claim = DirectoryClaim.take(dir, owner);
        Recovery.Result loaded;
        try {
            loaded = Recovery.load(dir, config.indexIntervalBytes(), opener, claim.trustsSegments());
        } catch (IOException | RuntimeException e) {
            claim.release(e);
            throw e;
        }
        this.segments = new LogSegments(loaded.segments());
        this.recovery = loaded.report();
        this.endOffset = segments.active().nextOffset();
        this.logStartOffset = loaded.logStartOffset();
        this.flushing = new LogFlushing(this, dir, Durability.of(config), endOffset, loaded.recoveryPoint());
        try {
            segments.active().holdForAppends();
            Retention.deleteSegmentsBelowStart(this); // left behind if the process stopped in deleteRecordsBefore
        } catch (IOException | RuntimeException e) {
            segments.closeAll(e); // a log that does not open leaves no file open
            claim.release(e);
            throw e;
        }
        flushing.start();
    }

    /** Opens (creating if need be) partition {@code partition} of {@code topic} under {@code dataDir}. */
    public static FileLog open(Path dataDir, String topic, int partition, TopicConfig config) {
        return open(dataDir, topic, partition, config, Clock.systemUTC(), Archive.discard());
    }

    /**
     * Opens a partition's log with a clock (for rolling and retention) and an archive that receives every
     * record retention deletes, before it is deleted.
     */
    public static FileLog open(Path dataDir, String topic, int partition, TopicConfig config, Clock clock,
                               Archive archive) {
        return open(dataDir, topic, partition, config, clock, archive, DiskFile.Opener.DEFAULT);
    }

    /** Opens the log with its files opened by {@code opener}: tests pass one whose fsync can fail. */
    static FileLog open(Path dataDir, String topic, int partition, TopicConfig config, Clock clock,
                        Archive archive, DiskFile.Opener opener) {
        return open(dataDir, topic, partition, config, clock, archive, opener, null);
    }

    /**
     * Opens the log for an owner of the whole data directory (the broker's storage, which holds its lock):
     * the partition's own {@code .lock} is checked, not held, the files are kept within the owner's bound, and
     * the owner's clean-shutdown marker stands for the log's own.
     */
    public static FileLog openOwned(Path dataDir, String topic, int partition, TopicConfig config, Clock clock,
                                    Archive archive, OpenFiles bound, DataDirectoryOwner owner) {
        return open(dataDir, topic, partition, config, clock, archive, DiskFile.Opener.DEFAULT.within(bound),
                Objects.requireNonNull(owner, "owner"));
    }

    private static FileLog open(Path dataDir, String topic, int partition, TopicConfig config, Clock clock,
                                Archive archive, DiskFile.Opener opener, DataDirectoryOwner owner) {
        Path dir = PartitionDirectory.resolve(dataDir, topic, partition);
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(archive, "archive");
        try {
            return DiskFile.uninterruptibly(() -> new FileLog(dir, topic, partition, config, clock, archive, opener,
                    owner));
        } catch (IOException e) {
            throw PartitionDirectory.failure("cannot open the log in", dir, e);
        }
    }

    // tag::append[]
    @Override
    public long appendAll(List<Record> records) {
        Objects.requireNonNull(records, "a batch must not be null");
        records.forEach(record -> Objects.requireNonNull(record, "a record must not be null"));
        return append(first -> PreparedAppend.encode(records, first, rules));
    }

    /**
     * Appends record batches a producer already encoded (Kafka's RecordBatch v2, any codec), from the
     * buffer's position to its limit: the broker's way, where the producer serialises and the log only
     * checks each batch and the rules, and writes its offsets (and, with LogAppendTime, its clock) into
     * the batches. The bytes are written as they came. Returns the first offset.
     */
    public long appendBatches(ByteBuffer batches) {
        Objects.requireNonNull(batches, "batches must not be null");
        return append(first -> PreparedAppend.ofClient(batches, first, rules, clock.millis(),
                config.logAppendTime()));
    }

    private long append(LongFunction<PreparedAppend> encoder) {
        long first;
        long end;
        lock.lock();
        try {
            requireOpen();
            first = endOffset;
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
            end = endOffset;
            flushing.written(end);
        } finally {
            lock.unlock();
        }
        flushing.afterAppend(end); // with fsync per append, waits here, outside the lock, sharing fsyncs
        return first;
    }
    // end::append[]

    // tag::roll[]
    /**
     * Roll before a batch would take the active segment past segment.bytes, or when the batch is stamped
     * segment.ms or more after the segment's first record. Like Kafka, the age is measured in record time,
     * not by the clock, so a burst of old records does not roll a segment per append.
     */
    private boolean shouldRoll(PreparedAppend prepared) {
        Segment active = segments.active();
        if (active.isEmpty()) {
            return false; // a batch larger than a segment still goes somewhere: into a segment of its own
        }
        return active.size() + prepared.sizeInBytes() > config.segmentBytes()
                || prepared.maxTimestamp() - active.firstTimestamp() >= config.segmentMs()
                || endOffset - active.baseOffset() >= Integer.MAX_VALUE; // relative offsets are 4 bytes
    }

    /** Seals the active segment (flushed, indexes and all), starts a new one and moves the recovery point. */
    void rollActive() {
        try {
            segments.active().seal();
            Segment next = Segment.create(dir, endOffset, config.indexIntervalBytes(), opener);
            try {
                next.holdForAppends();
            } catch (IOException e) {
                DiskFile.closeQuietly(next, e);
                throw e;
            }
            segments.roll(next);
            flushing.checkpoint(endOffset);
        } catch (IOException e) {
            throw goOffline("rolling to a new segment failed", e);
        }
    }
    // end::roll[]

    /**
     * Seals the active segment now, if it holds anything, so the next append starts a new one: Kafka's
     * {@code UnifiedLog.roll()}. Tests of the cleaner use it to put segment boundaries at chosen offsets.
     */
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
    <T> T locked(Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    // The reads are LogReader's: it holds the lock only to find where a read starts.

    /**
     * The record at an offset. As in lesson 6, an offset the cleaner removed is not held: reading it fails
     * and names the next offset that is, which {@link #readBatch} starts from.
     */
    @Override
    public Record read(long offsetOrIndex) {
        return reader.read(offsetOrIndex);
    }

    @Override
    public List<Record> readBatch(long fromOffset, int maxRecords) {
        return readBatchWithOffsets(fromOffset, maxRecords).stream().map(OffsetRecord::record).toList();
    }

    /** Records with their offsets, which skip the gaps the cleaner leaves; empty only at the end offset. */
    @Override
    public List<OffsetRecord> readBatchWithOffsets(long fromOffset, int maxRecords) {
        return reader.readBatchWithOffsets(fromOffset, maxRecords);
    }

    /**
     * Whole, checked record batches from the one holding {@code fromOffset} on, as they lie on disk, as many
     * as fit in {@code into} (at least one) and never past the end of a segment: what a broker sends a
     * consumer. The result may be a view of {@code into}: read it before the next fetch.
     */
    public FetchedBatches fetch(long fromOffset, ByteBuffer into) {
        return reader.fetch(fromOffset, into);
    }

    /** What {@link #transferTo} sent: how many bytes, and the offset the next fetch starts from. */
    public record Sent(long bytes, long nextOffset) {
    }

    /**
     * Kafka's zero-copy fetch: sends the stored batches from the one that holds {@code fromOffset}, whole,
     * at most {@code maxBytes} (but always the first), straight from the file to {@code target}.
     */
    public Sent transferTo(long fromOffset, int maxBytes, WritableByteChannel target) {
        return reader.transferTo(fromOffset, maxBytes, target);
    }

    /**
     * What {@link #transferTo} would send, found under the log's lock but not sent: for a sender that cannot
     * wait, a non-blocking socket, which calls {@link FileSlice#transferOnce} as the socket takes more.
     */
    public FileSlice slice(long fromOffset, int maxBytes) {
        return reader.slice(fromOffset, maxBytes);
    }

    /** A slice's batches read into {@code into} (which holds its bytes), checked: {@link #fetch} for a slice. */
    public FetchedBatches read(FileSlice slice, long fromOffset, ByteBuffer into) {
        return reader.read(slice, fromOffset, into);
    }

    /** How many records a slice's batches hold, by their headers. */
    public long recordsIn(FileSlice slice) {
        return reader.recordsIn(slice);
    }

    /** Where the record with this offset (or negative index) lies: segment, index entry, byte position. */
    public Location locate(long offsetOrIndex) {
        return reader.locate(offsetOrIndex);
    }

    @Override
    public OptionalLong offsetForTime(Instant time) {
        return reader.offsetForTime(time);
    }

    /** The bytes of record batches the log holds: its segments' {@code .log} files (Kafka's {@code UnifiedLog.size}). */
    public long sizeInBytes() {
        return locked(segments::bytes);
    }

    /** The record with the largest timestamp, the first if several share it: ListOffsets' MAX_TIMESTAMP (-3). */
    public Optional<OffsetRecord> recordWithMaxTimestamp() {
        return reader.recordWithMaxTimestamp();
    }

    /**
     * Deletes the segments retention no longer keeps, oldest first, each only after its records are in the
     * archive; returns what was deleted. Kafka's {@code UnifiedLog.deleteOldSegments}: see {@link Retention#apply}.
     */
    public List<SegmentInfo> applyRetention() {
        return Retention.apply(this);
    }

    /**
     * Moves the log start offset up to {@code before}, as Kafka's {@code Admin.deleteRecords} does, and returns
     * it; from then on, also after a restart, reads below it are refused. See {@link Retention#deleteRecordsBefore}.
     *
     * @throws OffsetOutOfRangeException if {@code before} is negative or past the end offset
     */
    public long deleteRecordsBefore(long before) {
        return Retention.deleteRecordsBefore(this, before);
    }

    /** Forces every appended record to disk now, whatever the durability policy. */
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

    /** What a force of the log now covers: the active segment, or none once a clean close flushed it. */
    record Unforced(Segment segment, long end) {
    }

    // tag::unforced[]
    /** For {@link LogFlushing}, under the lock: what is written and not yet forced, unless nothing can be. */
    Unforced unforced() throws IOException {
        if (offline != null || crashed) {
            throw new IOException("the log in " + dir + " is " + (crashed ? "stopped without a clean shutdown"
                    : "offline after " + PartitionDirectory.describe(offline)));
        }
        return new Unforced(closed ? null : segments.active(), endOffset);
    }
    // end::unforced[]

    // tag::close[]
    /** Flushes everything, checkpoints the end offset and leaves the clean-shutdown marker; closes every file. */
    @Override
    public void close() {
        flushing.close();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            IOException failed = null;
            if (offline == null) {
                try {
                    segments.active().flush();
                    flushing.checkpoint(endOffset);
                    claim.markCleanShutdown();
                } catch (IOException e) {
                    offline = e; // no marker: the next open recovers as after a crash
                    failed = e;
                }
            }
            failed = segments.closeAll(failed); // even if some fail
            failed = claim.release(failed); // lets go of the directory's lock
            claim.closed(failed == null);
            if (failed != null) {
                throw failure("cannot close cleanly; the next open recovers the log:", failed);
            }
        } finally {
            lock.unlock();
        }
    }
    // end::close[]

    /**
     * Stops the way a killed process does: no flush, no checkpoint, no marker. The page cache keeps what
     * was written, as it would after {@code kill -9}. For demos and drills of recovery.
     */
    public void simulateCrash() {
        flushing.close();
        lock.lock();
        try {
            closed = true;
            crashed = true;
            IOException failed = claim.release(segments.closeAll(null)); // a dead process holds no lock
            if (failed != null) {
                throw failure("cannot close", failed);
            }
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

    /** How many fsyncs fsync-per-append has made so far: fewer than appends when appenders shared them. */
    public long fsyncs() {
        return flushing.fsyncs();
    }

    /** Whether a failed write or fsync has taken the log offline. */
    boolean isOffline() {
        return locked(() -> offline != null);
    }

    /** What opening the log found: a clean shutdown, or what recovery scanned and cut. */
    public RecoveryReport recoveryReport() {
        return recovery;
    }

    public Path directory() {
        return dir;
    }

    @Override
    public TopicConfig config() {
        return config;
    }

    /**
     * Takes a new config, as Kafka's log does when its topic's config is altered: the next append, roll and
     * retention pass obey it. A new flush policy replaces the flusher; appends already waiting on the old
     * one still get their fsync.
     */
    @Override
    public void reconfigure(TopicConfig newConfig) {
        Objects.requireNonNull(newConfig, "a config must not be null: TopicConfig.defaults() has Kafka's");
        Flusher retired = null;
        lock.lock();
        try {
            requireOpen();
            config = newConfig;
            rules = RecordRules.of(newConfig);
            retired = flushing.adopt(Durability.of(newConfig));
        } finally {
            lock.unlock();
        }
        if (retired != null) {
            retired.close();
        }
    }

    void requireOpen() {
        if (offline != null) {
            throw new KafkaStorageException("the log in " + dir + " is offline after a failed write or fsync ("
                    + PartitionDirectory.describe(offline) + "): close it and open it again to recover", offline);
        }
        if (closed) {
            throw new IllegalStateException("the log in " + dir + " is closed");
        }
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
    void goOfflineAfter(String what, IOException e) {
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
    <T> T underLock(DiskFile.IoWork<T> work) throws IOException {
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

    /** Held by each pass that removes records (retention, deleteRecordsBefore, cleaning): one at a time. */
    ReentrantLock removals() {
        return removals;
    }

    /** The segments by base offset, the active one last. Only under the lock. */
    TreeMap<Long, Segment> segmentsByBase() {
        return segments.byBase();
    }

    Segment activeSegment() {
        return segments.active();
    }

    long logStartOffset() {
        return logStartOffset;
    }

    /** Only under the lock, once the log start offset checkpoint says so. */
    void logStartOffset(long offset) {
        logStartOffset = offset;
    }

    /** Moves the recovery point up to {@code offset} if it is below. Only under the lock. */
    void recoveryPointAtLeast(long offset) throws IOException {
        flushing.checkpointAtLeast(offset);
    }

    /** For {@link SegmentSwap}: takes {@code old} out of the log and puts {@code replacement} in ({@link LogSegments#replace}). */
    void replaceSegments(List<Segment> old, Segment replacement) {
        segments.closeRetiredDue();
        locked(() -> {
            segments.replace(old, replacement);
            return null;
        });
    }

    /** Where retention sends the records it removes, named by topic and partition, stamped by the clock. */
    Retention.Archiving archiving() {
        return archiving;
    }

    DiskFile.Opener opener() {
        return opener;
    }

    @Override
    public String toString() {
        return locked(() -> {
            String held = endOffset == earliest() ? "no records, next offset " + endOffset
                    : "offsets " + earliest() + ".." + (endOffset - 1);
            return "FileLog[" + dir.getFileName() + ": " + held + ", " + segments.byBase().size() + " segment(s)]";
        });
    }
}

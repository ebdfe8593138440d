package toykafka.lesson09;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import toykafka.archive.Archive;
import toykafka.common.Failures;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.Record;
import toykafka.common.TopicConfig;
import toykafka.lesson08.ChannelKeeper;
import toykafka.lesson08.DiskFile;
import toykafka.lesson08.LocalLog;
import toykafka.lesson08.LogReader;
import toykafka.lesson08.PartitionDirectory;
import toykafka.lesson08.Segment;
import toykafka.lesson08.SegmentInfo;

/**
 * A partition's log on disk, kept: its {@link LocalLog} of segments, opened by {@link Recovery} (which trusts
 * the files after a clean shutdown and scans them after a crash), forced to disk as the topic's
 * {@link Durability} asks ({@link LogFlushing}), and trimmed from the old end by {@link Retention}, which
 * archives each record first. Thread-safe: the local log's lock guards the segments, and a durable append
 * waits for its fsync outside it, so appenders can share fsyncs. A failed write or fsync takes the log
 * offline until it is opened again, and an interrupted thread never disturbs it (see {@link DiskFile}).
 * Kafka's {@code UnifiedLog}: the partition's public face.
 */
public final class FileLog implements LogReader.Reads {

    private final Path dir;
    private final Retention.Archiving archiving;
    private final RecoveryReport recovery;
    private final LogFlushing flushing;
    private final DirectoryClaim claim; // the directory's lock and clean-shutdown marker: the log's own, or its owner's
    private final LocalLog local;
    private final ReentrantLock removals = new ReentrantLock(); // one pass that removes records at a time
    private final RetiredSegments retired = new RetiredSegments(); // swapped out, open while readers may read them
    private volatile boolean crashed;

    // tag::open[]
    private FileLog(Path dir, String topic, int partition, TopicConfig config, Clock clock, Archive archive,
                    DiskFile.Opener opener, DataDirectoryOwner owner) throws IOException {
        this.dir = dir;
        this.archiving = new Retention.Archiving(topic, partition, archive, clock);
        Files.createDirectories(dir);
        this.claim = DirectoryClaim.take(dir, owner);
        Recovery.Result loaded;
        try {
            loaded = Recovery.load(dir, config.indexIntervalBytes(), opener, claim.trustsSegments());
        } catch (IOException | RuntimeException e) {
            claim.release(e);
            throw e;
        }
        this.recovery = loaded.report();
        List<Segment> segments = loaded.segments();
        long end = segments.get(segments.size() - 1).nextOffset();
        this.flushing = new LogFlushing(this, dir, Durability.of(config), end, loaded.recoveryPoint());
        this.local = new LocalLog(dir, config, clock, opener, segments, loaded.logStartOffset(), new LocalLog.Events() {
            @Override
            public void written(long end) {
                flushing.written(end);
            }

            @Override
            public void rolled(long base) throws IOException {
                flushing.checkpoint(base);
            }
        });
        try {
            local.activeSegment().holdForAppends();
            Retention.deleteSegmentsBelowStart(this); // left behind if the process stopped in deleteRecordsBefore
        } catch (IOException | RuntimeException e) {
            local.abandon(); // a log that does not open leaves no file open
            claim.release(e);
            throw e;
        }
        flushing.start();
    }
    // end::open[]

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
    public static FileLog open(Path dataDir, String topic, int partition, TopicConfig config, Clock clock,
                               Archive archive, DiskFile.Opener opener) {
        return open(dataDir, topic, partition, config, clock, archive, opener, null);
    }

    /**
     * Opens the log for an owner of the whole data directory (the broker's storage, which holds its lock):
     * the partition's own {@code .lock} is checked, not held, the files are kept within the owner's bound, and
     * the owner's clean-shutdown marker stands for the log's own.
     */
    public static FileLog openOwned(Path dataDir, String topic, int partition, TopicConfig config, Clock clock,
                                    Archive archive, ChannelKeeper bound, DataDirectoryOwner owner) {
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

    /** Appends as {@link LocalLog} does, then waits, outside its lock, for the fsync the durability policy asks. */
    @Override
    public long appendAll(List<Record> records) {
        LocalLog.Appended appended = local.appendRecords(records);
        flushing.afterAppend(appended.end()); // with fsync per append, waits here, sharing fsyncs
        return appended.first();
    }

    /**
     * Appends record batches a producer already encoded (Kafka's RecordBatch v2, any codec), as
     * {@link LocalLog#appendBatches} does, and returns the first offset.
     */
    public long appendBatches(ByteBuffer batches) {
        LocalLog.Appended appended = local.appendBatches(batches);
        flushing.afterAppend(appended.end());
        return appended.first();
    }

    /**
     * Seals the active segment now, if it holds anything, so the next append starts a new one: Kafka's
     * {@code UnifiedLog.roll()}. Tests of the cleaner use it to put segment boundaries at chosen offsets.
     */
    public void roll() {
        local.roll();
    }

    /** Reads go straight to the local log's reader: only appends wait on the durability policy. */
    @Override
    public LogReader reader() {
        return local.reader();
    }

    /** The bytes of record batches the log holds: its segments' {@code .log} files (Kafka's {@code UnifiedLog.size}). */
    public long sizeInBytes() {
        return local.sizeInBytes();
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
        local.flush();
    }

    /** What a force of the log now covers: the active segment, or none once a clean close flushed it. */
    record Unforced(Segment segment, long end) {
    }

    // tag::unforced[]
    /** For {@link LogFlushing}: what is written and not yet forced, unless nothing can be. */
    Unforced unforced() throws IOException {
        return local.underLock(() -> {
            IOException offline = local.offline();
            if (offline != null || crashed) {
                throw new IOException("the log in " + dir + " is " + (crashed ? "stopped without a clean shutdown"
                        : "offline after " + PartitionDirectory.describe(offline)));
            }
            return new Unforced(local.isClosed() ? null : local.activeSegment(), local.endOffset());
        });
    }
    // end::unforced[]

    // tag::close[]
    /** Flushes everything, checkpoints the end offset and leaves the clean-shutdown marker; closes every file. */
    @Override
    public void close() {
        flushing.close();
        synchronized (claim) { // one close, or one simulated crash, at a time
            if (local.isClosed()) {
                return;
            }
            IOException failed = local.close(() -> {
                flushing.checkpoint(local.endOffset());
                claim.markCleanShutdown();
                return null;
            }); // if that fails, there is no marker: the next open recovers as after a crash
            failed = Failures.closeAll(retired.takeAll(), failed);
            failed = claim.release(failed); // lets go of the directory's lock
            claim.closed(failed == null);
            if (failed != null) {
                throw failure("cannot close cleanly; the next open recovers the log:", failed);
            }
        }
    }
    // end::close[]

    /**
     * Stops the way a killed process does: no flush, no checkpoint, no marker. The page cache keeps what
     * was written, as it would after {@code kill -9}. For demos and drills of recovery.
     */
    public void simulateCrash() {
        flushing.close();
        synchronized (claim) {
            crashed = true;
            IOException failed = claim.release(Failures.closeAll(retired.takeAll(), local.abandon())); // a dead process holds no lock
            if (failed != null) {
                throw failure("cannot close", failed);
            }
        }
    }

    @Override
    public long earliest() {
        return local.earliest();
    }

    @Override
    public long endOffset() {
        return local.endOffset();
    }

    /** The segments, oldest first. */
    public List<SegmentInfo> segments() {
        return local.segments();
    }

    /** How many fsyncs fsync-per-append has made so far: fewer than appends when appenders shared them. */
    public long fsyncs() {
        return flushing.fsyncs();
    }

    /** Whether a failed write or fsync has taken the log offline. */
    public boolean isOffline() {
        return local.locked(() -> local.offline() != null);
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
        return local.config();
    }

    /**
     * Takes a new config, as Kafka's log does when its topic's config is altered: the next append, roll and
     * retention pass obey it. A new flush policy replaces the flusher; appends already waiting on the old
     * one still get their fsync.
     */
    @Override
    public void reconfigure(TopicConfig newConfig) {
        Flusher retired;
        try {
            retired = local.underLock(() -> {
                local.reconfigure(newConfig); // the lock is reentrant: the policy changes with the config
                return flushing.adopt(Durability.of(newConfig));
            });
        } catch (IOException e) {
            throw failure("cannot reconfigure", e);
        }
        if (retired != null) {
            retired.close();
        }
    }

    /** The segments, the lock and the offsets, for the classes that keep this log: retention, the swap, flushing. */
    LocalLog local() {
        return local;
    }

    UncheckedIOException failure(String what, IOException e) {
        return PartitionDirectory.failure(what, dir, e);
    }

    /** For {@link SegmentSwap}: puts {@code replacement} in place of {@code old}, which stays open a while for readers. */
    void replaceSegments(List<Segment> old, Segment replacement) {
        retired.closeDue();
        local.replaceSegments(old, replacement);
        retired.add(old);
    }

    /** Held by each pass that removes records (retention, deleteRecordsBefore, cleaning): one at a time. */
    ReentrantLock removals() {
        return removals;
    }

    /** Moves the recovery point up to {@code offset} if it is below. Only under the lock. */
    void recoveryPointAtLeast(long offset) throws IOException {
        flushing.checkpointAtLeast(offset);
    }

    /** Where retention sends the records it removes, named by topic and partition, stamped by the clock. */
    Retention.Archiving archiving() {
        return archiving;
    }

    @Override
    public String toString() {
        return local.toString().replace("LocalLog[", "FileLog[");
    }
}

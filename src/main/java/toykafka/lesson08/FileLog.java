package toykafka.lesson08;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;
import toykafka.archive.Archive;
import toykafka.lesson01.OffsetOutOfRangeException;
import toykafka.lesson04.Record;

/**
 * A partition's log on disk: a directory of segments, each a {@code .log} of checked frames with a sparse
 * {@code .index} and {@code .timeindex}. Appends go to the newest segment, which rolls at a size and an
 * age; retention deletes whole segments from the old end, archiving their records first; opening after a
 * crash recovers. Thread-safe: one lock guards the segments, and a durable append waits for its fsync
 * outside it, so appenders can share fsyncs.
 */
public final class FileLog implements RecordLog {

    private final Path dir;
    private final String topic;
    private final int partition;
    private final FileLogConfig config;
    private final Clock clock;
    private final Archive archive;
    private final RecoveryReport recovery;
    private final Flusher flusher;

    private final ReentrantLock lock = new ReentrantLock();
    private volatile long writtenEnd; // endOffset, readable without the lock, for group commit
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private Segment active;
    private long endOffset;
    private long recoveryPoint;
    private ByteBuffer writeBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private ByteBuffer readBuffer = ByteBuffer.allocateDirect(16 * 1024);
    private ByteBuffer batchBuffer;
    private boolean closed;
    private boolean crashed;
    private IOException offline;

    private FileLog(Path dir, String topic, int partition, FileLogConfig config, Clock clock, Archive archive)
            throws IOException {
        this.dir = dir;
        this.topic = topic;
        this.partition = partition;
        this.config = config;
        this.clock = clock;
        this.archive = archive;
        Files.createDirectories(dir);
        Recovery.Result loaded = Recovery.load(dir, config.indexIntervalBytes());
        loaded.segments().forEach(segment -> segments.put(segment.baseOffset(), segment));
        this.recovery = loaded.report();
        this.active = segments.lastEntry().getValue();
        this.endOffset = active.nextOffset();
        this.writtenEnd = endOffset;
        if (!recovery.cleanShutdown() || !recovery.segmentsScanned().isEmpty()) {
            // everything before the active segment is flushed now: trusted, or just recovered and forced
            writeRecoveryPoint(active.baseOffset());
        } else {
            this.recoveryPoint = PartitionDirectory.readRecoveryPoint(dir);
        }
        this.flusher = Flusher.forPolicy(config.durability(), new Flusher.Target() {
            @Override
            public long forceWritten() throws IOException {
                return FileLog.this.forceWritten();
            }

            @Override
            public long writtenEnd() {
                return writtenEnd;
            }
        });
    }

    /** Opens (creating if need be) partition {@code partition} of {@code topic} under {@code dataDir}. */
    public static FileLog open(Path dataDir, String topic, int partition, FileLogConfig config) {
        return open(dataDir, topic, partition, config, Clock.systemUTC(), Archive.discard());
    }

    /**
     * Opens a partition's log with a clock (for rolling and retention) and an archive that receives every
     * record retention deletes, before it is deleted.
     */
    public static FileLog open(Path dataDir, String topic, int partition, FileLogConfig config, Clock clock,
                               Archive archive) {
        Path dir = PartitionDirectory.resolve(dataDir, topic, partition);
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(archive, "archive");
        try {
            return new FileLog(dir, topic, partition, config, clock, archive);
        } catch (IOException e) {
            throw PartitionDirectory.failure("cannot open the log in", dir, e);
        }
    }

    // tag::append[]
    @Override
    public long appendAll(List<Record> records) {
        Objects.requireNonNull(records, "a batch must not be null");
        if (records.isEmpty()) {
            throw new IllegalArgumentException("an empty batch has nothing to append");
        }
        records.forEach(record -> Objects.requireNonNull(record, "a record must not be null"));
        return append(first -> {
            Batch batch = Batch.encode(records, first, config.rules(), writeBuffer);
            writeBuffer = batch.frames(); // keep the larger buffer if encoding needed one
            return batch;
        });
    }

    /**
     * Appends frames a producer already encoded ({@link RecordCodec}), from the buffer's position to its
     * limit: the broker's way, as in Kafka, where the producer serialises and the log only checks each
     * frame's CRC and the rules, and writes its offsets into the frames. Returns the first offset.
     */
    public long appendFrames(ByteBuffer frames) {
        Objects.requireNonNull(frames, "frames must not be null");
        return append(first -> Batch.ofFrames(frames, first, config.rules()));
    }

    private long append(LongFunction<Batch> encoder) {
        long first;
        long end;
        lock.lock();
        try {
            requireOpen();
            first = endOffset;
            Batch batch = encoder.apply(first);
            if (shouldRoll(batch)) {
                roll();
            }
            try {
                active.append(batch);
            } catch (IOException e) {
                throw goOffline(e);
            }
            endOffset += batch.count();
            end = endOffset;
            writtenEnd = end;
        } finally {
            lock.unlock();
        }
        flusher.afterAppend(end); // with fsync per append, waits here, outside the lock, sharing fsyncs
        return first;
    }
    // end::append[]

    // tag::roll[]
    /**
     * Roll before a batch would take the active segment past segment.bytes, or when the batch is stamped
     * segment.ms or more after the segment's first record. Like Kafka, the age is measured in record time,
     * not by the clock, so a burst of old records does not roll a segment per append.
     */
    private boolean shouldRoll(Batch batch) {
        if (active.isEmpty()) {
            return false; // a batch larger than a segment still goes somewhere: into a segment of its own
        }
        return active.size() + batch.bytes() > config.segmentBytes()
                || batch.largestTimestamp() - active.firstTimestamp() >= config.segmentMs()
                || endOffset - active.baseOffset() >= Integer.MAX_VALUE; // relative offsets are 4 bytes
    }

    /** Seals the active segment (flushed, indexes and all), starts a new one and moves the recovery point. */
    private void roll() {
        try {
            active.seal();
            Segment next = Segment.create(dir, endOffset, config.indexIntervalBytes());
            segments.put(next.baseOffset(), next);
            active = next;
            writeRecoveryPoint(endOffset);
        } catch (IOException e) {
            throw goOffline(e);
        }
    }
    // end::roll[]

    private void writeRecoveryPoint(long offset) throws IOException {
        PartitionDirectory.writeRecoveryPoint(dir, offset);
        recoveryPoint = offset;
    }

    @Override
    public Record read(long offsetOrIndex) {
        lock.lock();
        try {
            requireOpen();
            long offset = resolve(offsetOrIndex);
            Frames frames = segmentHolding(offset).read(offset, readBuffer);
            return RecordCodec.decode(frames.bytes(), 0);
        } catch (IOException e) {
            throw failure("cannot read offset " + offsetOrIndex + " from", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Record> readBatch(long fromOffset, int maxRecords) {
        if (maxRecords < 1) {
            throw new IllegalArgumentException("a batch holds at least 1 record; maxRecords was " + maxRecords);
        }
        lock.lock();
        try {
            if (batchBuffer == null) {
                batchBuffer = ByteBuffer.allocateDirect(1024 * 1024);
            }
            Frames frames = fetch(fromOffset, batchBuffer);
            return frames.records(maxRecords);
        } finally {
            lock.unlock();
        }
    }

    // tag::fetch[]
    /**
     * Whole, checked records from {@code fromOffset} on, as they lie on disk, as many as fit in
     * {@code into} (at least one) and never past the end of a segment. A broker sends these bytes to a
     * consumer without decoding them. The result may be a view of {@code into}: read it before the next fetch.
     */
    public Frames fetch(long fromOffset, ByteBuffer into) {
        lock.lock();
        try {
            requireOpen();
            if (fromOffset == endOffset) {
                return new Frames(ByteBuffer.allocate(0), fromOffset, 0);
            }
            long offset = resolve(fromOffset);
            return segmentHolding(offset).read(offset, into);
        } catch (IOException e) {
            throw failure("cannot read offset " + fromOffset + " from", e);
        } finally {
            lock.unlock();
        }
    }
    // end::fetch[]

    /** Where the record with this offset (or negative index) lies: segment, index entry, byte position. */
    public Location locate(long offsetOrIndex) {
        lock.lock();
        try {
            requireOpen();
            long offset = resolve(offsetOrIndex);
            Segment segment = segmentHolding(offset);
            return new Location(offset, segment.name(), segment.index().lookup(offset), segment.positionOf(offset));
        } catch (IOException e) {
            throw failure("cannot read from", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public OptionalLong offsetForTime(Instant time) {
        lock.lock();
        try {
            requireOpen();
            for (Segment segment : segments.values()) {
                if (segment.largestTimestamp() >= time.toEpochMilli()) {
                    return segment.offsetForTime(time.toEpochMilli());
                }
            }
            return OptionalLong.empty();
        } catch (IOException e) {
            throw failure("cannot search by time in", e);
        } finally {
            lock.unlock();
        }
    }

    // tag::retention[]
    /**
     * Deletes the segments retention no longer keeps, oldest first, each only after its records are in
     * the archive. Returns what was deleted. If the archive fails, the segment stays and the error says so.
     */
    public List<SegmentInfo> applyRetention() {
        lock.lock();
        try {
            requireOpen();
            List<SegmentInfo> infos = segments();
            int doomed = Retention.segmentsToDelete(infos, clock.millis(), config.retentionMs(),
                    config.retentionBytes());
            if (doomed == 0) {
                return List.of();
            }
            if (doomed == segments.size()) {
                roll(); // even the active segment expired: the log keeps its end offset in a new, empty one
            }
            List<SegmentInfo> deleted = new ArrayList<>();
            for (int i = 0; i < doomed; i++) {
                Segment oldest = segments.firstEntry().getValue();
                Retention.archiveRecordsOf(oldest, topic, partition, archive, clock.instant());
                segments.remove(oldest.baseOffset());
                oldest.delete();
                deleted.add(infos.get(i));
            }
            if (recoveryPoint < earliest()) {
                writeRecoveryPoint(earliest());
            }
            return deleted;
        } catch (IOException e) {
            throw failure("retention failed in", e);
        } finally {
            lock.unlock();
        }
    }
    // end::retention[]

    /** Forces every appended record to disk now, whatever the durability policy. */
    public void flush() {
        lock.lock();
        try {
            requireOpen();
            active.flush();
        } catch (IOException e) {
            throw goOffline(e);
        } finally {
            lock.unlock();
        }
    }

    /** For the flushers: force the active segment's records and say how far that reaches. */
    private long forceWritten() throws IOException {
        Segment segment;
        long end;
        lock.lock();
        try {
            if (crashed) {
                throw new IOException("the log stopped without a clean shutdown");
            }
            if (closed) {
                return endOffset; // a clean close flushed everything
            }
            segment = active;
            end = endOffset;
        } finally {
            lock.unlock();
        }
        segment.forceLog(); // older segments were forced when they rolled
        return end;
    }

    // tag::close[]
    /** Flushes everything, checkpoints the end offset and leaves the clean-shutdown marker. */
    @Override
    public void close() {
        flusher.close();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (offline == null) {
                active.flush();
                writeRecoveryPoint(endOffset);
                PartitionDirectory.markCleanShutdown(dir);
            }
            for (Segment segment : segments.values()) {
                segment.close();
            }
        } catch (IOException e) {
            throw failure("cannot close cleanly", e);
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
        flusher.close();
        lock.lock();
        try {
            closed = true;
            crashed = true;
            for (Segment segment : segments.values()) {
                segment.close();
            }
        } catch (IOException e) {
            throw failure("cannot close", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long earliest() {
        lock.lock();
        try {
            return segments.firstKey();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long endOffset() {
        lock.lock();
        try {
            return endOffset;
        } finally {
            lock.unlock();
        }
    }

    /** The segments, oldest first. */
    public List<SegmentInfo> segments() {
        lock.lock();
        try {
            return segments.values().stream().map(Segment::info).toList();
        } finally {
            lock.unlock();
        }
    }

    /** How many fsyncs fsync-per-append has made so far: fewer than appends when appenders shared them. */
    long fsyncs() {
        return flusher instanceof GroupCommit group ? group.forces() : 0;
    }

    /** What opening the log found: a clean shutdown, or what recovery scanned and cut. */
    public RecoveryReport recoveryReport() {
        return recovery;
    }

    public Path directory() {
        return dir;
    }

    public FileLogConfig config() {
        return config;
    }

    private Segment segmentHolding(long offset) {
        Map.Entry<Long, Segment> entry = segments.floorEntry(offset);
        if (entry == null) {
            throw OffsetOutOfRangeException.of(offset, earliest(), endOffset);
        }
        return entry.getValue();
    }

    private void requireOpen() {
        if (offline != null) {
            throw new IllegalStateException("the log in " + dir + " is offline after a failed write ("
                    + offline.getMessage() + "): close it and open it again to recover");
        }
        if (closed) {
            throw new IllegalStateException("the log in " + dir + " is closed");
        }
    }

    /** A failed write leaves the file in an unknown state: refuse everything until a reopen recovers it. */
    private UncheckedIOException goOffline(IOException e) {
        offline = e;
        return failure("write failed; the log is offline until reopened:", e);
    }

    private UncheckedIOException failure(String what, IOException e) {
        return PartitionDirectory.failure(what, dir, e);
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            String held = endOffset == earliest() ? "no records, next offset " + endOffset
                    : "offsets " + earliest() + ".." + (endOffset - 1);
            return "FileLog[" + dir.getFileName() + ": " + held + ", " + segments.size() + " segment(s)]";
        } finally {
            lock.unlock();
        }
    }
}

package toykafka.lesson09;

import java.io.IOException;
import java.nio.file.Path;
import toykafka.lesson08.DiskFile;
import toykafka.lesson08.LocalLog;

/**
 * How a log's records reach the disk, and how far they have: carries out the topic's {@link Durability}
 * with a {@link Flusher}, counts what appends have written (group commit waits on those counts), forces the
 * active segment for the flusher, and keeps the recovery point, below which every segment is on disk with
 * its indexes. {@link FileLog} calls it under its lock, except where a method says otherwise. Kafka keeps
 * the recovery point and flushes in {@code LocalLog}, and runs the {@code flush.ms} schedule in its
 * {@code LogManager}.
 */
final class LogFlushing {

    private final FileLog log;
    private final Path dir;
    private Durability durability;
    private volatile Flusher flusher; // replaced by adopt(), used outside the log's lock
    private volatile long writtenEnd; // the log's end offset, readable without its lock, for group commit
    private volatile long appendsWritten; // how many appends wrote, also for group commit
    private long recoveryPoint;

    LogFlushing(FileLog log, Path dir, Durability durability, long endOffset, long recoveryPoint) {
        this.log = log;
        this.dir = dir;
        this.durability = durability;
        this.writtenEnd = endOffset;
        this.recoveryPoint = recoveryPoint;
    }

    /** Starts carrying out the policy, once the log has opened: a periodic flush starts its thread here. */
    void start() {
        flusher = newFlusher(durability);
    }

    private Flusher newFlusher(Durability policy) {
        return Flusher.forPolicy(policy, new Flusher.Target() {
            @Override
            public long forceWritten() throws IOException {
                return LogFlushing.this.forceWritten();
            }

            @Override
            public long writtenEnd() {
                return writtenEnd;
            }

            @Override
            public long appendsWritten() {
                return appendsWritten;
            }
        });
    }

    /** One append has written up to {@code end}. */
    void written(long end) {
        writtenEnd = end;
        appendsWritten++; // written under the log's lock, read without it
    }

    /** After an append, outside the log's lock: with fsync per append, waits here, sharing fsyncs. */
    void afterAppend(long end) {
        flusher.afterAppend(end);
    }

    // tag::force[]
    /**
     * For the flushers: force the active segment's records and say how far that reaches. The fsync runs
     * outside the log's lock, so appends go on meanwhile. If it fails, the log goes offline: after a failed
     * fsync the kernel may have dropped the pages it could not write, so nothing written since the last
     * good fsync can be trusted, and a retry that succeeds would prove nothing.
     */
    private long forceWritten() throws IOException {
        FileLog.Unforced unforced = log.unforced(); // refused if offline or crashed
        if (unforced.segment() == null) {
            return unforced.end(); // a clean close flushed everything
        }
        try {
            unforced.segment().forceLog(); // older segments were forced when they rolled
        } catch (IOException e) {
            log.local().goOfflineAfter("fsync failed", e);
            throw e;
        }
        return unforced.end();
    }
    // end::force[]

    /** Writes the recovery point checkpoint: every segment below {@code offset} is on disk. */
    void checkpoint(long offset) throws IOException {
        DiskFile.uninterruptibly(() -> {
            Checkpoints.writeRecoveryPoint(dir, offset);
            return null;
        });
        recoveryPoint = offset;
    }

    /** Moves the recovery point up to {@code offset} if it is below. */
    void checkpointAtLeast(long offset) throws IOException {
        if (recoveryPoint < offset) {
            checkpoint(offset);
        }
    }

    /**
     * Takes a new policy. If it differs, a new flusher replaces the old one, which is returned for the
     * caller to close once it has let go of the log's lock (appends waiting on it still get their fsync);
     * otherwise returns null.
     */
    Flusher adopt(Durability next) {
        if (next.equals(durability)) {
            return null;
        }
        Flusher retired = flusher;
        durability = next;
        flusher = newFlusher(next);
        return retired;
    }

    /** Stops the flusher. Without the log's lock: a periodic flush may be waiting for it. */
    void close() {
        flusher.close();
    }

    /** How many fsyncs fsync-per-append has made so far. Without the log's lock. */
    long fsyncs() {
        return flusher instanceof GroupCommit group ? group.forces() : 0;
    }
}

package toykafka.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import toykafka.lesson08.ChannelKeeper;
import toykafka.lesson08.DiskFile;

/**
 * A bound on how many segment files the logs sharing it keep open at once. A file that is not in use may be
 * closed, the least recently used first, when another must open; its next read or write opens it again, by
 * name. A file in use (a read, a write, a {@code sendfile} under way) is never closed under its user, nor is
 * one a log holds open: the active segment's {@code .log}, which appends write to, and the files of a segment
 * the cleaner unlinked while readers may still read them, which could not be opened again by name.
 *
 * <p>So a broker with 10,000 idle partitions holds 10,000 descriptors (each active {@code .log}) and at most
 * this bound besides, not 3 per segment. Kafka keeps every segment's {@code .log} open and its indexes
 * memory-mapped ({@code LogSegment}, {@code OffsetIndex}), which costs an address-space mapping per index
 * ({@code vm.max_map_count}) instead of a descriptor, and asks the operator to raise {@code ulimit -n}.
 * Thread-safe: one lock guards the count, the order of use and each file's users.
 */
public final class OpenFiles implements ChannelKeeper {

    /** The fewest a bound may be: one segment's three files. */
    public static final int MIN_CAPACITY = 3;

    /** What the bound knows of one file it keeps. */
    private static final class Kept {
        FileChannel channel; // null while the bound has it closed for others
        int users;           // calls under way: while there are any, the bound never closes the file
        boolean held;        // kept open whatever the bound: the active segment's log, or a file unlinked while open
    }

    private final int capacity;
    private final Map<DiskFile, Kept> files = new HashMap<>(); // every file not yet closed for good
    private final LinkedHashMap<DiskFile, Kept> idle = new LinkedHashMap<>(16, 0.75f, true); // least recent first
    private int open; // files open and not held: what the bound counts
    private long reopened;

    private OpenFiles(int capacity) {
        this.capacity = capacity;
    }

    /** At most {@code capacity} files open at once, besides those in use or held open. */
    public static OpenFiles atMost(int capacity) {
        if (capacity < MIN_CAPACITY) {
            throw new IllegalArgumentException("at most " + capacity + " open files cannot be: a segment alone has "
                    + MIN_CAPACITY + " (.log, .index, .timeindex)");
        }
        return new OpenFiles(capacity);
    }

    /** The bound. */
    public int capacity() {
        return capacity;
    }

    /** The files open now, not counting those held open: at most the bound, unless more are in use at this moment. */
    public synchronized int open() {
        return open;
    }

    /** How many times a file closed for others was opened again: the price of the bound. */
    public synchronized long reopened() {
        return reopened;
    }

    /** Counts a file just opened; it starts idle, the most recently used. */
    @Override
    public synchronized void opened(DiskFile file, FileChannel channel) {
        Kept kept = new Kept();
        kept.channel = channel;
        files.put(file, kept);
        open++;
        idle.put(file, kept);
        evict();
    }

    @Override
    public synchronized FileChannel acquire(DiskFile file) throws IOException {
        Kept kept = kept(file);
        FileChannel channel = openIfClosed(file, kept);
        if (kept.users++ == 0) {
            idle.remove(file);
        }
        evict();
        return channel;
    }

    /** The last user makes the file idle, and so closable. */
    @Override
    public synchronized void release(DiskFile file) {
        Kept kept = files.get(file);
        if (kept != null && --kept.users == 0 && !kept.held && kept.channel != null) {
            idle.put(file, kept);
            evict();
        }
    }

    @Override
    public synchronized void hold(DiskFile file) throws IOException {
        Kept kept = kept(file);
        openIfClosed(file, kept);
        if (!kept.held) {
            kept.held = true;
            open--; // no longer the bound's to count, nor to close
            idle.remove(file);
        }
    }

    @Override
    public synchronized void letGo(DiskFile file) {
        Kept kept = files.get(file);
        if (kept == null || !kept.held) {
            return;
        }
        kept.held = false;
        open++;
        if (kept.users == 0) {
            idle.put(file, kept);
        }
        evict();
    }

    @Override
    public synchronized void reopen(DiskFile file, FileChannel failed) throws IOException {
        Kept kept = kept(file);
        if (kept.channel == failed) {
            kept.channel = file.openAgain();
        }
    }

    /** A user still at work finds the file closed. */
    @Override
    public synchronized void close(DiskFile file) throws IOException {
        Kept kept = files.remove(file);
        if (kept == null) {
            return;
        }
        idle.remove(file);
        if (kept.channel != null) {
            if (!kept.held) {
                open--;
            }
            kept.channel.close();
        }
    }

    private Kept kept(DiskFile file) throws DiskFile.ClosedException {
        Kept kept = files.get(file);
        if (kept == null) {
            throw new DiskFile.ClosedException(file.file());
        }
        return kept;
    }

    private FileChannel openIfClosed(DiskFile file, Kept kept) throws IOException {
        if (kept.channel == null) {
            kept.channel = file.openAgain();
            open++;
            reopened++;
        }
        return kept.channel;
    }

    /** Closes idle files, least recently used first, until the count is within the bound or none is idle. */
    private void evict() {
        Iterator<Kept> eldest = idle.values().iterator();
        while (open > capacity && eldest.hasNext()) {
            Kept victim = eldest.next();
            eldest.remove();
            FileChannel channel = victim.channel;
            victim.channel = null;
            open--;
            try {
                channel.close();
            } catch (IOException e) {
                // nothing was written through it that is not in the file: the next use opens it again
            }
        }
    }

    @Override
    public String toString() {
        return "OpenFiles[" + open() + " of at most " + capacity + "]";
    }
}

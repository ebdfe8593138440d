package toykafka.lesson08;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.Iterator;
import java.util.LinkedHashMap;

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
public final class OpenFiles {

    /** No bound: every file stays open until its segment closes, as a log on its own has it. */
    static final OpenFiles UNBOUNDED = new OpenFiles(Integer.MAX_VALUE);
    /** The fewest a bound may be: one segment's three files. */
    public static final int MIN_CAPACITY = 3;

    private final int capacity;
    private final LinkedHashMap<DiskFile, Boolean> idle = new LinkedHashMap<>(16, 0.75f, true); // least recent first
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

    boolean bounded() {
        return capacity != Integer.MAX_VALUE;
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
    synchronized void added(DiskFile file) {
        open++;
        idle.put(file, Boolean.TRUE);
        evict();
    }

    /** The file's channel, opened again if it was closed for others; the file is in use until {@link #release}. */
    synchronized FileChannel acquire(DiskFile file) throws IOException {
        FileChannel channel = openIfClosed(file);
        if (file.users++ == 0) {
            idle.remove(file);
        }
        evict();
        return channel;
    }

    /** The file is no longer in use by one user: the last one makes it idle, and so closable. */
    synchronized void release(DiskFile file) {
        if (--file.users == 0 && !file.held && !file.closed && file.channel != null) {
            idle.put(file, Boolean.TRUE);
            evict();
        }
    }

    /** Keeps the file open, and never closes it for others, until {@link #letGo}. */
    synchronized void hold(DiskFile file) throws IOException {
        openIfClosed(file);
        if (!file.held) {
            file.held = true;
            open--; // no longer the bound's to count, nor to close
            idle.remove(file);
        }
    }

    /** The file may be closed for others again once no one uses it. */
    synchronized void letGo(DiskFile file) {
        if (!file.held) {
            return;
        }
        file.held = false;
        if (!file.closed) {
            open++;
            if (file.users == 0) {
                idle.put(file, Boolean.TRUE);
            }
            evict();
        }
    }

    /** Replaces a channel an interrupt closed, unless another thread did already. */
    synchronized void reopen(DiskFile file, FileChannel failed) throws IOException {
        if (file.closed) {
            throw new DiskFile.ClosedException(file.file());
        }
        if (file.channel == failed) {
            file.channel = file.openAgain();
        }
    }

    /** Closes the file for good: its segment closed. A user still at work finds it closed. */
    synchronized void close(DiskFile file) throws IOException {
        if (file.closed) {
            return;
        }
        file.closed = true;
        idle.remove(file);
        FileChannel channel = file.channel;
        if (channel != null) {
            if (!file.held) {
                open--;
            }
            channel.close();
        }
    }

    private FileChannel openIfClosed(DiskFile file) throws IOException {
        if (file.closed) {
            throw new DiskFile.ClosedException(file.file());
        }
        FileChannel channel = file.channel;
        if (channel == null) {
            channel = file.openAgain();
            file.channel = channel;
            open++;
            reopened++;
        }
        return channel;
    }

    /** Closes idle files, least recently used first, until the count is within the bound or none is idle. */
    private void evict() {
        Iterator<DiskFile> eldest = idle.keySet().iterator();
        while (open > capacity && eldest.hasNext()) {
            DiskFile victim = eldest.next();
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
        return bounded() ? "OpenFiles[" + open() + " of at most " + capacity + "]" : "OpenFiles[unbounded]";
    }
}

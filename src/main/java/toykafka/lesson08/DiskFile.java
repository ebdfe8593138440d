package toykafka.lesson08;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

// tag::interrupts[]
/**
 * One of a segment's files, open for reading and writing, shared by every thread that uses the log.
 * A Java {@link FileChannel} closes itself, for every thread, when a thread whose interrupt flag is set
 * uses it, or is interrupted while using it. One interrupted reader must not take the log away from
 * everyone else, so each call runs with the flag cleared (and set again afterwards, so the interrupt
 * is not lost), and a channel that an interrupt closed all the same is opened again.
 */
public final class DiskFile implements AutoCloseable {

    /** Work on a file that may throw; {@link #uninterruptibly} runs it with the interrupt flag cleared. */
    public interface IoWork<T> {
        T run() throws IOException;
    }

    /** Runs file work with the interrupt flag cleared, then sets the flag again if it was set. */
    public static <T> T uninterruptibly(IoWork<T> work) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            return work.run();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
    // end::interrupts[]

    /** Closes {@code closeable} after {@code failure}; a failure to close is added to it, not thrown. */
    public static void closeQuietly(AutoCloseable closeable, Throwable failure) {
        try {
            closeable.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }

    /** Opens a channel. The log uses {@link FileChannel#open}; tests pass one whose fsync can fail. */
    public interface Opener {
        Opener DEFAULT = FileChannel::open;

        FileChannel open(Path file, Set<? extends OpenOption> options) throws IOException;

        /** Who keeps the channels of the files it opens under a bound: null, unless made {@link #within} one. */
        default ChannelKeeper keeper() {
            return null;
        }

        /** This opener, its files kept by {@code keeper}: a broker shares one bound among all its logs. */
        default Opener within(ChannelKeeper keeper) {
            Opener self = this;
            return new Opener() {
                @Override
                public FileChannel open(Path file, Set<? extends OpenOption> options) throws IOException {
                    return self.open(file, options);
                }

                @Override
                public ChannelKeeper keeper() {
                    return keeper;
                }
            };
        }
    }

    /** A call on the channel; it may run twice, so it must be safe to repeat (positional reads and writes are). */
    private interface Call<T> {
        T on(FileChannel channel) throws IOException;
    }

    /** The file was closed by the log (a close, a crash, or retention deleting its segment), not by an interrupt. */
    public static final class ClosedException extends IOException {
        public ClosedException(Path file) {
            super(file.getFileName() + " is closed: the log was closed, or retention removed its segment");
        }
    }

    private static final Set<StandardOpenOption> REOPEN = Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE);
    private static final int MAX_REOPENS = 5;

    private final Path file;
    private final Opener opener;
    private final ChannelKeeper keeper; // null: the file keeps its own channel
    private volatile FileChannel channel; // without a keeper
    private volatile boolean closed;

    private DiskFile(Path file, Opener opener) {
        this.file = file;
        this.opener = opener;
        this.keeper = opener.keeper();
    }

    /** Opens a file for reading and writing; {@code fresh} means it must not exist yet. */
    static DiskFile open(Path file, boolean fresh, Opener opener) throws IOException {
        if (Files.exists(file) && !Files.isRegularFile(file)) { // a FIFO would take writes at no position
            throw new IOException(file.getFileName() + " is not a regular file (a pipe, a device or a directory):"
                    + " a segment's files must be; move it out of " + file.getParent());
        }
        Set<StandardOpenOption> options = Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE,
                fresh ? StandardOpenOption.CREATE_NEW : StandardOpenOption.CREATE);
        DiskFile opened = new DiskFile(file, opener);
        FileChannel channel = uninterruptibly(() -> opener.open(file, options));
        if (opened.keeper == null) {
            opened.channel = channel;
        } else {
            opened.keeper.opened(opened, channel);
        }
        return opened;
    }

    /** Opens the file again by name, for reading and writing: after its keeper closed it, or an interrupt did. */
    public FileChannel openAgain() throws IOException {
        return uninterruptibly(() -> opener.open(file, REOPEN));
    }

    /** Keeps the file open whatever the bound, until {@link #letGo}: before it is unlinked, or while appended to. */
    void hold() throws IOException {
        if (keeper != null) {
            keeper.hold(this);
        }
    }

    /** Lets the bound close the file again when idle. */
    void letGo() {
        if (keeper != null) {
            keeper.letGo(this);
        }
    }

    private <T> T call(Call<T> io) throws IOException {
        boolean interrupted = Thread.interrupted();
        boolean bounded = keeper != null;
        try {
            for (int reopens = 0; ; reopens++) {
                FileChannel current = bounded ? keeper.acquire(this) : channel; // in use: the keeper leaves it open
                try {
                    return io.on(current);
                } catch (ClosedChannelException e) {
                    interrupted |= Thread.interrupted(); // interrupted during the call: clear it for the retry
                    if (closed) {
                        throw new ClosedException(file);
                    }
                    if (reopens == MAX_REOPENS) {
                        throw e;
                    }
                    if (bounded) {
                        keeper.reopen(this, current);
                    } else {
                        reopen(current); // an interrupt closed it: nothing is lost, so open it again
                    }
                } finally {
                    if (bounded) {
                        keeper.release(this);
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized void reopen(FileChannel failed) throws IOException {
        if (closed) {
            throw new ClosedException(file);
        }
        if (channel == failed) {
            channel = opener.open(file, REOPEN);
        }
    }

    /** Reads into {@code into} from its position to its limit, or up to the end of the file; returns the bytes read. */
    public int readFully(ByteBuffer into, long position) throws IOException {
        int start = into.position();
        return call(c -> {
            while (into.hasRemaining() && c.read(into, position + into.position() - start) >= 0) {
                // keep reading until full, or the end of the file
            }
            return into.position() - start;
        });
    }

    /**
     * Sends up to {@code count} bytes from {@code position} straight to {@code target}, the kernel copying
     * them from the page cache ({@code sendfile}), in one call: a non-blocking socket takes what it has room
     * for, maybe nothing. Returns the bytes sent; 0 also at the end of the file.
     *
     * <p>A target that is neither a socket nor a file (TLS's layer, which must encrypt what it sends) cannot take
     * {@code sendfile}: it is handed the bytes in chunks of {@link #COPY_CHUNK}, what one TLS record carries, as
     * Kafka's {@code SslTransportLayer.transferFrom} reads them. The JDK's own copy for such a target goes 8 KiB at a
     * time, and with it a consumer over TLS read at a third to a half of its rate with these chunks (bench kafka's
     * "consume over SSL" rows).
     */
    long transferOnce(long position, long count, WritableByteChannel target) throws IOException {
        if (target instanceof SocketChannel || target instanceof FileChannel) {
            return call(c -> c.transferTo(position, count, target));
        }
        return call(c -> copyOnce(c, position, count, target));
    }

    /** Bytes a copy to a channel that cannot take {@code sendfile} reads at a time: a TLS record's largest payload. */
    static final int COPY_CHUNK = 16 * 1024;

    private static long copyOnce(FileChannel from, long position, long count, WritableByteChannel target)
            throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(count, COPY_CHUNK));
        long sent = 0;
        while (sent < count) {
            chunk.clear().limit((int) Math.min(chunk.capacity(), count - sent));
            int read = from.read(chunk, position + sent);
            if (read <= 0) {
                break; // the end of the file
            }
            int written = target.write(chunk.flip());
            sent += written;
            if (written < read) {
                break; // the target is full: the rest waits for it to drain
            }
        }
        return sent;
    }

    /** Reads from a position, once: what {@link SegmentReader} needs. */
    public int read(ByteBuffer into, long position) throws IOException {
        return call(c -> c.read(into, position));
    }

    /** Writes all of {@code bytes}, from its position to its limit, starting at {@code position} in the file. */
    void writeFully(ByteBuffer bytes, long position) throws IOException {
        int start = bytes.position();
        call(c -> {
            while (bytes.hasRemaining()) {
                c.write(bytes, position + bytes.position() - start);
            }
            return null;
        });
    }

    /** Forces the file's bytes to the disk, and with {@code metadata} its size and times too. */
    void force(boolean metadata) throws IOException {
        call(c -> {
            c.force(metadata);
            return null;
        });
    }

    public long size() throws IOException {
        return call(FileChannel::size);
    }

    void truncate(long size) throws IOException {
        call(c -> c.truncate(size));
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        if (keeper != null) {
            closed = true;
            keeper.close(this);
            return;
        }
        synchronized (this) {
            closed = true;
            channel.close();
        }
    }
}

package toykafka.lesson08;


import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import toykafka.lesson09.FileLog;

/**
 * A disk a test can steer: opens real files, but counts what is read and forced, can make an fsync fail
 * or wait, and can refuse to open a file. Pass {@link #opener()} to {@code FileLog.open}.
 */
public final class FaultyDisk {

    public final List<Channel> channels = new CopyOnWriteArrayList<>();
    final AtomicLong bytesRead = new AtomicLong();
    /** Reads of records from a .log file, into direct buffers: the seeks' small heap reads are not counted. */
    final AtomicLong recordReads = new AtomicLong();
    final AtomicLong recordBytesRead = new AtomicLong();
    public final AtomicLong forces = new AtomicLong();
    /** The name of each file forced, in order: what a flush promised can be checked file by file. */
    final List<String> forced = new CopyOnWriteArrayList<>();
    public final CountDownLatch firstForce = new CountDownLatch(1);
    public volatile Thread lastForcingThread;
    /** When set, every fsync throws this. */
    public volatile IOException forceFailure;
    /** When set, an fsync of a .log file's data waits at this latch before it runs. */
    public volatile CountDownLatch dataForceGate;
    public final CountDownLatch dataForceWaiting = new CountDownLatch(1);
    /**
     * When set, a read of records from a .log file waits at this latch: the log reads records into direct
     * buffers, and finds where they start with small reads into heap buffers, which pass.
     */
    volatile CountDownLatch recordReadGate;
    final CountDownLatch recordReadWaiting = new CountDownLatch(1);
    /** When set, closing any file throws an IOException with this message, after the file is closed. */
    public volatile String closeFailure;
    /** When set, opening a file whose name ends with this throws. */
    public volatile String refuseToOpen;

    public DiskFile.Opener opener() {
        return (file, options) -> {
            String refused = refuseToOpen;
            if (refused != null && file.getFileName().toString().endsWith(refused)) {
                throw new IOException("refused to open " + file.getFileName() + ", as the test asked");
            }
            Channel channel = new Channel(file, FileChannel.open(file, options));
            channels.add(channel);
            return channel;
        };
    }

    /**
     * A new segment at offset 0 in {@code dir}, its files opened on this disk, with an index entry every 100 bytes
     * and orders 0 to {@code count - 1} appended, a batch each.
     */
    Segment segmentOfOrders(Path dir, int count) throws IOException {
        Segment segment = Segment.create(dir, 0, 100, opener());
        TestRecords.appendOrders(segment, 0, count);
        return segment;
    }

    /**
     * Waits, as a disk operation held back by the test, until the test counts {@code gate} down; fails the operation
     * with {@code never} if that takes ten seconds.
     */
    public static void await(CountDownLatch gate, String never) throws IOException {
        try {
            if (!gate.await(10, TimeUnit.SECONDS)) {
                throw new IOException(never);
            }
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    public long openChannels() {
        return channels.stream().filter(FileChannel::isOpen).count();
    }

    /** The channel most recently opened for a file with this name. */
    Channel channelOf(String fileName) {
        for (int i = channels.size() - 1; i >= 0; i--) {
            if (channels.get(i).file.getFileName().toString().equals(fileName)) {
                return channels.get(i);
            }
        }
        throw new AssertionError("no channel was opened for " + fileName);
    }

    /**
     * The files written or cut since they were last forced: what a power loss now could take back. A test
     * checks that a flush leaves none, as it promises.
     */
    Set<String> unforced() {
        Set<String> names = new TreeSet<>();
        for (Channel channel : channels) {
            if (channel.changedSinceForce) {
                names.add(channel.file.getFileName().toString());
            }
        }
        return names;
    }

    /** A real file channel, watched. Only what the log uses is counted; the rest is passed on. */
    final class Channel extends FileChannel {
        final Path file;
        final FileChannel real;
        volatile boolean changedSinceForce;
        final AtomicLong bytesWritten = new AtomicLong();

        Channel(Path file, FileChannel real) {
            this.file = file;
            this.real = real;
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            CountDownLatch gate = recordReadGate;
            if (gate != null && file.toString().endsWith(".log") && dst.isDirect()) {
                recordReadWaiting.countDown();
                await(gate, "the test never opened the gate");
            }
            int n = real.read(dst, position);
            bytesRead.addAndGet(Math.max(n, 0));
            if (file.toString().endsWith(".log") && dst.isDirect()) {
                recordReads.incrementAndGet();
                recordBytesRead.addAndGet(Math.max(n, 0));
            }
            return n;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            lastForcingThread = Thread.currentThread();
            forces.incrementAndGet();
            forced.add(file.getFileName().toString());
            firstForce.countDown();
            IOException failure = forceFailure;
            if (failure != null) {
                throw failure;
            }
            CountDownLatch gate = dataForceGate;
            if (gate != null && !metaData && file.toString().endsWith(".log")) {
                dataForceWaiting.countDown();
                await(gate, "the test never opened the gate");
            }
            changedSinceForce = false; // cleared first: a write racing this force counts as unforced
            real.force(metaData);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            changedSinceForce = true;
            int n = real.write(src, position);
            bytesWritten.addAndGet(n);
            return n;
        }

        @Override
        public long size() throws IOException {
            return real.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            changedSinceForce = true;
            real.truncate(size);
            return this;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return real.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return real.read(dsts, offset, length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            changedSinceForce = true;
            return real.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            return real.write(srcs, offset, length);
        }

        @Override
        public long position() throws IOException {
            return real.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            real.position(newPosition);
            return this;
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return real.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            return real.transferFrom(src, position, count);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return real.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return real.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return real.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            real.close();
            String failure = closeFailure;
            if (failure != null) {
                throw new IOException(failure);
            }
        }
    }
}

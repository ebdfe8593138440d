package toykafka.storage;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import toykafka.common.ForwardingRecordLog;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.OffsetRange;
import toykafka.common.OffsetRecord;
import toykafka.common.FetchedBatches;
import toykafka.lesson09.FileLog;
import toykafka.lesson08.FileSlice;
import toykafka.lesson08.Location;
import toykafka.lesson08.SegmentInfo;
import toykafka.storage.producers.ProducerStateManager;

/**
 * A partition kept in lesson 8's files, as the broker sees it: a {@link BatchLog} over one {@link FileLog}, which
 * reads a fetch as slices of its segment files, removes whole segments for retention and lets the cleaner rewrite
 * them. Lesson 1's calls pass straight through to the file log.
 */
public final class FileBatchLog extends ForwardingRecordLog implements BatchLog {

    /** One read buffer per reading thread, for reads whose answers get buffers of their own. */
    private static final ThreadLocal<ByteBuffer[]> SCRATCH = ThreadLocal.withInitial(() -> new ByteBuffer[1]);

    private final FileLog files;
    private final SegmentFiles segmentFiles;
    private final ProducerStateManager producers;

    public FileBatchLog(FileLog files) {
        super(Objects.requireNonNull(files, "files"));
        this.files = files;
        TransactionIndexFiles abortedIndex = new TransactionIndexFiles(files);
        this.segmentFiles = new SegmentFiles(files, abortedIndex);
        this.producers = new ProducerStateManager(this, abortedIndex); // reads this log at its first use, not now
    }

    /** The files underneath, for the tools and tests that look at lesson 9's log itself. */
    public FileLog files() {
        return files;
    }

    // ---- the data path ----

    @Override
    public long appendBatches(ByteBuffer batches) {
        return files.appendBatches(batches);
    }

    @Override
    public FetchedBatches fetch(long fromOffset, ByteBuffer into) {
        return files.fetch(fromOffset, into);
    }

    @Override
    public StoredBatches read(long fromOffset, long upTo, int room, boolean wholeBatchAnyway, ByteBuffer region,
                              boolean asFileSlices) {
        long logStart = files.earliest();
        long end = files.endOffset();
        if (!OffsetRange.holds(fromOffset, logStart, end)) {
            throw OffsetOutOfRangeException.forRead(fromOffset, logStart, end);
        }
        Location stop = fromOffset < upTo && upTo < end ? files.locate(upTo) : null; // where a bounded read ends
        List<FileSlice> slices = slices(fromOffset, Math.min(end, upTo), stop, room, wholeBatchAnyway);
        if (!asFileSlices) {
            return StoredBatches.read(readInto(slices, fromOffset, region), logStart, end);
        }
        long next = slices.isEmpty() ? fromOffset : slices.get(slices.size() - 1).nextOffset();
        long records = 0;
        for (FileSlice slice : slices) {
            records += files.recordsIn(slice);
        }
        return new StoredBatches(new FetchedBatches(ByteBuffer.allocate(0), fromOffset, next), slices, records, logStart,
                end);
    }

    /**
     * Where the whole batches of one read lie: from the one holding {@code offset}, at most {@code room} bytes
     * (but one whole batch anyway if asked), on into the next segment while the room is not filled, below
     * {@code upTo}: with a {@code stop}, the batch there, never that batch or one after it. The log's lock is
     * taken for each segment only to find the bytes, never to read them.
     */
    private List<FileSlice> slices(long offset, long upTo, Location stop, int room, boolean wholeBatchAnyway) {
        List<FileSlice> slices = new ArrayList<>();
        long taken = 0;
        long next = offset;
        while (next < upTo && (taken < room || slices.isEmpty() && wholeBatchAnyway)) {
            int maxBytes = (int) (room - taken);
            long beforeStop = stop == null ? Long.MAX_VALUE : bytesBefore(stop, next);
            if (beforeStop <= 0) {
                break;
            }
            FileSlice slice = files.slice(next, (int) Math.min(maxBytes, beforeStop));
            boolean fits = slice.bytes() <= room - taken;
            if (slice.isEmpty() || !fits && !(slices.isEmpty() && wholeBatchAnyway)) {
                break; // larger than the room: only a first batch may come anyway
            }
            if (stop != null && slice.nextOffset() > upTo) {
                break; // the cleaner rewrote the segment since the stop was found: the next read goes on
            }
            slices.add(slice);
            taken += slice.bytes();
            next = slice.nextOffset();
            if (!fits || !slice.reachesSegmentEnd()) {
                break; // the next batch did not fit
            }
        }
        return slices;
    }

    /**
     * How many bytes of whole batches lie from the batch holding {@code offset} to {@code stop}, where a bounded
     * read ends, if both are in one segment; else no bound in this segment. A slice cut at that many bytes ends
     * right before the stop, since a slice takes only whole batches.
     */
    private long bytesBefore(Location stop, long offset) {
        Location here = files.locate(offset);
        return here.segment().equals(stop.segment()) ? stop.position() - here.position() : Long.MAX_VALUE;
    }

    /** The slices' batches, checked, in {@code region} if they fit, else read into this thread's buffer and copied out. */
    private FetchedBatches readInto(List<FileSlice> slices, long offset, ByteBuffer region) {
        long total = slices.stream().mapToLong(FileSlice::bytes).sum();
        ByteBuffer space = region != null && total <= region.capacity() ? region : scratch((int) total);
        int filled = 0;
        long next = offset;
        for (FileSlice slice : slices) {
            FetchedBatches read = files.read(slice, next, space.slice(filled, (int) slice.bytes()));
            filled += read.bytes().remaining();
            next = read.nextOffset();
            if (read.bytes().remaining() < slice.bytes()) {
                break; // a damaged batch further on: the next read, starting there, reports it
            }
        }
        ByteBuffer bytes = space == region ? region.slice(0, filled) : copy(space.slice(0, filled));
        return new FetchedBatches(bytes, offset, next);
    }

    private static ByteBuffer scratch(int size) {
        ByteBuffer[] mine = SCRATCH.get();
        if (mine[0] == null || mine[0].capacity() < size) {
            mine[0] = ByteBuffer.allocateDirect(Math.max(size, 64 * 1024));
        }
        return mine[0];
    }

    private static ByteBuffer copy(ByteBuffer bytes) {
        ByteBuffer copy = ByteBuffer.allocate(bytes.remaining());
        copy.put(bytes.duplicate());
        return copy.flip();
    }

    @Override
    public Optional<OffsetRecord> recordWithMaxTimestamp() {
        return files.recordWithMaxTimestamp();
    }

    @Override
    public long sizeInBytes() {
        return files.sizeInBytes();
    }

    @Override
    public ProducerStateManager producerState() {
        return producers;
    }

    @Override
    public Optional<SegmentFiles> segmentFiles() {
        return Optional.of(segmentFiles);
    }

    // ---- the log's housekeeping ----

    @Override
    public long deleteRecordsBefore(long before) {
        return files.deleteRecordsBefore(before);
    }

    @Override
    public Retained applyRetention() {
        long startBefore = files.earliest();
        List<SegmentInfo> gone = files.applyRetention(); // archived, then deleted
        return gone.isEmpty() ? Retained.NOTHING : new Retained(files.earliest() - startBefore, gone);
    }

}

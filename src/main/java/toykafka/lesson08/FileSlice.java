package toykafka.lesson08;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritableByteChannel;
import toykafka.common.CorruptRecordException;
import toykafka.common.RecordBatch;

/**
 * Whole batches lying back to back in a segment's file, to be sent as they are: the file, where they start,
 * how many bytes, and the offset after them. Kafka's {@code FileRecords.slice} cuts a fetch the same way,
 * and its {@code writeTo} sends one the way {@link #transferOnce} does. A slice never changes, so many
 * fetches may share one; each sender keeps count of what it has sent.
 *
 * <p>The segment may be deleted while a slice of it waits to be sent: retention closes a segment's files
 * at once (the cleaner's replaced segments stay open a minute, see lesson 9's {@code RetiredSegments}). Sending
 * then fails with {@link SegmentClosedException}, and the consumer fetches again.
 */
public final class FileSlice {

    private final Segment segment; // null for an empty slice
    private final FileRecords.BatchAt first;
    private final long bytes;
    private final long nextOffset;
    private final boolean reachesSegmentEnd;

    private FileSlice(Segment segment, FileRecords.BatchAt first, long bytes, long nextOffset, boolean reachesSegmentEnd) {
        this.segment = segment;
        this.first = first;
        this.bytes = bytes;
        this.nextOffset = nextOffset;
        this.reachesSegmentEnd = reachesSegmentEnd;
    }

    /** No batches: a fetch at the end of the log. */
    static FileSlice empty(long offset) {
        return new FileSlice(null, null, 0, offset, true);
    }

    /**
     * The whole batches of {@code segment} to send for a fetch from {@code fromOffset}: from the one that holds
     * it, as many as fit in {@code maxBytes} (the first always, whatever its size), never past the end of the
     * segment. Reads only each batch's header, not its records: the bytes go to the consumer unread. Only
     * under the log's lock.
     */
    static FileSlice of(Segment segment, long fromOffset, int maxBytes) throws IOException {
        requireMaxBytes(maxBytes);
        FileRecords.BatchAt first = segment.seek(fromOffset);
        long limit = Math.min(segment.size(), first.position() + (long) maxBytes);
        long end = first.position() + first.size();
        long next = first.lastOffset() + 1;
        SegmentIndex index = segment.index();
        DiskFile log = segment.logFile();
        ByteBuffer head = ByteBuffer.allocate(RecordBatch.HEADER_SIZE);
        // jump near the limit by the index: an entry names where a batch starts and its last offset
        for (int n = index.lastStartingAtOrBefore(limit); n >= 0 && index.entry(n).position() >= end; n--) {
            IndexEntry entry = index.entry(n);
            if (log.readFully(head.clear(), entry.position()) < RecordBatch.HEADER_SIZE
                    || lastOffsetIn(head) != entry.offset()) {
                break; // an index that does not match the batch there: walk instead of trusting it
            }
            long batchEnd = entry.position() + segment.records().batchSizeAt(head, 0, entry.position());
            if (batchEnd <= limit) {
                end = batchEnd;
                next = entry.offset() + 1;
                break;
            }
        }
        while (end < limit) { // then step over the few batches left, header by header
            if (log.readFully(head.clear(), end) < RecordBatch.HEADER_SIZE) {
                break; // a file cut short: the next fetch, starting here, reports it
            }
            int batchSize = segment.records().batchSizeAt(head, 0, end);
            if (end + batchSize > limit) {
                break;
            }
            Offsets.require(segment, head.getLong(0), lastOffsetIn(head), next, segment.nextOffset(), end);
            next = lastOffsetIn(head) + 1;
            end += batchSize;
        }
        return new FileSlice(segment, first, end - first.position(), next, end == segment.size());
    }

    /** A fetch asks for at most some bytes, 0 or more: the first batch goes whatever its size. */
    static void requireMaxBytes(int maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be 0 or more (at most that many bytes are sent, but"
                    + " always the first batch whole), not " + maxBytes);
        }
    }

    private static long lastOffsetIn(ByteBuffer head) {
        return head.getLong(0) + head.getInt(RecordBatch.LAST_OFFSET_DELTA_AT);
    }

    /** How many bytes the batches take: what a response says before it sends them. */
    public long bytes() {
        return bytes;
    }

    /** The offset after the last batch: where the next fetch starts. */
    public long nextOffset() {
        return nextOffset;
    }

    public boolean isEmpty() {
        return bytes == 0;
    }

    /** Whether the slice ends where its segment ended when it was cut: then a fetch may read on in the next. */
    public boolean reachesSegmentEnd() {
        return reachesSegmentEnd;
    }

    long position() {
        return first == null ? 0 : first.position();
    }

    Segment segment() {
        return segment;
    }

    /** Where the first batch lies, and where the slice ends: what {@link Segment#read} reads it from. */
    FileRecords.ReadStart readStart() {
        return new FileRecords.ReadStart(first, first.position() + bytes, nextOffset);
    }

    // tag::transfer-once[]
    /**
     * Sends the slice's bytes from its byte {@code sent} on, straight from the file to {@code target}, with one
     * {@code FileChannel.transferTo} ({@code sendfile}): as many as the target takes now, which for a
     * non-blocking socket may be only some, or none when it is full. Returns how many were sent; call again
     * with the new count once the socket has room.
     *
     * @throws SegmentClosedException if the segment's files were closed first (retention deleted it, or the
     *                                log closed): the bytes are gone, and the fetch must be made again
     * @throws CorruptRecordException if the file is shorter than the slice: someone cut it while in use
     */
    public long transferOnce(long sent, WritableByteChannel target) throws IOException {
        if (sent < 0 || sent > bytes) {
            throw new IllegalArgumentException("a slice of " + bytes + " bytes has sent 0 to " + bytes + " of them, not "
                    + sent);
        }
        if (sent == bytes) {
            return 0;
        }
        if (!target.isOpen()) {
            throw new ClosedChannelException(); // before the file is touched: its own closing means something else
        }
        DiskFile file = segment.logFile();
        try {
            long now = file.transferOnce(position() + sent, bytes - sent, target);
            if (now == 0 && file.size() < position() + bytes) {
                throw segment.records().cutShort(file.size());
            }
            return now;
        } catch (DiskFile.ClosedException closed) {
            throw new SegmentClosedException(this);
        }
    }
    // end::transfer-once[]

    /**
     * How many records the batches hold. Offsets run on without gaps until the cleaner rewrites a segment, so
     * they say it with no read at all; in a segment the cleaner may have rewritten, the batches' headers do.
     */
    long records() throws IOException {
        if (!segment.gapsAllowed()) {
            return nextOffset - first.baseOffset();
        }
        long records = 0;
        ByteBuffer head = ByteBuffer.allocate(RecordBatch.HEADER_SIZE);
        for (long at = position(); at < position() + bytes; at += segment.records().batchSizeAt(head, 0, at)) {
            if (segment.logFile().readFully(head.clear(), at) < RecordBatch.HEADER_SIZE) {
                throw segment.records().cutShort(at);
            }
            records += head.getInt(RecordBatch.RECORDS_COUNT_AT);
        }
        return records;
    }

    @Override
    public String toString() {
        return isEmpty() ? "no batches, next offset " + nextOffset : bytes + " bytes of " + segment.name() + " from byte "
                + position() + " (offsets " + first.baseOffset() + ".." + (nextOffset - 1) + ")";
    }

    /** The segment was closed before its bytes were sent: a fetch answer cannot be finished. */
    public static final class SegmentClosedException extends IOException {
        SegmentClosedException(FileSlice slice) {
            super("segment " + slice.segment.name() + " was closed before offsets " + slice.first.baseOffset() + ".."
                    + (slice.nextOffset - 1) + " were sent from it: retention deleted it, or its log closed; the consumer"
                    + " fetches again from its position");
        }
    }
}

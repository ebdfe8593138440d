package toykafka.lesson08;

import java.io.IOException;
import java.nio.ByteBuffer;
import toykafka.common.RecordBatch;

/**
 * Whole batches lying back to back in a segment's file, to be sent as they are: where they start, how many
 * bytes, and the offset after them. Kafka's {@code FileRecords.slice} cuts a fetch the same way.
 */
record FileSlice(long position, long bytes, long nextOffset) {

    /**
     * The whole batches of {@code segment} to send for a fetch from {@code fromOffset}: from the one that holds
     * it, as many as fit in {@code maxBytes} (the first always, whatever its size), never past the end of the
     * segment. Reads only each batch's header, not its records: the bytes go to the consumer unread.
     */
    static FileSlice of(Segment segment, long fromOffset, int maxBytes) throws IOException {
        Segment.BatchAt first = segment.seek(fromOffset);
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
            long batchEnd = entry.position() + segment.batchSizeAt(head, 0, entry.position());
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
            int batchSize = segment.batchSizeAt(head, 0, end);
            if (end + batchSize > limit) {
                break;
            }
            next = lastOffsetIn(head) + 1;
            end += batchSize;
        }
        return new FileSlice(first.position(), end - first.position(), next);
    }

    private static long lastOffsetIn(ByteBuffer head) {
        return head.getLong(0) + head.getInt(RecordBatch.LAST_OFFSET_DELTA_AT);
    }
}

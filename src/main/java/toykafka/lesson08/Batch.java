package toykafka.lesson08;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import toykafka.common.InvalidRecordException;
import toykafka.common.Record;
import toykafka.common.RecordRules;
import toykafka.common.RecordTooLargeException;

/**
 * Records encoded as frames, ready for one write. Encoding comes first, before a segment is chosen, so
 * the log knows the batch's size (to roll before it would overfill a segment) and every record has
 * passed the rules before a byte is written.
 *
 * @param frames           the frames, from position 0 to the limit
 * @param firstOffset      the first record's offset
 * @param count            how many frames there are
 * @param sizes            each frame's size, in the first {@code count} places
 * @param timestamps       each record's timestamp, epoch ms, in the first {@code count} places
 * @param largestTimestamp the newest of them
 */
record Batch(ByteBuffer frames, long firstOffset, int count, int[] sizes, long[] timestamps, long largestTimestamp) {

    int bytes() {
        return frames.limit();
    }

    // tag::encode[]
    /** Checks the records, then encodes them; {@code scratch} is used if large enough, else a larger buffer. */
    static Batch encode(List<Record> records, long firstOffset, RecordRules rules, ByteBuffer scratch) {
        rules.check(records); // every record, and the batch's size as Kafka counts it
        ByteBuffer buffer = scratch.clear();
        int[] sizes = new int[records.size()];
        long[] timestamps = new long[records.size()];
        long largest = Long.MIN_VALUE;
        for (int i = 0; i < records.size(); i++) {
            int start = buffer.position();
            buffer = encodeGrowing(records.get(i), firstOffset + i, buffer);
            sizes[i] = buffer.position() - start;
            timestamps[i] = records.get(i).timestamp().toEpochMilli();
            largest = Math.max(largest, timestamps[i]);
        }
        return new Batch(buffer.flip(), firstOffset, records.size(), sizes, timestamps, largest);
    }
    // end::encode[]

    // tag::frames[]
    /**
     * Takes frames a producer encoded, from the buffer's position to its limit: checks each one's length,
     * CRC, fields and the rules, and writes the log's offset into it (in place, while the frame is in the
     * processor's cache). Any bad frame refuses the lot; the offsets already written into the frames
     * before it do no harm, for every append writes them anew.
     */
    static Batch ofFrames(ByteBuffer frames, long firstOffset, RecordRules rules) {
        ByteBuffer batch = frames.slice();
        int end = batch.limit();
        RecordCodec.Checker checker = new RecordCodec.Checker(batch);
        int[] sizes = null;
        long[] timestamps = null;
        long largest = Long.MIN_VALUE;
        int count = 0;
        for (int at = 0; at < end; count++) {
            int size = checkFrame(checker, batch, at, count, rules);
            if (sizes == null) { // room for frames about the size of the first, so the arrays rarely grow
                sizes = new int[Math.min(end / size + 1, 4096)];
                timestamps = new long[sizes.length];
            } else if (count == sizes.length) {
                sizes = Arrays.copyOf(sizes, count * 2);
                timestamps = Arrays.copyOf(timestamps, count * 2);
            }
            sizes[count] = size;
            timestamps[count] = RecordCodec.timestampAt(batch, at);
            largest = Math.max(largest, timestamps[count]);
            batch.putLong(at + RecordCodec.OFFSET_AT, firstOffset + count); // outside the CRC: no new checksum
            at += size;
        }
        if (count == 0) {
            throw new InvalidRecordException("an empty batch has nothing to append");
        }
        rules.checkSize(end); // a producer's batch of frames, measured as it came
        return new Batch(batch, firstOffset, count, sizes, timestamps, largest);
    }

    /** Checks the frame at {@code at} (its length, CRC, fields and the rules); returns its size. */
    private static int checkFrame(RecordCodec.Checker checker, ByteBuffer batch, int at, int index, RecordRules rules) {
        try {
            int size = checker.check(at, batch.limit() - at, -1);
            if (size == 0) {
                throw new RecordCodec.BadFrame("the batch ends inside this frame");
            }
            int keyLength = RecordCodec.keyLengthAt(batch, at);
            rules.check(keyLength >= 0, RecordCodec.checkFields(batch, at, size, keyLength));
            return size;
        } catch (InvalidRecordException refused) {
            throw new InvalidRecordException("frame " + index + " (byte " + at + " of the batch): " + refused.getMessage());
        } catch (RecordCodec.BadFrame | IllegalArgumentException refused) {
            throw new IllegalArgumentException("frame " + index + " (byte " + at + " of the batch): "
                    + refused.getMessage() + (refused instanceof RecordCodec.BadFrame ? "; nothing was appended" : ""),
                    refused);
        }
    }
    // end::frames[]

    private static ByteBuffer encodeGrowing(Record record, long offset, ByteBuffer buffer) {
        while (true) {
            int start = buffer.position();
            try {
                RecordCodec.encode(record, offset, buffer);
                return buffer;
            } catch (BufferOverflowException full) {
                buffer.position(start);
                int frameSize = RecordCodec.frameSize(record);
                if (frameSize > RecordCodec.MAX_FRAME) { // refuse before making room for it
                    throw new RecordTooLargeException("a record of " + frameSize + " bytes on disk is over the"
                            + " file log's limit of " + RecordCodec.MAX_FRAME + " bytes a frame; nothing was appended");
                }
                long larger = Math.max(2L * buffer.capacity(), (long) start + frameSize);
                if (larger > Integer.MAX_VALUE - 8) {
                    throw new IllegalArgumentException("a batch of more than 2 GiB cannot be appended at once;"
                            + " nothing was appended");
                }
                ByteBuffer grown = ByteBuffer.allocateDirect((int) larger);
                grown.put(buffer.flip());
                buffer = grown;
            }
        }
    }
}

package toykafka.lesson08;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import toykafka.lesson04.Record;

/**
 * Records encoded as frames, ready for one write. Encoding comes first, before a segment is chosen, so
 * the log knows the batch's size (to roll before it would overfill a segment) and every record has
 * passed the rules before a byte is written.
 *
 * @param frames      the frames, from position 0 to the limit
 * @param firstOffset the first record's offset
 * @param sizes       each frame's size
 * @param timestamps  each record's timestamp, epoch ms
 */
record Batch(ByteBuffer frames, long firstOffset, int[] sizes, long[] timestamps) {

    int bytes() {
        return frames.limit();
    }

    int count() {
        return sizes.length;
    }

    long largestTimestamp() {
        long largest = Long.MIN_VALUE;
        for (long timestamp : timestamps) {
            largest = Math.max(largest, timestamp);
        }
        return largest;
    }

    // tag::encode[]
    /** Encodes and checks every record; {@code scratch} is used if large enough, else a larger buffer. */
    static Batch encode(List<Record> records, long firstOffset, RecordRules rules, ByteBuffer scratch) {
        ByteBuffer buffer = scratch.clear();
        int[] sizes = new int[records.size()];
        long[] timestamps = new long[records.size()];
        for (int i = 0; i < records.size(); i++) {
            int start = buffer.position();
            try {
                buffer = encodeGrowing(records.get(i), firstOffset + i, rules, buffer);
                sizes[i] = buffer.position() - start;
                checkRules(rules, buffer, start, sizes[i]);
            } catch (IllegalArgumentException refused) {
                throw records.size() == 1 ? refused : new IllegalArgumentException("record " + i + " of a batch of "
                        + records.size() + ": " + refused.getMessage(), refused);
            }
            timestamps[i] = records.get(i).timestamp().toEpochMilli();
        }
        return new Batch(buffer.flip(), firstOffset, sizes, timestamps);
    }
    // end::encode[]

    // tag::frames[]
    /**
     * Takes frames a producer encoded, from the buffer's position to its limit: checks each one's length,
     * CRC and the rules, and writes the log's offsets into them (in place). Any bad frame refuses the lot.
     */
    static Batch ofFrames(ByteBuffer frames, long firstOffset, RecordRules rules) {
        ByteBuffer batch = frames.slice();
        RecordCodec.Checker checker = new RecordCodec.Checker(batch);
        int[] sizes = new int[16];
        long[] timestamps = new long[16];
        int count = 0;
        int at = 0;
        while (at < batch.limit()) {
            int size;
            try {
                size = checker.check(at, batch.limit() - at, -1);
                if (size == 0) {
                    throw new RecordCodec.BadFrame("the batch ends inside this frame");
                }
                int keyLength = RecordCodec.keyLengthAt(batch, at);
                rules.check(keyLength >= 0, RecordCodec.checkFields(batch, at, size, keyLength), size);
            } catch (RecordCodec.BadFrame | IllegalArgumentException refused) {
                throw new IllegalArgumentException("frame " + count + " (byte " + at + " of the batch): "
                        + refused.getMessage() + (refused instanceof RecordCodec.BadFrame ? "; nothing was appended" : ""),
                        refused);
            }
            if (count == sizes.length) {
                sizes = Arrays.copyOf(sizes, count * 2);
                timestamps = Arrays.copyOf(timestamps, count * 2);
            }
            sizes[count] = size;
            timestamps[count] = RecordCodec.timestampAt(batch, at);
            count++;
            at += size;
        }
        if (count == 0) {
            throw new IllegalArgumentException("an empty batch has nothing to append");
        }
        for (int i = 0, position = 0; i < count; position += sizes[i], i++) {
            batch.putLong(position + RecordCodec.OFFSET_AT, firstOffset + i); // outside the CRC: no new checksum
        }
        return new Batch(batch, firstOffset, Arrays.copyOf(sizes, count),
                Arrays.copyOf(timestamps, count));
    }
    // end::frames[]

    private static ByteBuffer encodeGrowing(Record record, long offset, RecordRules rules, ByteBuffer buffer) {
        while (true) {
            int start = buffer.position();
            try {
                RecordCodec.encode(record, offset, buffer);
                return buffer;
            } catch (BufferOverflowException full) {
                buffer.position(start);
                int frameSize = RecordCodec.frameSize(record);
                if (frameSize > rules.maxRecordBytes()) { // refuse before making room for it
                    rules.check(record.hasKey(), 1, frameSize);
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

    /** Applies the rules to an encoded frame, reading the key and value lengths from it. */
    private static void checkRules(RecordRules rules, ByteBuffer buffer, int at, int size) {
        rules.check(RecordCodec.keyLengthAt(buffer, at) >= 0, RecordCodec.valueLengthAt(buffer, at), size);
    }
}

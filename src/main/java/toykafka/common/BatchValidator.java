package toykafka.common;

import java.nio.ByteBuffer;

/**
 * Checks a record batch a client sent before the log takes it: the format, the CRC, that it is not a
 * control batch, that a transactional one has a producer id, and every record, without copying a key or a
 * value. No I/O: the bytes are in memory. Kafka's {@code LogValidator}.
 */
public final class BatchValidator {

    /** Sees one record of a batch without copying its key or value. */
    @FunctionalInterface
    public interface RecordCheck {
        void check(int offsetDelta, long timestamp, int keyLength, int valueLength);
    }

    private BatchValidator() {
    }

    // tag::validate[]
    /**
     * Checks the format, the CRC, and every record: its fields fill its length, its offset delta is its
     * place in the batch, its timestamp is not before 1970. Each record's key and value lengths go to
     * {@code check}, which applies the topic's rules. Decompresses only when the codec is not {@code none}.
     */
    public static void validate(RecordBatch batch, RecordCheck check) {
        if (batch.magic() != RecordBatch.MAGIC) {
            throw new CorruptRecordException("record batch magic " + batch.magic() + ": only format v2 (magic 2) is"
                    + " spoken here, which every client since Kafka 0.11 sends");
        }
        if (batch.storedCrc() != batch.computeCrc()) {
            throw new CorruptRecordException(String.format("record batch CRC-32C mismatch: stored %08x, computed %08x;"
                    + " the batch was damaged on its way", batch.storedCrc(), batch.computeCrc()));
        }
        if (batch.isControl()) {
            checkMarker(batch);
        }
        if (batch.isTransactional() && !batch.hasProducerId()) {
            throw new InvalidRecordException("a transactional batch (attributes bit 4) must carry its producer's id,"
                    + " but its producer id is " + batch.producerId() + ": only a producer with an id from"
                    + " InitProducerId can write in a transaction");
        }
        int count = batch.count();
        if (count < 1 || batch.lastOffsetDelta() != count - 1) {
            throw new InvalidRecordException("a batch of " + count + " records must have lastOffsetDelta "
                    + (count - 1) + ", not " + batch.lastOffsetDelta());
        }
        boolean logAppendTime = batch.isLogAppendTime();
        RecordCheck checkingTime = (offsetDelta, timestamp, keyLength, valueLength) -> {
            if (timestamp < 0 && timestamp != RecordBatch.NO_TIMESTAMP && !logAppendTime) {
                throw new InvalidTimestampException("record " + offsetDelta + " has timestamp " + timestamp
                        + " ms; a timestamp is 0 (1970-01-01T00:00Z) or later, or -1 for none");
            }
            check.check(offsetDelta, timestamp, keyLength, valueLength);
        };
        ByteBuffer in = onHeap(batch.recordBytes());
        int end = RecordWalk.check(in.array(), in.arrayOffset(), in.position(), in.limit(), count,
                logAppendTime ? batch.maxTimestamp() : batch.baseTimestamp(), !logAppendTime, checkingTime);
        if (end < in.limit()) {
            throw new CorruptRecordException((in.limit() - end) + " bytes follow the batch's " + count + " records");
        }
    }
    // end::validate[]

    /**
     * A control batch is a transaction marker the broker wrote: from a producer, in its transaction, with one
     * marker record. Who may write one is the broker's front door's business (a client never may); the log
     * only checks its shape.
     */
    private static void checkMarker(RecordBatch batch) {
        if (!batch.hasProducerId() || !batch.isTransactional()) {
            throw new InvalidRecordException("a control batch (attributes bit 5) ends a producer's transaction: it"
                    + " carries the producer's id and the transactional bit; this one has producer id "
                    + batch.producerId() + " and attributes " + batch.attributes());
        }
        ControlRecord.of(batch);
    }

    /** The bytes in an array, which the walk reads straight: copied if they lie outside the heap. */
    private static ByteBuffer onHeap(ByteBuffer bytes) {
        if (bytes.hasArray()) {
            return bytes;
        }
        byte[] copy = new byte[bytes.remaining()];
        bytes.duplicate().get(copy);
        return ByteBuffer.wrap(copy);
    }

    /**
     * Walks the records as {@link RecordBatch#offsetRecords} reads them, but only looks, straight over a byte
     * array: the check runs for every record a broker takes, and this is about four times as fast as the
     * same walk through a {@code ByteBuffer}. It refuses with the reader's own errors.
     */
    private static final class RecordWalk {
        private final byte[] bytes;
        private int at;
        private int end;

        private RecordWalk(byte[] bytes, int at) {
            this.bytes = bytes;
            this.at = at;
        }

        /** Checks {@code count} records from {@code position}; returns the position after the last. */
        static int check(byte[] bytes, int arrayOffset, int position, int limit, int count, long baseTimestamp,
                         boolean addDeltas, RecordCheck check) {
            RecordWalk walk = new RecordWalk(bytes, arrayOffset + position);
            int batchEnd = arrayOffset + limit;
            for (int i = 0; i < count; i++) {
                walk.end = batchEnd;
                int length = walk.varint(i);
                if (length < 0 || length > batchEnd - walk.at) {
                    throw RecordBatch.recordTooLong(i, length, batchEnd - walk.at);
                }
                walk.end = walk.at + length;
                walk.skip(1, i); // attributes
                long timestampDelta = walk.varlong(i);
                int offsetDelta = walk.varint(i);
                if (offsetDelta != i) {
                    throw RecordBatch.outOfOrder(i, offsetDelta, i, i);
                }
                int keyLength = walk.field(i, "key");
                int valueLength = walk.field(i, "value");
                walk.headers(i);
                check.check(offsetDelta, addDeltas ? baseTimestamp + timestampDelta : baseTimestamp, keyLength,
                        valueLength);
            }
            return walk.at - arrayOffset;
        }

        private void headers(int record) {
            int headerCount = varint(record);
            if (headerCount < 0 || headerCount > (end - at) / 2) {
                throw RecordBatch.tooManyHeaders(record, headerCount);
            }
            for (int h = 0; h < headerCount; h++) {
                if (field(record, "header name") < 0) {
                    throw RecordBatch.headerWithoutName(record, h);
                }
                field(record, "header value");
            }
            if (at != end) {
                throw RecordBatch.bytesAfterRecord(record, end - at);
            }
        }

        /** A length and the bytes after it, passed over; returns the length (-1 for none). */
        private int field(int record, String name) {
            int length = varint(record);
            if (length < -1 || length > end - at) {
                throw RecordBatch.fieldTooLong(record, name, length, end - at);
            }
            if (length > 0) {
                at += length;
            }
            return length;
        }

        private void skip(int count, int record) {
            if (end - at < count) {
                throw RecordBatch.cutOff(record);
            }
            at += count;
        }

        private int varint(int record) {
            if (at < end && bytes[at] >= 0) { // one byte, as most lengths and deltas in a record are
                return Varint.unzigzag((int) bytes[at++]);
            }
            return Varint.unzigzag((int) rawVarint(record, 5));
        }

        private long varlong(int record) {
            if (at < end && bytes[at] >= 0) {
                return Varint.unzigzag((long) bytes[at++]);
            }
            return Varint.unzigzag(rawVarint(record, 10));
        }

        /** The 7-bit groups of a varint of up to {@code maxBytes}, low first, before the zigzag is undone. */
        private long rawVarint(int record, int maxBytes) {
            long value = 0;
            for (int shift = 0, read = 0; read < maxBytes; shift += 7, read++) {
                if (at >= end) {
                    throw RecordBatch.cutOff(record);
                }
                byte b = bytes[at++];
                value |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw Varint.tooLong(maxBytes);
        }
    }
}

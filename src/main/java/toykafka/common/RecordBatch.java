package toykafka.common;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * One Kafka record batch, format v2 (magic 2): how a producer sends records, how a broker stores them
 * and how a consumer fetches them, the same bytes all the way. This class is a view over the bytes of
 * exactly one batch, from position 0 to the limit of its buffer.
 */
public final class RecordBatch {

    // tag::layout[]
    //  field                 type     at  meaning
    //  baseOffset            int64     0  the first record's offset, stamped by the log (outside the CRC)
    //  batchLength           int32     8  bytes after this field
    //  partitionLeaderEpoch  int32    12  the leader's epoch at append, -1 for none (outside the CRC)
    //  magic                 int8     16  2, this format
    //  crc                   uint32   17  CRC-32C of every byte from attributes to the end
    //  attributes            int16    21  bits 0-2 codec, 3 LogAppendTime, 4 transactional, 5 control
    //  lastOffsetDelta       int32    23  the last record's offset minus baseOffset
    //  baseTimestamp         int64    27  the first record's timestamp, epoch ms
    //  maxTimestamp          int64    35  the newest record's timestamp, or the broker's (LogAppendTime)
    //  producerId            int64    43  -1 unless the producer is idempotent
    //  producerEpoch         int16    51  -1 likewise
    //  baseSequence          int32    53  -1 likewise
    //  recordsCount          int32    57  how many records follow
    //  records                        61  compressed together if the codec says so; each record is
    //    length varint, attributes int8 (unused), timestampDelta varlong, offsetDelta varint,
    //    key length varint (-1: null) and key, value length varint (-1: null) and value,
    //    header count varint, then per header: key length varint, UTF-8 key, value length varint, value
    // end::layout[]

    public static final byte MAGIC = 2;
    /** The base offset and length fields: what a reader needs to find the next batch. */
    public static final int LOG_OVERHEAD = 12;
    /** The header, all fields before the records. */
    public static final int HEADER_SIZE = RecordBatchSize.BATCH_OVERHEAD;
    public static final int NO_PARTITION_LEADER_EPOCH = -1;
    /**
     * The leader epoch of a partition whose leader never changed: Kafka's first, 0. One broker leads every partition
     * of its own from the start, so it stamps each batch with 0 and answers 0 wherever Kafka answers an epoch.
     */
    public static final int FIRST_LEADER_EPOCH = 0;
    /** Kafka's timestamp for a batch that has none: an empty one. */
    public static final long NO_TIMESTAMP = -1;

    public static final int LENGTH_AT = 8;
    public static final int LEADER_EPOCH_AT = 12;
    public static final int MAGIC_AT = 16;
    public static final int CRC_AT = 17;
    public static final int ATTRIBUTES_AT = 21;
    public static final int LAST_OFFSET_DELTA_AT = 23;
    public static final int BASE_TIMESTAMP_AT = 27;
    public static final int MAX_TIMESTAMP_AT = 35;
    public static final int PRODUCER_ID_AT = 43;
    public static final int PRODUCER_EPOCH_AT = 51;
    public static final int BASE_SEQUENCE_AT = 53;
    public static final int RECORDS_COUNT_AT = 57;

    public static final int CODEC_MASK = 0x07;
    private static final int LOG_APPEND_TIME_BIT = 0x08;
    /** Bit 4 of the attributes: the batch is part of a transaction. */
    public static final int TRANSACTIONAL_BIT = 0x10;
    private static final int CONTROL_BIT = 0x20;

    private final ByteBuffer bytes;

    private RecordBatch(ByteBuffer bytes) {
        this.bytes = bytes;
    }

    /**
     * The batch at the start of {@code buffer} (from its position), checked only as far as its length:
     * enough to step over it. The CRC and records are checked by {@link BatchValidator#validate}.
     */
    public static RecordBatch wrap(ByteBuffer buffer) {
        int size = sizeAt(buffer, buffer.position());
        if (size < 0 || size > buffer.remaining()) {
            throw new CorruptRecordException("a record batch is cut off: " + buffer.remaining() + " bytes where its"
                    + " header " + (size < 0 ? "needs " + HEADER_SIZE : "says " + size));
        }
        return new RecordBatch(buffer.slice(buffer.position(), size));
    }

    /** Every batch in {@code buffer}, back to back from its position to its limit, as a producer sends them. */
    public static List<RecordBatch> wrapAll(ByteBuffer buffer) {
        List<RecordBatch> batches = new ArrayList<>();
        ByteBuffer rest = buffer.slice();
        while (rest.hasRemaining()) {
            RecordBatch batch = wrap(rest);
            batches.add(batch);
            rest.position(rest.position() + batch.sizeInBytes());
        }
        return batches;
    }

    /**
     * The size of the batch whose first byte is at {@code at}, from its length field; -1 if fewer than
     * {@link #LOG_OVERHEAD} bytes are there to say. Throws when the length cannot be a batch's.
     */
    public static int sizeAt(ByteBuffer buffer, int at) {
        if (buffer.limit() - at < LOG_OVERHEAD) {
            return -1;
        }
        int length = buffer.getInt(at + LENGTH_AT);
        if (length < HEADER_SIZE - LOG_OVERHEAD || length > Integer.MAX_VALUE - LOG_OVERHEAD) {
            throw new CorruptRecordException("a batch length field says " + length + " bytes; a batch is at least "
                    + (HEADER_SIZE - LOG_OVERHEAD) + " after that field");
        }
        return LOG_OVERHEAD + length;
    }

    // tag::encode[]
    /** Encodes records as one batch, the way a producer does; offset deltas and timestamps count from the first. */
    public static RecordBatch of(List<Record> records, long baseOffset, Compression codec) {
        if (records.isEmpty()) {
            throw new InvalidRecordException("a batch holds 1 or more records; this one has none");
        }
        long baseTimestamp = records.get(0).timestamp().toEpochMilli();
        long maxTimestamp = baseTimestamp;
        int recordsSize = (int) Math.min(Integer.MAX_VALUE, RecordBatchSize.of(records) - HEADER_SIZE);
        ByteBuffer plain = ByteBuffer.allocate(recordsSize);
        for (int i = 0; i < records.size(); i++) {
            long timestamp = records.get(i).timestamp().toEpochMilli();
            maxTimestamp = Math.max(maxTimestamp, timestamp);
            writeRecord(plain, records.get(i), i, timestamp - baseTimestamp);
        }
        byte[] body = codec == Compression.NONE ? plain.array() : compress(codec, plain.array());
        ByteBuffer batch = ByteBuffer.allocate(HEADER_SIZE + body.length);
        batch.putLong(baseOffset)
                .putInt(HEADER_SIZE + body.length - LOG_OVERHEAD)
                .putInt(NO_PARTITION_LEADER_EPOCH)
                .put(MAGIC)
                .putInt(0) // the CRC, once the bytes it covers are written
                .putShort((short) codec.id())
                .putInt(records.size() - 1)
                .putLong(baseTimestamp)
                .putLong(maxTimestamp)
                .putLong(-1L).putShort((short) -1).putInt(-1) // no idempotent producer
                .putInt(records.size())
                .put(body);
        RecordBatch encoded = new RecordBatch(batch.flip());
        encoded.writeCrc();
        return encoded;
    }

    private static void writeRecord(ByteBuffer out, Record record, int offsetDelta, long timestampDelta) {
        int bodySize = 1 + Varint.sizeOfLong(timestampDelta) + Varint.sizeOfInt(offsetDelta)
                + sizeOfBytes(record.key()) + sizeOfBytes(record.value()) + Varint.sizeOfInt(record.headers().size());
        for (Header header : record.headers()) {
            bodySize += sizeOfBytes(header.key().getBytes(StandardCharsets.UTF_8)) + sizeOfBytes(header.value());
        }
        Varint.writeInt(out, bodySize);
        out.put((byte) 0);
        Varint.writeLong(out, timestampDelta);
        Varint.writeInt(out, offsetDelta);
        writeBytes(out, record.key());
        writeBytes(out, record.value());
        Varint.writeInt(out, record.headers().size());
        for (Header header : record.headers()) {
            writeBytes(out, header.key().getBytes(StandardCharsets.UTF_8));
            writeBytes(out, header.value());
        }
    }
    // end::encode[]

    /** The records, decoded (and decompressed); with LogAppendTime every record has the batch's time. */
    public List<Record> records() {
        return offsetRecords().stream().map(OffsetRecord::record).toList();
    }

    /**
     * The records with their offsets, decoded (and decompressed). A batch a producer sent holds offsets
     * base..base+lastOffsetDelta, all of them; one the log cleaner rewrote may keep only some, or none.
     * So reading asks less than {@link BatchValidator#validate}: the offset deltas only rise, and none
     * passes lastOffsetDelta.
     */
    public List<OffsetRecord> offsetRecords() {
        int count = count();
        int lastDelta = lastOffsetDelta();
        if (count < 0 || lastDelta < 0 || count - 1 > lastDelta) {
            throw new CorruptRecordException("a batch of " + count + " records cannot fit in offset deltas 0.."
                    + lastDelta);
        }
        List<OffsetRecord> records = new ArrayList<>(Math.min(count, 4096));
        ByteBuffer in = recordBytes();
        long minDelta = 0;
        for (int i = 0; i < count; i++) {
            OffsetRecord record = readRecord(in, i, minDelta, lastDelta);
            records.add(record);
            minDelta = record.offset() - baseOffset() + 1;
        }
        return records;
    }

    /** Reads the record at the buffer's position, whose offset delta must lie in minDelta..maxDelta. */
    private OffsetRecord readRecord(ByteBuffer in, int index, long minDelta, long maxDelta) {
        int batchLimit = in.limit();
        try {
            int length = Varint.readInt(in);
            if (length < 0 || length > in.remaining()) {
                throw recordTooLong(index, length, in.remaining());
            }
            in.limit(in.position() + length); // the record's own end: no field may run past it
            in.get(); // attributes: unused in format v2
            long timestampDelta = Varint.readLong(in);
            long timestamp = isLogAppendTime() ? maxTimestamp() : baseTimestamp() + timestampDelta;
            int offsetDelta = Varint.readInt(in);
            if (offsetDelta < minDelta || offsetDelta > maxDelta) {
                throw outOfOrder(index, offsetDelta, minDelta, maxDelta);
            }
            byte[] key = readBytes(in, "key", index);
            byte[] value = readBytes(in, "value", index);
            int headerCount = Varint.readInt(in);
            if (headerCount < 0 || headerCount > in.remaining() / 2) {
                throw tooManyHeaders(index, headerCount);
            }
            List<Header> headers = new ArrayList<>(headerCount);
            for (int h = 0; h < headerCount; h++) {
                byte[] name = readBytes(in, "header name", index);
                if (name == null) {
                    throw headerWithoutName(index, h);
                }
                headers.add(new Header(new String(name, StandardCharsets.UTF_8), readBytes(in, "header value", index)));
            }
            if (in.hasRemaining()) {
                throw bytesAfterRecord(index, in.remaining());
            }
            return new OffsetRecord(baseOffset() + offsetDelta, new Record(key, value, Instant.ofEpochMilli(timestamp),
                    headers));
        } catch (BufferUnderflowException cutOff) {
            throw cutOff(index);
        } finally {
            in.limit(batchLimit);
        }
    }

    /** A length, then that many bytes; a length of -1 is null. */
    private static byte[] readBytes(ByteBuffer in, String field, int index) {
        int length = Varint.readInt(in);
        if (length < -1 || length > in.remaining()) {
            throw fieldTooLong(index, field, length, in.remaining());
        }
        if (length == -1) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    // The refusals of a record that does not parse, shared with BatchValidator's walk so each is worded once.
    // They are built out of line, so that the walks stay small enough to be compiled inline.

    static CorruptRecordException cutOff(int record) {
        return new CorruptRecordException("record " + record + " is cut off inside its fields");
    }

    static CorruptRecordException recordTooLong(int record, int length, int left) {
        return new CorruptRecordException("record " + record + " says it is " + length + " bytes; " + left
                + " are left in the batch");
    }

    /** Deltas from {@code min} to {@code max}: a producer's run 0, 1, 2, ... exactly (min == max). */
    static InvalidRecordException outOfOrder(int record, int offsetDelta, long min, long max) {
        return new InvalidRecordException("record " + record + " of the batch has offset delta " + offsetDelta
                + (min == max ? "; the deltas must run 0, 1, 2, ... in order"
                : "; the deltas must rise, from " + min + " here, up to lastOffsetDelta " + max));
    }

    static CorruptRecordException fieldTooLong(int record, String name, int length, int left) {
        return new CorruptRecordException("the " + name + " of record " + record + " says it is " + length
                + " bytes; " + left + " are left in the record");
    }

    static CorruptRecordException tooManyHeaders(int record, int headerCount) {
        return new CorruptRecordException("record " + record + " says it has " + headerCount + " headers");
    }

    static CorruptRecordException headerWithoutName(int record, int header) {
        return new CorruptRecordException("header " + header + " of record " + record + " has no name");
    }

    static CorruptRecordException bytesAfterRecord(int record, int left) {
        return new CorruptRecordException("record " + record + " has " + left + " bytes after its last field");
    }

    /** The records' bytes, one after another, decompressed if need be. */
    public ByteBuffer recordBytes() {
        ByteBuffer body = bytes.slice(HEADER_SIZE, bytes.limit() - HEADER_SIZE);
        Compression codec = compression();
        if (codec == Compression.NONE) {
            return body;
        }
        byte[] compressed = new byte[body.remaining()];
        body.get(compressed);
        try (InputStream in = codec.decompressing(new ByteArrayInputStream(compressed))) {
            return ByteBuffer.wrap(in.readAllBytes());
        } catch (IOException | RuntimeException damaged) {
            throw new CorruptRecordException("the batch's " + codec.configName() + " data does not decompress: "
                    + damaged.getMessage());
        }
    }

    /** {@code plain} compressed with {@code codec}, in memory. */
    public static byte[] compress(Compression codec, byte[] plain) {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream(plain.length / 2 + 64);
        try (OutputStream out = codec.compressing(compressed)) {
            out.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException("compressing a batch in memory", e);
        }
        return compressed.toByteArray();
    }

    /** Gives the batch its place in the log. The base offset is outside the CRC: no checksum to redo. */
    public void setBaseOffset(long baseOffset) {
        bytes.putLong(0, baseOffset);
    }

    /**
     * Stamps the broker's clock on the batch (message.timestamp.type=LogAppendTime): the timestamp-type
     * bit and maxTimestamp change, which are inside the CRC, so the CRC is computed again. The records
     * keep their bytes; a reader gives each of them the batch's time.
     */
    public void setLogAppendTime(long now) {
        bytes.putShort(ATTRIBUTES_AT, (short) (attributes() | LOG_APPEND_TIME_BIT));
        bytes.putLong(MAX_TIMESTAMP_AT, now);
        writeCrc();
    }

    /**
     * Makes the batch a producer's: its id, epoch and first sequence, with {@code extraAttributes} (the
     * transactional and control bits) added to the codec's; the CRC is computed again. For the batches the
     * broker writes on a producer's behalf: its markers, and offsets committed inside its transaction.
     */
    public void setProducer(long producerId, short producerEpoch, int baseSequence, int extraAttributes) {
        bytes.putShort(ATTRIBUTES_AT, (short) (attributes() | extraAttributes));
        bytes.putLong(PRODUCER_ID_AT, producerId);
        bytes.putShort(PRODUCER_EPOCH_AT, producerEpoch);
        bytes.putInt(BASE_SEQUENCE_AT, baseSequence);
        writeCrc();
    }

    public void setPartitionLeaderEpoch(int epoch) {
        bytes.putInt(LEADER_EPOCH_AT, epoch);
    }

    private void writeCrc() {
        bytes.putInt(CRC_AT, computeCrc());
    }

    /** The CRC-32C of the bytes from the attributes to the end, as Kafka computes it. */
    public int computeCrc() {
        CRC32C crc = new CRC32C();
        crc.update(bytes.duplicate().position(ATTRIBUTES_AT));
        return (int) crc.getValue();
    }

    public int storedCrc() {
        return bytes.getInt(CRC_AT);
    }

    public long baseOffset() {
        return bytes.getLong(0);
    }

    /** The offset of the last record: base offset plus lastOffsetDelta. */
    public long lastOffset() {
        return baseOffset() + lastOffsetDelta();
    }

    /** The offset after the last record: where the next batch starts. */
    public long nextOffset() {
        return lastOffset() + 1;
    }

    public int lastOffsetDelta() {
        return bytes.getInt(LAST_OFFSET_DELTA_AT);
    }

    public int sizeInBytes() {
        return bytes.limit();
    }

    public int partitionLeaderEpoch() {
        return bytes.getInt(LEADER_EPOCH_AT);
    }

    public byte magic() {
        return bytes.get(MAGIC_AT);
    }

    public int attributes() {
        return bytes.getShort(ATTRIBUTES_AT);
    }

    public Compression compression() {
        return Compression.ofId(attributes() & CODEC_MASK);
    }

    public boolean isLogAppendTime() {
        return (attributes() & LOG_APPEND_TIME_BIT) != 0;
    }

    public boolean isTransactional() {
        return (attributes() & TRANSACTIONAL_BIT) != 0;
    }

    public boolean isControl() {
        return (attributes() & CONTROL_BIT) != 0;
    }

    public long baseTimestamp() {
        return bytes.getLong(BASE_TIMESTAMP_AT);
    }

    /** The newest record's timestamp: what the time index and retention look at. */
    public long maxTimestamp() {
        return bytes.getLong(MAX_TIMESTAMP_AT);
    }

    public long producerId() {
        return bytes.getLong(PRODUCER_ID_AT);
    }

    public short producerEpoch() {
        return bytes.getShort(PRODUCER_EPOCH_AT);
    }

    public int baseSequence() {
        return bytes.getInt(BASE_SEQUENCE_AT);
    }

    /** Whether an idempotent producer sent it: then its producer id, epoch and sequences mean something. */
    public boolean hasProducerId() {
        return producerId() >= 0;
    }

    /**
     * The last record's sequence number: the base sequence plus lastOffsetDelta, going on from 0 after
     * {@link Integer#MAX_VALUE} as a producer's sequences do (Kafka's {@code DefaultRecordBatch.lastSequence}).
     * -1 when the batch has no sequence.
     */
    public int lastSequence() {
        int base = baseSequence();
        if (base < 0) {
            return -1;
        }
        int delta = lastOffsetDelta();
        return base > Integer.MAX_VALUE - delta ? delta - (Integer.MAX_VALUE - base) - 1 : base + delta;
    }

    public int count() {
        return bytes.getInt(RECORDS_COUNT_AT);
    }

    /** The batch's bytes, position 0 to its size: a view, so a change to them changes the batch. */
    public ByteBuffer buffer() {
        return bytes.duplicate();
    }

    @Override
    public String toString() {
        return "RecordBatch(offsets " + baseOffset() + ".." + lastOffset() + ", " + count() + " records, "
                + sizeInBytes() + " bytes, " + compression().configName() + ")";
    }

    private static int sizeOfBytes(byte[] bytes) {
        return bytes == null ? 1 : Varint.sizeOfInt(bytes.length) + bytes.length;
    }

    private static void writeBytes(ByteBuffer out, byte[] bytes) {
        if (bytes == null) {
            Varint.writeInt(out, -1);
        } else {
            Varint.writeInt(out, bytes.length);
            out.put(bytes);
        }
    }
}

package toykafka.common;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

// tag::marker[]
/**
 * A transaction marker: the one record of a control batch that ends a producer's transaction in one
 * partition, written by the broker, never sent by a client. Kafka's {@code EndTransactionMarker}.
 *
 * <p>The batch carries the producer's id and epoch, the transactional and control bits (attributes 0x30)
 * and no sequence. Its record's key says which kind of marker it is: version 0 (int16), then type (int16),
 * 0 for ABORT and 1 for COMMIT. Its value is version 0 (int16) and the coordinator's epoch (int32), which
 * tells a marker from an older coordinator apart from a newer one's. Consumers never see the record: they
 * read the batch's kind, and skip it.
 */
public record ControlRecord(boolean commit, int coordinatorEpoch) {

    /** The transactional and control bits of a marker batch's attributes. */
    public static final int MARKER_ATTRIBUTES = 0x10 | 0x20;
    private static final short VERSION = 0;
    private static final short ABORT = 0;
    private static final short COMMIT = 1;
    private static final int KEY_SIZE = 4;
    private static final int VALUE_SIZE = 6;

    /** The marker batch for one partition: base offset 0 until the log gives it its place. */
    public RecordBatch batch(long producerId, short producerEpoch, Instant timestamp) {
        byte[] key = ByteBuffer.allocate(KEY_SIZE).putShort(VERSION).putShort(commit ? COMMIT : ABORT).array();
        byte[] value = ByteBuffer.allocate(VALUE_SIZE).putShort(VERSION).putInt(coordinatorEpoch).array();
        RecordBatch batch = RecordBatch.of(List.of(new Record(key, value, timestamp, List.of())), 0, Compression.NONE);
        batch.setProducer(producerId, producerEpoch, -1, MARKER_ATTRIBUTES);
        return batch;
    }

    /**
     * The marker a control batch holds. Refuses a batch that is not one: not control, not exactly one record,
     * or a key or value of another size or version, or a type other than ABORT and COMMIT.
     */
    public static ControlRecord of(RecordBatch batch) {
        if (!batch.isControl() || !batch.isTransactional()) {
            throw new InvalidRecordException("a transaction marker is a batch with the transactional and control bits"
                    + " set; this one's attributes are " + batch.attributes());
        }
        List<Record> records = batch.records();
        if (records.size() != 1) {
            throw new InvalidRecordException("a control batch holds exactly 1 record; this one holds " + records.size());
        }
        byte[] key = records.get(0).key();
        byte[] value = records.get(0).value();
        if (key == null || key.length != KEY_SIZE || ByteBuffer.wrap(key).getShort() != VERSION) {
            throw new InvalidRecordException("a control record's key is version 0 and a type, 4 bytes; this one is "
                    + (key == null ? "null" : key.length + " bytes"));
        }
        short type = ByteBuffer.wrap(key).getShort(2);
        if (type != ABORT && type != COMMIT) {
            throw new InvalidRecordException("a transaction marker's type is 0 (ABORT) or 1 (COMMIT); this one's is "
                    + type);
        }
        if (value == null || value.length < VALUE_SIZE || ByteBuffer.wrap(value).getShort() != VERSION) {
            throw new InvalidRecordException("a transaction marker's value is version 0 and the coordinator's epoch,"
                    + " 6 bytes; this one is " + (value == null ? "null" : value.length + " bytes"));
        }
        return new ControlRecord(type == COMMIT, ByteBuffer.wrap(value).getInt(2));
    }

    @Override
    public String toString() {
        return (commit ? "COMMIT" : "ABORT") + " (coordinator epoch " + coordinatorEpoch + ")";
    }
}
// end::marker[]

package toykafka.kafka;

import java.nio.ByteBuffer;
import java.util.List;
import toykafka.broker.AppendResult;
import toykafka.common.ApiException;
import toykafka.common.Compression;
import toykafka.common.Errors;
import toykafka.common.RecordBatch;

/**
 * One partition's {@code records} field in a Produce request, seen through its batch headers only: how many
 * batches and records, how many bytes, which codec. It applies the rules that belong to the request's
 * version rather than to the log (Kafka's {@code ProduceRequest.validateRecords}): from v3 a partition
 * carries exactly one batch, in message format v2, and zstd only from v7. The CRC, the records and the
 * topic's rules are the log's to check, so the bytes are neither copied nor changed here.
 */
final class ProducedRecords {

    /** The first Produce version that may carry zstd-compressed batches (KIP-110). */
    static final short FIRST_ZSTD_VERSION = 7;

    private final ByteBuffer bytes;
    private final List<RecordBatch> batches;
    private final ApiException unreadable;

    private ProducedRecords(ByteBuffer bytes, List<RecordBatch> batches, ApiException unreadable) {
        this.bytes = bytes;
        this.batches = batches;
        this.unreadable = unreadable;
    }

    /** The field as sent; null when the client sent a null records field. */
    static ProducedRecords of(ByteBuffer bytes) {
        if (bytes == null) {
            return new ProducedRecords(null, List.of(), null);
        }
        try {
            return new ProducedRecords(bytes, RecordBatch.wrapAll(bytes.duplicate()), null);
        } catch (ApiException cutOff) { // a length field no batch can have, or a batch cut off
            return new ProducedRecords(bytes, List.of(), cutOff);
        }
    }

    /** The bytes to hand to the log, untouched; null for a null field. */
    ByteBuffer bytes() {
        return bytes;
    }

    /**
     * Why a Produce request of this version may not carry these records, as Kafka answers it, or null when
     * it may and the log is to judge them.
     */
    AppendResult refusal(short version) {
        if (bytes == null) {
            return refused(Errors.INVALID_RECORD, "the records field is null; a produce request carries one record"
                    + " batch for each partition it names");
        }
        if (!bytes.hasRemaining()) {
            return refused(Errors.INVALID_RECORD, "the records field is empty (0 bytes); Produce v" + version
                    + " carries exactly one record batch for each partition it names");
        }
        if (magic() >= 0 && magic() != RecordBatch.MAGIC) { // before the lengths: older formats lay them out otherwise
            return refused(Errors.INVALID_RECORD, "the records are in message format v" + magic() + "; Produce v"
                    + version + " carries message format v2 (magic 2) only");
        }
        if (unreadable != null) {
            return refused(unreadable.error(), unreadable.getMessage());
        }
        RecordBatch first = batches.get(0);
        if (batches.size() > 1) {
            return refused(Errors.INVALID_RECORD, "the records field holds " + batches.size() + " record batches;"
                    + " Produce v" + version + " carries exactly one batch for each partition");
        }
        if (version < FIRST_ZSTD_VERSION && (first.attributes() & RecordBatch.CODEC_MASK) == Compression.ZSTD.id()) {
            return refused(Errors.UNSUPPORTED_COMPRESSION_TYPE, "the batch is zstd-compressed, which Produce v"
                    + FIRST_ZSTD_VERSION + " and later may carry; this request is v" + version);
        }
        return null;
    }

    /** The one batch, if a transactional producer's: call only once {@link #refusal} has let the records by. */
    RecordBatch transactionalBatch() {
        RecordBatch only = batches.get(0);
        return only.isTransactional() ? only : null;
    }

    /** The format's magic byte, which every format since Kafka 0.8 puts at byte 16; -1 if cut off before it. */
    private int magic() {
        return bytes.remaining() > RecordBatch.MAGIC_AT ? bytes.get(bytes.position() + RecordBatch.MAGIC_AT) & 0xff : -1;
    }

    /** A learner's words for what was sent: "1 batch 3 records 212 B, gzip". */
    String summary() {
        if (bytes == null) {
            return "null records";
        }
        if (unreadable != null || batches.isEmpty() || magic() != RecordBatch.MAGIC) {
            return bytes.remaining() + " B";
        }
        long records = 0;
        for (RecordBatch batch : batches) {
            records += batch.count();
        }
        int codec = batches.get(0).attributes() & RecordBatch.CODEC_MASK;
        return batches.size() + (batches.size() == 1 ? " batch " : " batches ") + records
                + (records == 1 ? " record " : " records ") + bytes.remaining() + " B"
                + (codec == Compression.NONE.id() ? "" : ", " + codecName(codec));
    }

    private static String codecName(int id) {
        for (Compression codec : Compression.values()) {
            if (codec.id() == id) {
                return codec.configName();
            }
        }
        return "codec " + id;
    }

    static AppendResult refused(Errors error, String message) {
        return new AppendResult(error, message, -1, -1, -1);
    }
}

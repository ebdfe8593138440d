package toykafka.broker;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import toykafka.common.BatchValidator;
import toykafka.common.Compression;
import toykafka.common.RecordBatch;
import toykafka.common.RecordRules;
import toykafka.common.TopicConfig;

/**
 * A topic's {@code compression.type} put to work on append: with {@code producer} (the default) every batch
 * is stored as its producer encoded it; with a codec named ({@code gzip}, {@code snappy}, {@code lz4},
 * {@code zstd}, or {@code uncompressed}), a batch in any other codec is decompressed and compressed again
 * in the topic's, and a batch already in it is stored as it came. Kafka's {@code LogValidator} does the
 * same when the target codec differs from the source one ({@code validateMessagesAndAssignOffsetsCompressed}).
 *
 * <p>Only the records' bytes change codec. Everything in the header stays: the offset deltas, the
 * timestamps, the producer id, epoch and sequence, the transactional bit; the records keep their headers
 * and timestamp deltas, which are written the same in every codec. So the stored batch is still one
 * RecordBatch v2 that Kafka's own reader takes, and the log gives it offsets as it does any other.
 */
final class Recompression {

    private Recompression() {
    }

    /**
     * The batches as the topic stores them: {@code sent} itself when every batch may stay as it came, else
     * new bytes with each batch in the topic's codec. A batch to be recompressed is first checked whole
     * (its CRC, its records' fields, {@code max.message.bytes} on the size it was sent at), so that damage is
     * refused rather than sealed under a fresh CRC; the log checks the result again, as it checks any batch,
     * with the topic's rules for each record.
     */
    static ByteBuffer toTopicCodec(ByteBuffer sent, TopicConfig config) {
        Optional<Compression> target = config.compressionType();
        if (target.isEmpty()) {
            return sent;
        }
        List<RecordBatch> batches = RecordBatch.wrapAll(sent.duplicate());
        if (batches.stream().allMatch(batch -> codecOf(batch) == target.get().id())) {
            return sent;
        }
        RecordRules rules = RecordRules.of(config);
        ByteBuffer[] stored = new ByteBuffer[batches.size()];
        int size = 0;
        for (int i = 0; i < batches.size(); i++) {
            RecordBatch batch = batches.get(i);
            stored[i] = codecOf(batch) == target.get().id() ? batch.buffer() : recompressed(batch, target.get(), rules);
            size += stored[i].remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        for (ByteBuffer batch : stored) {
            all.put(batch);
        }
        return all.flip();
    }

    /** The codec bits as they are, without refusing an unknown codec here: the log's checks word that. */
    private static int codecOf(RecordBatch batch) {
        return batch.attributes() & RecordBatch.CODEC_MASK;
    }

    /** One batch with its records in {@code codec}: the header copied, the codec bits, length and CRC rewritten. */
    private static ByteBuffer recompressed(RecordBatch batch, Compression codec, RecordRules rules) {
        rules.checkSize(batch.sizeInBytes());
        // the records' fields only: the log applies the topic's rules to the result, naming every record refused
        BatchValidator.validate(batch, (delta, timestamp, keyLength, valueLength) -> { });
        ByteBuffer plain = batch.recordBytes();
        byte[] records = new byte[plain.remaining()];
        plain.get(records);
        byte[] body = codec == Compression.NONE ? records : RecordBatch.compress(codec, records);
        ByteBuffer out = ByteBuffer.allocate(RecordBatch.HEADER_SIZE + body.length);
        out.put(batch.buffer().limit(RecordBatch.HEADER_SIZE)).put(body).flip();
        out.putInt(RecordBatch.LENGTH_AT, out.limit() - RecordBatch.LOG_OVERHEAD);
        out.putShort(RecordBatch.ATTRIBUTES_AT, (short) (batch.attributes() & ~RecordBatch.CODEC_MASK | codec.id()));
        RecordBatch rewritten = RecordBatch.wrap(out.duplicate());
        out.putInt(RecordBatch.CRC_AT, rewritten.computeCrc());
        return out;
    }
}

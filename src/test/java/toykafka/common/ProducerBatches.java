package toykafka.common;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Record batches as a producer sends them, at base offset 0, for tests to hand to the broker: a plain
 * producer's, an idempotent one's and a transactional one's. Written by the course's RecordBatch, whose bytes
 * the oracle tests prove to be Kafka's.
 */
public final class ProducerBatches {

    private ProducerBatches() {
    }

    public static ByteBuffer plain(Record... records) {
        return plain(Compression.NONE, records);
    }

    public static ByteBuffer plain(Compression codec, Record... records) {
        return RecordBatch.of(List.of(records), 0, codec).buffer();
    }

    public static ByteBuffer idempotent(long producerId, short epoch, int baseSequence, Record... records) {
        return idempotent(Compression.NONE, producerId, epoch, baseSequence, records);
    }

    public static ByteBuffer idempotent(Compression codec, long producerId, short epoch, int baseSequence,
                                        Record... records) {
        RecordBatch batch = RecordBatch.of(List.of(records), 0, codec);
        batch.setProducer(producerId, epoch, baseSequence, 0);
        return batch.buffer();
    }

    public static ByteBuffer transactional(long producerId, short epoch, int baseSequence, Record... records) {
        RecordBatch batch = RecordBatch.of(List.of(records), 0, Compression.NONE);
        batch.setProducer(producerId, epoch, baseSequence, RecordBatch.TRANSACTIONAL_BIT);
        return batch.buffer();
    }
}

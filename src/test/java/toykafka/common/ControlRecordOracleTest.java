package toykafka.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.record.ControlRecordType;
import org.apache.kafka.common.record.EndTransactionMarker;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.check.MessageFacts;

/**
 * Transaction markers against Kafka's own client library: the control batch we write is the one Kafka's
 * {@code MemoryRecords.withEndTransactionMarker} builds, byte for byte, and each reads the other's.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ControlRecordOracleTest {

    private static final Instant NOON = Instant.parse("2024-05-01T12:00:00Z");

    private static ByteBuffer kafkas(boolean commit, long producerId, short epoch, int coordinatorEpoch) {
        return MemoryRecords.withEndTransactionMarker(0, NOON.toEpochMilli(), RecordBatch.NO_PARTITION_LEADER_EPOCH,
                producerId, epoch, new EndTransactionMarker(commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT,
                        coordinatorEpoch)).buffer();
    }

    @Test
    void our_markers_are_kafkas_byte_for_byte() {
        for (boolean commit : List.of(true, false)) {
            ByteBuffer ours = new ControlRecord(commit, 5).batch(4242, (short) 3, NOON).buffer();
            assertEquals(kafkas(commit, 4242, (short) 3, 5), ours, commit ? "COMMIT" : "ABORT");
        }
    }

    @Test
    void kafka_reads_our_marker_and_we_read_kafkas() {
        ByteBuffer ours = new ControlRecord(false, 9).batch(17, (short) 2, NOON).buffer();
        MutableRecordBatch batch = MemoryRecords.readableRecords(ours).batches().iterator().next();
        assertTrue(batch.isControlBatch() && batch.isTransactional());
        assertEquals(17, batch.producerId());
        assertEquals(2, batch.producerEpoch());
        org.apache.kafka.common.record.Record record = batch.iterator().next();
        assertEquals(ControlRecordType.ABORT, ControlRecordType.parse(record.key()));
        assertEquals(9, EndTransactionMarker.deserialize(record).coordinatorEpoch());

        ControlRecord theirs = ControlRecord.of(toykafka.common.RecordBatch.wrap(kafkas(true, 17, (short) 2, 11)));
        assertEquals(new ControlRecord(true, 11), theirs);
    }

    @Test
    void a_batch_that_is_no_marker_is_refused_with_what_a_marker_is() {
        toykafka.common.RecordBatch plain = toykafka.common.RecordBatch.of(List.of(Record.of("k", "v", NOON)), 0,
                Compression.NONE);
        MessageFacts.assertMentions(assertThrows(InvalidRecordException.class, () -> ControlRecord.of(plain)),
                "transactional", "control");
        toykafka.common.RecordBatch wrongKey = toykafka.common.RecordBatch.of(List.of(Record.of("key", "v", NOON)), 0,
                Compression.NONE);
        wrongKey.setProducer(1, (short) 0, -1, ControlRecord.MARKER_ATTRIBUTES);
        MessageFacts.assertMentions(assertThrows(InvalidRecordException.class, () -> ControlRecord.of(wrongKey)),
                "4 bytes", 3);
        MessageFacts.assertMentions(assertThrows(InvalidRecordException.class, () -> BatchValidator.validate(wrongKey,
                (delta, timestamp, keyLength, valueLength) -> { })), "4 bytes");
    }
}

package toykafka.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.check.MessageFacts;
import toykafka.kafka.StoredBatches;

/**
 * Transaction markers against Kafka's own software: Kafka's kafka-dump-log reads each marker we write as the
 * COMMIT or ABORT it is, with its producer and coordinator epoch, and our marker is the one kafka-clients builds,
 * byte for byte, which we read back.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ControlRecordOracleTest {

    private static final Instant NOON = Instant.parse("2024-05-01T12:00:00Z");
    /**
     * The markers kafka-clients' own {@code MemoryRecords.withEndTransactionMarker} builds (4.1, where it was still
     * public; the layout is the wire format, the same in every version) for producer 17, epoch 2, coordinator epoch
     * 11, at offset 0, stamped NOON: Kafka's bytes, recorded, since 4.3 keeps that builder internal.
     */
    private static final String KAFKAS_COMMIT = "000000000000000000000042ffffffff02a167eb180030000000000000018f34069e0000"
            + "00018f34069e0000000000000000110002ffffffff000000012000000008000000010c00000000000b00";
    private static final String KAFKAS_ABORT = "000000000000000000000042ffffffff0255593d500030000000000000018f34069e0000"
            + "00018f34069e0000000000000000110002ffffffff000000012000000008000000000c00000000000b00";
    private static final Pattern BATCH_LINE = Pattern.compile("baseOffset: (\\d+) lastOffset: (\\d+) count: 1 .*"
            + " producerId: (\\d+) producerEpoch: (\\d+) .*isTransactional: (\\w+) isControl: (\\w+) .*"
            + " CreateTime: (\\d+) .*compresscodec: none .*isvalid: (\\w+)");
    private static final Pattern MARKER_LINE = Pattern.compile("\\| offset: (\\d+) CreateTime: (\\d+) keySize: 4"
            + " valueSize: 6 sequence: -1 headerKeys: \\[] endTxnMarker: (COMMIT|ABORT) coordinatorEpoch: (\\d+)");

    @TempDir
    Path dir;

    @Test
    void our_markers_are_the_ones_kafka_clients_builds_byte_for_byte() {
        assertEquals(ByteBuffer.wrap(HexFormat.of().parseHex(KAFKAS_COMMIT)),
                new ControlRecord(true, 11).batch(17, (short) 2, NOON).buffer(), "COMMIT");
        assertEquals(ByteBuffer.wrap(HexFormat.of().parseHex(KAFKAS_ABORT)),
                new ControlRecord(false, 11).batch(17, (short) 2, NOON).buffer(), "ABORT");
    }

    @Test
    void we_read_the_markers_kafka_clients_builds() {
        assertEquals(new ControlRecord(true, 11),
                ControlRecord.of(RecordBatch.wrap(ByteBuffer.wrap(HexFormat.of().parseHex(KAFKAS_COMMIT)))));
        assertEquals(new ControlRecord(false, 11),
                ControlRecord.of(RecordBatch.wrap(ByteBuffer.wrap(HexFormat.of().parseHex(KAFKAS_ABORT)))));
    }

    @Test
    void kafkas_dump_log_reads_our_markers_with_their_type_producer_and_coordinator_epoch() throws IOException {
        List<RecordBatch> markers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            RecordBatch marker = new ControlRecord(i % 2 == 0, 5 + i * 1_000).batch(4242 + i * 100_000_000L,
                    (short) (3 + i * 4_000), NOON.plusSeconds(i));
            marker.setBaseOffset(10 + i * 7);
            markers.add(marker);
        }

        List<String> dumped = StoredBatches.dump(List.of(KafkaDumpLog.writeSegment(dir, markers)),
                "--deep-iteration", "--print-data-log");

        List<Matcher> batches = KafkaDumpLog.matching(BATCH_LINE, dumped);
        List<Matcher> records = KafkaDumpLog.matching(MARKER_LINE, dumped);
        assertEquals(markers.size(), batches.size(), String.join("\n", dumped));
        assertEquals(markers.size(), records.size(), String.join("\n", dumped));
        for (int i = 0; i < markers.size(); i++) {
            Matcher batch = batches.get(i);
            String where = batch.group();
            assertEquals(10 + i * 7, Long.parseLong(batch.group(1)), where);
            assertEquals(10 + i * 7, Long.parseLong(batch.group(2)), where);
            assertEquals(4242 + i * 100_000_000L, Long.parseLong(batch.group(3)), where);
            assertEquals(3 + i * 4_000, Integer.parseInt(batch.group(4)), where);
            assertEquals("true", batch.group(5), where + ": a marker is transactional");
            assertEquals("true", batch.group(6), where + ": and a control batch");
            assertEquals(NOON.plusSeconds(i).toEpochMilli(), Long.parseLong(batch.group(7)), where);
            assertEquals("true", batch.group(8), where + ": Kafka's own CRC check");
            Matcher record = records.get(i);
            where = record.group();
            assertEquals(10 + i * 7, Long.parseLong(record.group(1)), where);
            assertEquals(NOON.plusSeconds(i).toEpochMilli(), Long.parseLong(record.group(2)), where);
            assertEquals(i % 2 == 0 ? "COMMIT" : "ABORT", record.group(3), where);
            assertEquals(5 + i * 1_000, Integer.parseInt(record.group(4)), where);
        }
    }

    @Test
    void a_batch_that_is_no_marker_is_refused_with_what_a_marker_is() {
        RecordBatch plain = RecordBatch.of(List.of(Record.of("k", "v", NOON)), 0, Compression.NONE);
        MessageFacts.assertMentions(assertThrows(InvalidRecordException.class, () -> ControlRecord.of(plain)),
                "transactional", "control");
        RecordBatch wrongKey = RecordBatch.of(List.of(Record.of("key", "v", NOON)), 0, Compression.NONE);
        wrongKey.setProducer(1, (short) 0, -1, ControlRecord.MARKER_ATTRIBUTES);
        MessageFacts.assertMentions(assertThrows(InvalidRecordException.class, () -> ControlRecord.of(wrongKey)),
                "4 bytes", 3);
        MessageFacts.assertMentions(assertThrows(InvalidRecordException.class, () -> BatchValidator.validate(wrongKey,
                (delta, timestamp, keyLength, valueLength) -> { })), "4 bytes");
    }
}

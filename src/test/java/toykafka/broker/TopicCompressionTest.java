package toykafka.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import toykafka.broker.Partitions.Acks;
import toykafka.clock.ManualClock;
import toykafka.common.Compression;
import toykafka.common.Errors;
import toykafka.common.Header;
import toykafka.common.InvalidConfigurationException;
import toykafka.common.OffsetRecord;
import toykafka.common.ProducerBatches;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.TopicConfig;
import toykafka.common.TopicPartition;
import toykafka.kafka.StoredBatches;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.StartedBroker;

/**
 * The topic config {@code compression.type} with Kafka's meaning: {@code producer} stores each batch in the
 * producer's codec, a codec named recompresses a batch in any other on append, and the result is still a
 * RecordBatch v2 whose segment files Kafka's own kafka-dump-log reads, every CRC valid. Batches are the
 * course's RecordBatch, whose bytes the oracle tests prove Kafka's.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TopicCompressionTest {

    private static final Instant NOON = Instant.parse("2024-05-01T12:00:00Z");
    private static final String TOPIC = "receipts";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

    private final ManualClock clock = new ManualClock(NOON);
    @StartedBroker(clock = "clock")
    Broker broker;

    /** Three records with keys, values, headers and timestamps a second apart, as a producer sends them. */
    private static Record[] receipts() {
        Record[] records = new Record[3];
        for (int i = 0; i < records.length; i++) {
            records[i] = Record.of("till-" + i, "{\"total\":" + (100 + i) + "}", NOON.plusSeconds(i))
                    .withHeaders(List.of(Header.of("shop", "shop-" + i)));
        }
        return records;
    }

    private static ByteBuffer batch(Compression codec) {
        return ProducerBatches.plain(codec, receipts());
    }

    private static ByteBuffer idempotentBatch(Compression codec, long producerId, short epoch, int baseSequence) {
        return ProducerBatches.idempotent(codec, producerId, epoch, baseSequence, receipts());
    }

    private void createTopic(String compressionType) {
        broker.createTopic(TOPIC, 1, Map.of(TopicConfig.COMPRESSION_TYPE, compressionType), OnDuplicate.FAIL);
    }

    private AppendResult append(ByteBuffer batches) {
        return broker.partitions().append(Map.of(PARTITION, batches), Acks.ALL).get(PARTITION);
    }

    /** The stored batches from offset 0, as the broker hands them to a consumer. */
    private List<RecordBatch> fetched() {
        return RecordBatch.wrapAll(storedBytes());
    }

    /** Every record of the batches, offset, timestamp, key, value and headers, as one line each. */
    private static List<String> recordsOf(List<RecordBatch> batches) {
        List<String> lines = new ArrayList<>();
        for (RecordBatch batch : batches) {
            for (OffsetRecord offsetRecord : batch.offsetRecords()) {
                Record record = offsetRecord.record();
                Header header = record.headers().get(0);
                lines.add(offsetRecord.offset() + " " + record.timestamp().toEpochMilli() + " " + text(record.key()) + " "
                        + text(record.value()) + " " + header.key() + "=" + text(header.value()));
            }
        }
        return lines;
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static final List<String> RECEIPTS_AT_0 = List.of(
            "0 1714564800000 till-0 {\"total\":100} shop=shop-0",
            "1 1714564801000 till-1 {\"total\":101} shop=shop-1",
            "2 1714564802000 till-2 {\"total\":102} shop=shop-2");

    @Test
    void a_gzip_topic_stores_an_uncompressed_batch_as_gzip_with_the_same_records_at_the_same_offsets() {
        createTopic("gzip");
        assertEquals(Errors.NONE, append(batch(Compression.NONE)).error());

        List<RecordBatch> stored = fetched();
        assertEquals(1, stored.size());
        assertEquals(Compression.GZIP, stored.get(0).compression(), "recompressed on append");
        assertEquals(stored.get(0).storedCrc(), stored.get(0).computeCrc(), "its CRC is right for the new bytes");
        assertEquals(RECEIPTS_AT_0, recordsOf(stored));
        assertEquals(NOON.toEpochMilli() + 2000, stored.get(0).maxTimestamp());
    }

    @Test
    void the_segment_file_of_a_recompressed_topic_is_read_by_Kafkas_dump_log_tool() {
        createTopic("lz4");
        append(batch(Compression.NONE));
        append(batch(Compression.ZSTD));

        List<String> onDisk = new ArrayList<>();
        for (StoredBatches.Batch batch : StoredBatches.of(broker.config().dataDir(), TOPIC, 0)) {
            assertTrue(batch.crcValid(), "the CRC over the recompressed bytes: " + batch);
            onDisk.add(batch.baseOffset() + ".." + batch.lastOffset() + " " + batch.compression());
        }
        assertEquals(List.of("0..2 lz4", "3..5 lz4"), onDisk, "both in the topic's codec, at the offsets the log gave");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"NONE", "GZIP", "SNAPPY", "LZ4", "ZSTD"})
    void producer_keeps_the_producers_codec_and_its_bytes(Compression codec) {
        createTopic("producer");
        ByteBuffer sent = batch(codec);
        ByteBuffer expected = asStored(sent);
        append(sent);

        List<RecordBatch> stored = fetched();
        assertEquals(codec, stored.get(0).compression());
        assertEquals(expected, storedBytes(), "the producer's bytes, offsets and all (the first batch is at 0)");
    }

    /** The producer's bytes as the leader stores them: stamped with its epoch, 0, outside the CRC, as Kafka's leader does. */
    private static ByteBuffer asStored(ByteBuffer sent) {
        ByteBuffer copy = ByteBuffer.allocate(sent.remaining()).put(sent.duplicate()).flip();
        RecordBatch.wrapAll(copy).forEach(batch -> batch.setPartitionLeaderEpoch(0));
        return copy;
    }

    private ByteBuffer storedBytes() {
        return broker.partitions().readAndWait(FetchParams.of(PARTITION, 0, 1 << 20, Duration.ZERO))
                .get(PARTITION).batches().bytes();
    }

    @Test
    void uncompressed_decompresses_a_compressed_batch() {
        createTopic("uncompressed");
        append(batch(Compression.SNAPPY));

        List<RecordBatch> stored = fetched();
        assertEquals(Compression.NONE, stored.get(0).compression());
        assertEquals(RECEIPTS_AT_0, recordsOf(stored));
    }

    @Test
    void a_batch_already_in_the_topics_codec_is_stored_as_it_came() {
        createTopic("zstd");
        ByteBuffer sent = batch(Compression.ZSTD);
        ByteBuffer expected = asStored(sent);
        append(sent);
        assertEquals(expected, storedBytes());
    }

    @Test
    void an_idempotent_producers_id_epoch_and_sequence_survive_recompression_and_a_retry_is_still_known() {
        createTopic("gzip");
        AppendResult first = append(idempotentBatch(Compression.NONE, 7, (short) 2, 0));
        AppendResult retry = append(idempotentBatch(Compression.NONE, 7, (short) 2, 0));

        assertEquals(0, first.baseOffset());
        assertEquals(Errors.NONE, retry.error());
        assertEquals(0, retry.baseOffset(), "the retry is the same batch: answered with its offset, not written again");
        List<RecordBatch> stored = fetched();
        assertEquals(1, stored.size(), "written once");
        RecordBatch batch = stored.get(0);
        assertEquals(Compression.GZIP, batch.compression());
        assertEquals(7, batch.producerId());
        assertEquals(2, batch.producerEpoch());
        assertEquals(0, batch.baseSequence());
        assertEquals(2, batch.lastSequence());
    }

    @Test
    void log_append_time_is_stamped_on_the_recompressed_batch() {
        broker.createTopic(TOPIC, 1, Map.of(TopicConfig.COMPRESSION_TYPE, "gzip",
                TopicConfig.MESSAGE_TIMESTAMP_TYPE, TopicConfig.LOG_APPEND_TIME), OnDuplicate.FAIL);
        clock.advance(Duration.ofMinutes(5));
        AppendResult result = append(batch(Compression.NONE));

        RecordBatch stored = fetched().get(0);
        assertEquals(Compression.GZIP, stored.compression());
        assertTrue(stored.isLogAppendTime());
        assertEquals(NOON.plus(Duration.ofMinutes(5)).toEpochMilli(), stored.maxTimestamp());
        assertEquals(stored.maxTimestamp(), result.logAppendTime());
    }

    @Test
    void a_damaged_batch_is_refused_not_sealed_under_a_new_CRC() {
        createTopic("gzip");
        ByteBuffer damaged = batch(Compression.NONE);
        int lastByte = damaged.limit() - 1;
        damaged.put(lastByte, (byte) (damaged.get(lastByte) ^ 1)); // a header value's last byte, inside the CRC

        AppendResult refused = append(damaged);
        assertEquals(Errors.CORRUPT_MESSAGE, refused.error());
        assertTrue(refused.message().contains("CRC"), refused.message());
        assertTrue(fetched().isEmpty(), "nothing was stored");
    }

    @Test
    void a_batch_over_max_message_bytes_as_sent_is_refused_even_if_it_would_compress_below_it() {
        broker.createTopic(TOPIC, 1, Map.of(TopicConfig.COMPRESSION_TYPE, "gzip",
                TopicConfig.MAX_MESSAGE_BYTES, "200"), OnDuplicate.FAIL);
        ByteBuffer sent = ProducerBatches.plain(Record.of(null, "a".repeat(400), NOON));
        assertTrue(sent.remaining() > 200);

        AppendResult refused = append(sent);
        assertEquals(Errors.MESSAGE_TOO_LARGE, refused.error(), "Kafka checks the batch as sent before it recompresses");
        assertTrue(fetched().isEmpty());
    }

    @Test
    void records_produced_as_json_over_http_are_stored_in_the_topics_codec() {
        createTopic("snappy");
        List<Partitions.RecordAnswer> answers = broker.partitions().appendRecords(TOPIC, List.of(
                new Partitions.ProduceRecord(0, Record.of("till-0", "{\"total\":100}", NOON))));
        assertTrue(answers.get(0).written(), answers.toString());
        assertEquals(Compression.SNAPPY, fetched().get(0).compression());
    }

    @Test
    void a_config_altered_on_a_live_topic_applies_from_the_next_append() {
        createTopic("producer");
        append(batch(Compression.NONE));
        broker.patchConfig(TOPIC, Map.of(TopicConfig.COMPRESSION_TYPE, "gzip"));
        append(batch(Compression.NONE));

        assertEquals(List.of(Compression.NONE, Compression.GZIP),
                fetched().stream().map(RecordBatch::compression).toList(), "what was stored stays as it was");
    }

    @Test
    void an_invalid_value_is_refused_naming_the_valid_values_and_creates_nothing() {
        InvalidConfigurationException refused = assertThrows(InvalidConfigurationException.class,
                () -> createTopic("brotli"));
        assertEquals(Errors.INVALID_CONFIG, refused.error());
        assertEquals("invalid value 'brotli' for compression.type: it must be one of uncompressed, zstd, lz4, snappy,"
                + " gzip, producer", refused.getMessage());
        assertFalse(broker.listTopics().contains(TOPIC));

        createTopic("producer");
        InvalidConfigurationException altered = assertThrows(InvalidConfigurationException.class,
                () -> broker.patchConfig(TOPIC, Map.of(TopicConfig.COMPRESSION_TYPE, "none")));
        assertTrue(altered.getMessage().contains("uncompressed, zstd, lz4, snappy, gzip, producer"), altered.getMessage());
    }

    @Test
    void describe_shows_the_default_producer_and_a_value_set_as_an_override() {
        broker.createTopic("plain", 1, Map.of(), OnDuplicate.FAIL);
        Broker.TopicInfo plain = broker.describeTopic("plain");
        assertEquals("producer", plain.config().get(TopicConfig.COMPRESSION_TYPE));
        assertFalse(plain.overrides().containsKey(TopicConfig.COMPRESSION_TYPE));

        createTopic("gzip");
        Broker.TopicInfo set = broker.describeTopic(TOPIC);
        assertEquals("gzip", set.config().get(TopicConfig.COMPRESSION_TYPE));
        assertEquals("gzip", set.overrides().get(TopicConfig.COMPRESSION_TYPE));
    }
}

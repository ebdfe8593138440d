package toykafka.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.errors.RetriableException;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The core's Kafka facts, checked against Kafka's own client library: batch sizes (its producer's) and error codes. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaOracleTest {

    @TempDir
    Path dataDir;

    @Test
    void our_batch_size_is_the_size_of_the_batch_kafkas_producer_sends_with_the_same_records() {
        Random random = new Random(8);
        List<List<Record>> rounds = new ArrayList<>();
        for (int round = 0; round < 200; round++) {
            rounds.add(RecordBatchOracleTest.randomRecords(random));
        }
        List<RecordBatch> theirs = KafkaProducerBatches.send(dataDir, "none", false, Map.of(), rounds);
        for (int round = 0; round < rounds.size(); round++) {
            assertEquals(theirs.get(round).sizeInBytes(), RecordBatchSize.of(rounds.get(round)),
                    "round " + round + ", " + rounds.get(round).size() + " records");
        }
    }

    @Test
    void each_error_has_kafkas_name_code_and_retriability() {
        for (Errors ours : Errors.values()) {
            org.apache.kafka.common.protocol.Errors theirs = org.apache.kafka.common.protocol.Errors.forCode(ours.code());
            assertEquals(theirs.name(), ours.name(), "code " + ours.code());
            assertEquals(theirs.exception() instanceof RetriableException, ours.retriable(), ours.name());
        }
    }

    @Test
    void the_idempotent_producers_errors_are_in_the_table_under_kafkas_codes() {
        for (String name : List.of("OUT_OF_ORDER_SEQUENCE_NUMBER", "INVALID_PRODUCER_EPOCH", "INVALID_TXN_STATE",
                "UNKNOWN_PRODUCER_ID")) {
            assertEquals(org.apache.kafka.common.protocol.Errors.valueOf(name).code(), Errors.valueOf(name).code(), name);
        }
    }

    @Test
    void each_exception_reports_its_error() {
        assertEquals(Errors.MESSAGE_TOO_LARGE, new RecordTooLargeException("x").error());
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, new UnknownTopicOrPartitionException("x").error());
        assertEquals(Errors.INVALID_TOPIC_EXCEPTION, InvalidTopicException.empty().error());
        assertEquals(Errors.TOPIC_ALREADY_EXISTS, TopicExistsException.of("orders").error());
        assertEquals(Errors.INVALID_PARTITIONS, InvalidPartitionsException.notPositive("orders", 0).error());
        assertEquals(Errors.INVALID_CONFIG, new InvalidConfigurationException("x").error());
        assertEquals(Errors.OFFSET_OUT_OF_RANGE, OffsetOutOfRangeException.of(9, 0, 4).error());
        assertEquals(Errors.CORRUPT_MESSAGE, new CorruptRecordException("0.log", 0, "bad CRC").error());
        assertInstanceOf(ApiException.class, new InvalidTimestampException("x"));
        assertEquals(true, new CorruptRecordException("0.log", 0, "bad CRC").retriable(), "Kafka retries a corrupt fetch");
    }
}

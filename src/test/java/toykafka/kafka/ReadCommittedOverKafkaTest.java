package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.AppendResult;
import toykafka.broker.Partitions;
import toykafka.broker.Partitions.Acks;
import toykafka.common.Errors;
import toykafka.common.ProducerBatches;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * kafka-clients' consumer as the judge of our Fetch and ListOffsets answers for transactions: with
 * {@code isolation.level=read_committed} it reads exactly the committed records, dropping an aborted
 * transaction's by the list our fetch answers with and stopping at the last stable offset; with
 * {@code read_uncommitted} it reads every record and never a marker. librdkafka's consumer (kcat) reads the same. The transactions are written in
 * process, as the transaction coordinator will write them.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReadCommittedOverKafkaTest {

    private static final Instant NOON = Instant.parse("2024-05-01T12:00:00Z");
    private static final String TOPIC = "tills";
    private static final TopicPartition TILLS = new TopicPartition(TOPIC, 0);
    private static final long TILL = 11;
    private static final long KITCHEN = 12;
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    @StartedBroker(FrontEnd.KAFKA)
    RunningBroker broker;

    @BeforeEach
    void createTopic() {
        broker.broker().createTopic(TOPIC, 1, Map.of(), OnDuplicate.FAIL);
        partitions().verifyTransactionsWith((partition, producerId, epoch) -> { });
    }

    private Partitions partitions() {
        return broker.broker().partitions();
    }

    private void write(ByteBuffer batch) {
        AppendResult result = partitions().append(Map.of(TILLS, batch), Acks.ALL).get(TILLS);
        assertEquals(Errors.NONE, result.error(), result.message());
    }

    private void transactional(long producerId, int baseSequence, String... values) {
        write(ProducerBatches.transactional(producerId, (short) 0, baseSequence, records(values)));
    }

    private void plain(String... values) {
        write(ProducerBatches.plain(records(values)));
    }

    private void end(long producerId, boolean commit) {
        assertEquals(Errors.NONE, partitions().writeMarker(TILLS, producerId, (short) 0, commit, 0, NOON).error());
    }

    private static Record[] records(String... values) {
        Record[] records = new Record[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = Record.of(null, values[i], NOON);
        }
        return records;
    }

    /** Everything the consumer returns from the start to the end offset it is told of, with its isolation level. */
    private List<String> consume(String isolation, long expectedEnd) {
        Properties config = new Properties();
        config.put("bootstrap.servers", broker.bootstrapServers());
        config.put("key.deserializer", StringDeserializer.class.getName());
        config.put("value.deserializer", StringDeserializer.class.getName());
        config.put("isolation.level", isolation);
        List<String> values = new ArrayList<>();
        org.apache.kafka.common.TopicPartition partition = new org.apache.kafka.common.TopicPartition(TOPIC, 0);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), PATIENCE).get(partition);
            assertEquals(expectedEnd, end, isolation + "'s end offset");
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (consumer.position(partition, PATIENCE) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
            assertEquals(end, consumer.position(partition, PATIENCE), "read to the end within " + PATIENCE);
        }
        return values;
    }

    @Test
    void read_committed_reads_the_committed_records_up_to_the_last_stable_offset_and_read_uncommitted_reads_all() {
        plain("menu");                            // 0
        transactional(TILL, 0, "cod", "chips");  // 1, 2
        transactional(KITCHEN, 0, "fried cod");  // 3
        transactional(TILL, 2, "peas");          // 4
        end(TILL, false);                        // 5: the till's order aborted
        plain("specials");                       // 6
        transactional(TILL, 3, "haddock");       // 7: a second transaction of the till's
        end(KITCHEN, true);                      // 8
        end(TILL, true);                         // 9
        transactional(KITCHEN, 1, "pie");        // 10: open, so the last stable offset stays at 10

        assertEquals(List.of("menu", "fried cod", "specials", "haddock"), consume("read_committed", 10));
        assertEquals(List.of("menu", "cod", "chips", "fried cod", "peas", "specials", "haddock", "pie"),
                consume("read_uncommitted", 11));

        end(KITCHEN, false);                     // 11
        assertEquals(List.of("menu", "fried cod", "specials", "haddock"), consume("read_committed", 12),
                "the kitchen's pie was aborted after all");

        // librdkafka's consumer (kcat) is the second judge of the same answers
        assertEquals(List.of("menu", "fried cod", "specials", "haddock"), kcat("read_committed"));
        assertEquals(List.of("menu", "cod", "chips", "fried cod", "peas", "specials", "haddock", "pie"),
                kcat("read_uncommitted"));
    }

    private List<String> kcat(String isolation) {
        return Kcat.require().run(null, "-C", "-b", broker.bootstrapServers(), "-t", TOPIC, "-X",
                "isolation.level=" + isolation, "-e", "-q", "-f", "%s\\n").assertSucceeded().output().lines().toList();
    }
}

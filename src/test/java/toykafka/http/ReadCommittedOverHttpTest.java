package toykafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.compress.Compression;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.AppendResult;
import toykafka.broker.Partitions;
import toykafka.broker.Partitions.Acks;
import toykafka.common.Errors;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;
import toykafka.common.ProducerBatches;
import toykafka.common.Record;

/**
 * Transactions over HTTP, where REST Proxy has none: the partition read's {@code isolation_level} and a consumer
 * instance's {@code isolation.level}, Kafka's names and values. At {@code read_committed} both stop at the last
 * stable offset and leave out aborted transactions' records; by default they read everything, as Kafka's
 * consumer does. The transactions are written in process, as the transaction coordinator writes them.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReadCommittedOverHttpTest {

    private static final Instant NOON = Instant.parse("2024-05-01T12:00:00Z");
    private static final TopicPartition TILLS = new TopicPartition("tills", 0);
    private static final String RECORDS = "/topics/tills/partitions/0/records";
    private static final String BINARY = "application/vnd.kafka.binary.v2+json";
    private static final long TILL = 11;
    private static final long KITCHEN = 12;

    @StartedBroker(FrontEnd.HTTP)
    RunningBroker broker;

    @BeforeEach
    void writeTransactions() {
        broker.broker().createTopic("tills", 1, Map.of(), OnDuplicate.FAIL);
        broker.broker().partitions().verifyTransactionsWith((partition, producerId, epoch) -> { });
        plain("menu");                            // 0
        transactional(TILL, 0, "cod", "chips");  // 1, 2
        transactional(KITCHEN, 0, "fried cod");  // 3
        end(TILL, false);                        // 4: the till's order aborted
        plain("specials");                       // 5
        end(KITCHEN, true);                      // 6
        transactional(TILL, 2, "pie");           // 7: open, so the last stable offset stays at 7
        plain("tea");                            // 8
    }

    private void write(ByteBuffer batch) {
        AppendResult result = broker.broker().partitions().append(Map.of(TILLS, batch), Acks.ALL).get(TILLS);
        assertEquals(Errors.NONE, result.error(), result.message());
    }

    private void plain(String value) {
        write(ProducerBatches.plain(Record.of(null, value, NOON)));
    }

    private void transactional(long producerId, int baseSequence, String... values) {
        Record[] records = new Record[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = Record.of(null, values[i], NOON);
        }
        write(ProducerBatches.transactional(producerId, (short) 0, baseSequence, records));
    }

    private void end(long producerId, boolean commit) {
        assertEquals(Errors.NONE, broker.broker().partitions()
                .writeMarker(TILLS, producerId, (short) 0, commit, 0, NOON).error());
    }

    private static List<String> values(RunningBroker.Response reply) {
        assertEquals(200, reply.status(), reply.text());
        List<String> values = new ArrayList<>();
        for (JsonNode record : reply.json()) {
            values.add(new String(Base64.getDecoder().decode(record.get("value").asText())));
        }
        return values;
    }

    @Test
    void a_partition_read_at_read_committed_stops_at_the_last_stable_offset_without_the_aborted_records() {
        RunningBroker.Response committed = broker.send("GET", RECORDS + "?offset=earliest&isolation_level=read_committed",
                null, "Accept", BINARY);
        assertEquals(List.of("menu", "fried cod", "specials"), values(committed));
        assertEquals("7", committed.header("X-End-Offset"), "the end is the last stable offset");
        assertEquals("7", committed.header("X-Next-Offset"), "past the markers and the aborted records");

        RunningBroker.Response all = broker.send("GET", RECORDS + "?offset=earliest", null, "Accept", BINARY);
        assertEquals(List.of("menu", "cod", "chips", "fried cod", "specials", "pie", "tea"), values(all));
        assertEquals("9", all.header("X-End-Offset"));

        RunningBroker.Response latest = broker.send("GET", RECORDS + "?offset=latest&isolation_level=read_committed"
                + "&timeout=0", null, "Accept", BINARY);
        assertEquals("7", latest.header("X-Next-Offset"), "latest at read_committed is the last stable offset");

        end(TILL, true); // 9: the pie is paid for, and the tea after it is stable too
        assertEquals(List.of("pie", "tea"), values(broker.send("GET", RECORDS + "?offset=7&isolation_level=read_committed",
                null, "Accept", BINARY)));
    }

    @Test
    void a_consumer_instance_made_read_committed_polls_only_committed_records() {
        assertEquals(200, broker.post("/consumers/kitchen", "{\"name\":\"strict\",\"auto.offset.reset\":\"earliest\","
                + "\"isolation.level\":\"read_committed\"}").status());
        assertEquals(200, broker.post("/consumers/kitchen", "{\"name\":\"loose\",\"auto.offset.reset\":\"earliest\"}")
                .status());
        String partitions = "{\"partitions\":[{\"topic\":\"tills\",\"partition\":0}]}";
        for (String name : List.of("strict", "loose")) {
            assertEquals(204, broker.post("/consumers/kitchen/instances/" + name + "/assignments", partitions).status());
        }
        assertEquals(List.of("menu", "fried cod", "specials"), poll("strict"));
        assertEquals(List.of("menu", "cod", "chips", "fried cod", "specials", "pie", "tea"), poll("loose"),
                "read_uncommitted, Kafka's default");

        end(TILL, false); // 9: the pie is aborted after all
        assertEquals(List.of("tea"), poll("strict"));

        assertEquals(204, broker.post("/consumers/kitchen/instances/strict/positions/end", partitions).status());
        plain("scones"); // 10
        assertEquals(List.of("scones"), poll("strict"), "the end it sought was the last stable offset, 10");
    }

    private List<String> poll(String name) {
        return values(broker.send("GET", "/consumers/kitchen/instances/" + name + "/records?timeout=0", null,
                "Accept", BINARY));
    }

    @Test
    void an_isolation_level_kafka_does_not_have_is_refused_naming_the_two_it_has() {
        RunningBroker.Response read = broker.get(RECORDS + "?offset=earliest&isolation_level=committed");
        assertEquals(400, read.status(), read.text());
        assertTrue(read.text().contains("read_uncommitted or read_committed"), read.text());
        RunningBroker.Response instance = broker.post("/consumers/kitchen", "{\"name\":\"odd\","
                + "\"isolation.level\":\"serializable\"}");
        assertEquals(422, instance.status(), instance.text());
        assertTrue(instance.text().contains("read_uncommitted or read_committed"), instance.text());
        assertFalse(instance.text().contains("\tat "), "no stack trace reaches a client");
        assertEquals("", broker.faults(), "a client's mistake is not a fault of the broker's");
    }
}

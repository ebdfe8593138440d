package toykafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.config.BrokerConfig;
import toykafka.testing.RunningBroker;

/** A broker with storage=memory behind the HTTP front end: records in and out, and nothing on disk. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MemoryStorageOverHttpTest {

    @TempDir
    Path dataDir;

    @Test
    void a_produce_and_a_read_go_through_a_broker_that_keeps_its_records_in_memory() throws Exception {
        try (RunningBroker broker = RunningBroker.overHttp(dataDir, Map.of(BrokerConfig.STORAGE, "memory"))) {
            var created = broker.post(RunningBroker.TOPICS, "{\"topic_name\":\"orders\",\"partitions_count\":1}");
            assertEquals(201, created.status(), created.text());
            for (String value : List.of("cod", "haddock")) {
                var produced = broker.post(RunningBroker.TOPICS + "/orders/records", "{\"value\":\"" + value + "\"}");
                assertEquals(200, produced.status(), produced.text());
            }
            var read = broker.get("/topics/orders/partitions/0/records?offset=earliest&max_records=10");
            assertEquals(200, read.status(), read.text());
            List<String> values = new ArrayList<>();
            read.json().forEach(record -> values.add(record.get("value").asText()));
            assertEquals(List.of("cod", "haddock"), values);
            assertEquals("", broker.faults());
        }
        try (var files = Files.list(dataDir)) {
            assertFalse(files.findAny().isPresent(), "nothing written to the data directory");
        }
    }
}

package toykafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.Partitions;
import toykafka.common.Record;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * Many reads of the records route at once, none of them waiting: each request thread reads into a buffer of its
 * own, and must decode it before it reads into it again. Every record a read answers is the one stored at its offset.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReadsAtOnceTest {

    private static final int PARTITIONS = 3;
    private static final int RECORDS_EACH = 3_000;
    private static final int READERS = 8;
    private static final int READS_EACH = 150;

    @StartedBroker(FrontEnd.HTTP)
    RunningBroker broker;

    @Test
    void every_record_of_reads_made_at_once_is_the_one_stored_at_its_offset() throws Exception {
        broker.broker().createTopic("ledger", PARTITIONS, Map.of(), OnDuplicate.FAIL);
        for (int p = 0; p < PARTITIONS; p++) {
            for (int first = 0; first < RECORDS_EACH; first += 100) {
                List<Partitions.ProduceRecord> batch = new ArrayList<>();
                for (int offset = first; offset < first + 100; offset++) {
                    batch.add(new Partitions.ProduceRecord(p, Record.of(null, entry(p, offset), Instant.ofEpochMilli(offset))));
                }
                broker.broker().partitions().appendRecords("ledger", batch);
            }
        }
        ExecutorService readers = Executors.newFixedThreadPool(READERS);
        try {
            List<Future<Integer>> checked = new ArrayList<>();
            for (int r = 0; r < READERS; r++) {
                Random random = new Random(r);
                checked.add(readers.submit(() -> {
                    int records = 0;
                    for (int read = 0; read < READS_EACH; read++) {
                        int partition = random.nextInt(PARTITIONS);
                        int offset = random.nextInt(RECORDS_EACH);
                        var answer = broker.get("/topics/ledger/partitions/" + partition + "/records?offset=" + offset
                                + "&max_records=400&timeout=0");
                        assertEquals(200, answer.status(), answer.text());
                        int expected = offset;
                        for (JsonNode record : answer.json()) {
                            assertEquals(expected, record.get("offset").asLong(), answer.text());
                            assertEquals(entry(partition, expected), record.get("value").asText());
                            expected++;
                            records++;
                        }
                        assertEquals(Math.min(RECORDS_EACH, offset + 400), expected, "the read took every record asked for");
                    }
                    return records;
                }));
            }
            for (Future<Integer> reader : checked) {
                reader.get();
            }
        } finally {
            readers.shutdownNow();
        }
    }

    private static String entry(int partition, int offset) {
        return "partition " + partition + ", offset " + offset;
    }
}

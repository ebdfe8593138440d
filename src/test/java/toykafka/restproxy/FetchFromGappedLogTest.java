package toykafka.restproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.Broker;
import toykafka.broker.FetchParams;
import toykafka.broker.Partitions;
import toykafka.common.OffsetRecord;
import toykafka.common.OffsetReset;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.lesson05.ConsumerRecord;
import toykafka.lesson09.CleanedSegments;
import toykafka.common.FetchedBatches;
import toykafka.lesson08.PartitionDirectory;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * The broker over a partition whose older segments were cleaned: reads and group polls hand out each
 * record's real offset and move on past the gaps, as a Kafka consumer does over a compacted topic.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FetchFromGappedLogTest {

    @StartedBroker
    RunningBroker running;

    @Test
    void fetches_and_polls_give_real_offsets_and_step_over_the_gaps() throws Exception {
        running.broker().createTopic("orders", 1, Map.of("segment.bytes", "1000", "index.interval.bytes", "100"),
                OnDuplicate.FAIL);
        for (int b = 0; b < 8; b++) {
            List<Partitions.ProduceRecord> records = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                records.add(new Partitions.ProduceRecord(0, Record.of("till-" + i % 3, "order " + (b * 10 + i),
                        Instant.EPOCH.plusSeconds(b * 10 + i))));
            }
            running.broker().partitions().appendRecords("orders", records);
        }
        running.close(); // CleanedSegments cleans a closed log
        Path partition = PartitionDirectory.resolve(running.dataDir(), "orders", 0);
        List<List<Long>> layout = CleanedSegments.batchBases(partition);
        assertTrue(layout.size() >= 2, "a sealed segment to clean: " + layout);
        long activeBase = layout.get(layout.size() - 1).get(0);
        List<Long> expected = new ArrayList<>();
        for (long offset = 0; offset < 80; offset++) {
            if (offset >= activeBase || offset % 10 == 0 || offset % 10 == 7) {
                expected.add(offset);
            }
        }
        CleanedSegments.clean(partition, 100, expected::contains);

        running.restart();
        Broker broker = running.broker();
        try (ConsumerInstances instances = ConsumerInstances.start(broker)) {
            TopicPartition orders = new TopicPartition("orders", 0);
            List<Long> fetched = new ArrayList<>();
            long next = 0;
            while (next < 80) {
                FetchedBatches read = broker.partitions().readAndWait(FetchParams.of(orders, next, 1, Duration.ZERO))
                        .get(orders).batches(); // 1 byte: a batch at a time
                read.offsetRecords(Integer.MAX_VALUE).forEach(record -> {
                    fetched.add(record.offset());
                    assertEquals("order " + record.offset(), record.record().valueText());
                });
                assertTrue(read.nextOffset() > next, "each read moves on, over batches that hold only gaps too");
                next = read.nextOffset();
            }
            assertEquals(expected, fetched);
            assertEquals(expected, broker.partitions().readAndWait(FetchParams.of(orders, 0, 1 << 20, Duration.ZERO))
                    .get(orders).records(Integer.MAX_VALUE).stream().map(OffsetRecord::offset).toList(),
                    "one read reads on past segment ends, up to its byte bound");

            instances.create("kitchen", "grill", OffsetReset.EARLIEST);
            instances.subscribe("kitchen", "grill", Set.of("orders"));
            List<Long> polled = new ArrayList<>();
            for (int i = 0; i < 100 && polled.size() < expected.size(); i++) {
                for (ConsumerRecord record : instances.poll("kitchen", "grill", 4, Duration.ZERO)) {
                    polled.add(record.offset());
                    assertEquals("order " + record.offset(), record.record().valueText());
                }
            }
            assertEquals(expected, polled);
            assertEquals(Map.of(new TopicPartition("orders", 0), 80L), instances.commit("kitchen", "grill", Map.of()),
                    "the group commits the end offset, past the last record read");
        }
    }
}

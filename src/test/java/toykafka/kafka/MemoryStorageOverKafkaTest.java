package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.kafka.KafkaBatches.batch;
import static toykafka.kafka.KafkaBatches.records;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsResult;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsTopic;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceDataCollection;
import org.apache.kafka.common.message.ProduceResponseData;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.config.BrokerConfig;
import toykafka.common.OffsetRecord;
import toykafka.common.TopicPartition;
import toykafka.harness.WireRecords;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.RunningBroker;

/**
 * A broker with storage=memory behind the Kafka front end: its logs have no files to send slices of, so a
 * Fetch sends their batches from the heap, and a client reads them as from any broker.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MemoryStorageOverKafkaTest {

    @TempDir
    Path dataDir;

    @Test
    void a_produce_and_a_fetch_go_through_a_broker_that_keeps_its_records_in_memory() throws Exception {
        try (RunningBroker broker = RunningBroker.overKafka(dataDir, Map.of(BrokerConfig.STORAGE, "memory"), false)) {
            broker.broker().createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
            TopicProduceDataCollection topics = new TopicProduceDataCollection();
            topics.add(new TopicProduceData().setName("orders").setPartitionData(List.of(WireRecords.partition(0, batch(1_000, "cod", "haddock")))));
            FetchResponseData.PartitionData data;
            try (KafkaWire wire = new KafkaWire(broker)) {
                ProduceResponseData produced = wire.send(new ProduceRequestData().setAcks((short) -1)
                        .setTimeoutMs(30_000).setTopicData(topics), 8);
                assertEquals(0, produced.responses().iterator().next().partitionResponses().get(0).errorCode());
                FetchResponseData fetched = wire.send(new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0)
                        .setMinBytes(1).setMaxBytes(1 << 20).setIsolationLevel((byte) 0).setSessionId(0)
                        .setSessionEpoch(-1).setTopics(List.of(new FetchRequestData.FetchTopic().setTopic("orders")
                                .setPartitions(List.of(new FetchRequestData.FetchPartition().setPartition(0)
                                        .setFetchOffset(0).setPartitionMaxBytes(1 << 20))))), 11);
                data = fetched.responses().get(0).partitions().get(0);
            }
            assertEquals(0, data.errorCode());
            assertEquals(2, data.highWatermark());
            List<OffsetRecord> read = records(WireRecords.bytes(data));
            assertEquals(List.of("cod", "haddock"), read.stream().map(KafkaBatches::value).toList());
            assertEquals(List.of(0L, 1L), read.stream().map(OffsetRecord::offset).toList());
            assertEquals("memory", broker.broker().dataDir());
        }
        try (var files = Files.list(dataDir)) {
            assertFalse(files.findAny().isPresent(), "nothing written to the data directory");
        }
        try (RunningBroker again = RunningBroker.overKafka(dataDir, Map.of(BrokerConfig.STORAGE, "memory"), false)) {
            assertTrue(again.broker().listTopics().stream().allMatch(topic -> topic.startsWith("__")),
                    "nothing survives a restart: " + again.broker().listTopics());
        }
    }

    @Test
    void the_newest_timestamp_and_each_partitions_size_are_answered_from_the_heap() {
        try (RunningBroker broker = RunningBroker.overKafka(dataDir, Map.of(BrokerConfig.STORAGE, "memory"), false)) {
            broker.broker().createTopic("orders", 2, Map.of(), OnDuplicate.FAIL);
            TopicPartition orders = new TopicPartition("orders", 0);
            ByteBuffer later = batch(9_000, "haddock");
            int laterSize = later.remaining();
            KafkaBatches.append(broker.broker(), orders, batch(5_000, "cod", "chips"));
            KafkaBatches.append(broker.broker(), orders, later);
            KafkaBatches.append(broker.broker(), orders, batch(7_000, "peas"));
            ListOffsetsPartitionResponse newest;
            DescribeLogDirsResult dir;
            try (KafkaWire wire = new KafkaWire(broker)) {
                ListOffsetsResponseData offsets = wire.send(new ListOffsetsRequestData().setReplicaId(-1)
                        .setTopics(List.of(new ListOffsetsTopic().setName("orders").setPartitions(List.of(
                                new ListOffsetsPartition().setPartitionIndex(0).setTimestamp(-3))))), 7);
                newest = offsets.topics().get(0).partitions().get(0);
                DescribeLogDirsResponseData dirs = wire.send(new DescribeLogDirsRequestData().setTopics(null), 4);
                dir = dirs.results().get(0);
            }
            assertEquals(2, newest.offset(), "max timestamp (-3): the record stamped 9,000, in the second batch");
            assertEquals(9_000, newest.timestamp());
            assertEquals("memory", dir.logDir(), "no directory: the heap");
            assertEquals(-1, dir.totalBytes(), "a heap has no file store to measure");
            long sizeOfOrders0 = dir.topics().stream().filter(topic -> topic.name().equals("orders"))
                    .flatMap(topic -> topic.partitions().stream()).filter(p -> p.partitionIndex() == 0)
                    .mapToLong(DescribeLogDirsResponseData.DescribeLogDirsPartition::partitionSize).sum();
            assertTrue(sizeOfOrders0 > 2L * laterSize, "three batches' bytes, each at least the size of the smallest: "
                    + sizeOfOrders0);
        }
    }
}

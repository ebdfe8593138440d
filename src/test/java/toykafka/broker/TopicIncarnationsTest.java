package toykafka.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.coordinator.share.generated.ShareSnapshotKey;
import org.apache.kafka.coordinator.share.generated.ShareSnapshotValue;
import org.apache.kafka.coordinator.share.generated.ShareUpdateKey;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;
import toykafka.archive.ArchiveReader;
import toykafka.broker.group.base.OffsetCommitRequest;
import toykafka.broker.share.SharePartitions;
import toykafka.broker.share.partition.AcknowledgeType;
import toykafka.broker.share.partition.AcknowledgementBatch;
import toykafka.broker.share.partition.AcquiredRecords;
import toykafka.broker.share.partition.ShareFetchLimits;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.TopicId;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * A topic deleted and created again under its name: its offsets start again at 0, and neither its archive, nor
 * a share group's state of it, nor the refusals it gives confuse it with the topic that went before.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TopicIncarnationsTest {

    @StartedBroker
    RunningBroker running;

    private static void produce(Broker broker, String topic, String... values) {
        List<Partitions.ProduceRecord> records = Stream.of(values).map(value -> new Partitions.ProduceRecord(0,
                new Record(null, value.getBytes(StandardCharsets.UTF_8), Instant.parse("2026-11-23T10:00:00Z"),
                        List.of()))).toList();
        broker.partitions().appendRecords(topic, records).forEach(answer -> assertTrue(answer.written(), answer.message()));
    }

    @Test
    void a_topic_created_again_archives_the_same_offsets_beside_the_old_rows_and_analyse_reads_both() throws Exception {
        Broker broker = running.broker();
        broker.createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
        produce(broker, "orders", "first-0", "first-1", "first-2");
        broker.deleteRecords("orders", 0, 2); // archives offsets 0 and 1
        broker.deleteTopic("orders");
        broker.createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
        produce(broker, "orders", "second-0", "second-1", "second-2");
        broker.deleteRecords("orders", 0, 2); // the same offsets, other records
        running.close();
        Path dataDir = running.dataDir();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dataDir.resolve("archive"))) {
            files = walk.filter(f -> f.toString().endsWith(".csv")).sorted().toList();
        }
        assertEquals(2, files.size(), "one file per incarnation, neither overwritten: " + files);
        Table rows = ArchiveReader.of(dataDir.resolve("archive")).withValues().read();
        assertEquals(new TreeSet<>(List.of("first-0", "first-1", "second-0", "second-1")),
                new TreeSet<>(rows.stringColumn("value").asList()), "analyse reads every row of both");
        running.restart(); // the incarnation is remembered across a restart
        produce(running.broker(), "orders", "second-3");
        running.broker().deleteRecords("orders", 0, 4);
        running.close();
        Table after = ArchiveReader.of(dataDir.resolve("archive")).withValues().read();
        assertEquals(6, after.rowCount(), "the second incarnation's later rows join the rest");
    }

    @Test
    void an_unknown_topic_is_refused_as_unknown_by_every_operation_whatever_auto_create_says() {
        Broker broker = running.broker();
        assertTrue(broker.config().autoCreateTopics());
        TopicPartition nowhere = new TopicPartition("nowhere", 0);
        assertEquals(Errors.NONE, broker.groupCoordinator().commitOffsets(new OffsetCommitRequest("g", -1, "",
                new TreeMap<>(Map.of(nowhere, 7L)))), "a commit outside any generation, for a topic not there yet");
        List<Runnable> operations = List.of(() -> broker.deleteTopic("nowhere"),
                () -> broker.describeTopic("nowhere"), () -> broker.deleteRecords("nowhere", 0, 1),
                () -> broker.increasePartitions("nowhere", 2), () -> broker.patchConfig("nowhere", Map.of()));
        for (Runnable operation : operations) {
            ApiException refused = assertThrows(ApiException.class, operation::run);
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, refused.error());
            assertTrue(refused.getMessage().contains("'nowhere'"), refused.getMessage());
            assertFalse(refused.getMessage().contains("auto.create"), refused.getMessage());
        }
        assertFalse(Files.exists(running.dataDir().resolve("archive").resolve("topic=nowhere")),
                "a refused delete leaves nothing in the archive");
        assertEquals(Map.of(nowhere, 7L), broker.groupCoordinator().fetchOffsets("g", null).offsets(),
                "nor forgets any group's offsets");
    }

    @Test
    void a_share_group_reads_a_topic_created_again_from_its_start_and_the_old_ones_state_is_gone_for_good() {
        TopicPartition bills = new TopicPartition("bills", 0);
        Broker broker = running.broker();
        broker.createTopic("bills", 1, Map.of(), OnDuplicate.FAIL);
        produce(broker, "bills", "old-0", "old-1", "old-2", "old-3", "old-4");
        broker.groupConfigs().alter("payers", Map.of("share.auto.offset.reset", "earliest"), Set.of(), false, false);
        assertEquals(4, acquire(broker, bills).lastOffset());
        accept(broker, bills, 0, 4);
        TopicId old = broker.describeTopic("bills").id();

        broker.deleteTopic("bills");
        assertEquals(false, shareStateKept(broker).get(old), "the deleted topic's state ends in a tombstone");
        leaveStaleState(broker, old); // as a broker that kept it would have, or a write racing the deletion
        broker.createTopic("bills", 1, Map.of(), OnDuplicate.FAIL);
        produce(broker, "bills", "new-0", "new-1", "new-2", "new-3", "new-4", "new-5", "new-6", "new-7");
        AcquiredRecords fresh = acquire(broker, bills);
        assertEquals(List.of(0L, 7L, 1), List.of(fresh.firstOffset(), fresh.lastOffset(), fresh.deliveryCount()),
                "every record of the new topic, none skipped for the old start offset of 5");
        accept(broker, bills, 0, 2);
        TopicId now = broker.describeTopic("bills").id();

        running.restart();
        Broker restarted = running.broker();
        assertEquals(3, restarted.sharePartitions().startOffset("payers", bills).startOffset(),
                "the new topic's state, kept");
        AcquiredRecords back = acquire(restarted, bills);
        assertEquals(List.of(3L, 7L), List.of(back.firstOffset(), back.lastOffset()),
                "what was acquired comes back, nothing more");
        Map<TopicId, Boolean> live = shareStateKept(restarted);
        assertEquals(false, live.get(old), "state of a topic gone is deleted at start: " + live);
        assertEquals(true, live.get(now), "the new topic's is kept: " + live);
    }

    private static AcquiredRecords acquire(Broker broker, TopicPartition partition) {
        List<AcquiredRecords> acquired = broker.sharePartitions().fetch("payers", "payer-1", List.of(partition),
                ShareFetchLimits.defaults(), 1 << 20, Duration.ZERO).join().get(partition).acquired();
        assertEquals(1, acquired.size(), acquired.toString());
        return acquired.get(0);
    }

    private static void accept(Broker broker, TopicPartition partition, long first, long last) {
        SharePartitions.Acknowledged answer = broker.sharePartitions().acknowledge("payers", "payer-1", Map.of(
                partition, List.of(AcknowledgementBatch.of(first, last, AcknowledgeType.ACCEPT)))).get(partition);
        assertEquals(Errors.NONE, answer.error(), answer.message());
    }

    /** A snapshot of the group's state of a topic, written to {@code __share_group_state} as Kafka lays it out. */
    private static void leaveStaleState(Broker broker, TopicId topic) {
        Uuid id = new Uuid(topic.mostSignificantBits(), topic.leastSignificantBits());
        byte[] key = MessageUtil.toVersionPrefixedBytes((short) 0, new ShareSnapshotKey().setGroupId("payers")
                .setTopicId(id).setPartition(0));
        byte[] value = MessageUtil.toVersionPrefixedBytes((short) 0, new ShareSnapshotValue().setSnapshotEpoch(0)
                .setStateEpoch(0).setLeaderEpoch(0).setStartOffset(5).setStateBatches(List.of()));
        new CoordinatorPartitionWriter(broker.partitions(), broker.clock()).append(
                new TopicPartition("__share_group_state", 0), List.of(new Record(key, value, Instant.now(), List.of())));
        assertEquals(true, shareStateKept(broker).get(topic));
    }

    /** Whether the last record of {@code __share_group_state} for each topic id holds a state (not a tombstone). */
    private static Map<TopicId, Boolean> shareStateKept(Broker broker) {
        TopicPartition state = new TopicPartition("__share_group_state", 0);
        PartitionData read = broker.partitions().readAndWait(FetchParams.of(state, 0, 1 << 24, Duration.ZERO))
                .get(state);
        assertEquals(Errors.NONE, read.error(), read.message());
        Map<TopicId, Boolean> live = new HashMap<>();
        for (RecordBatch batch : read.batches().batches()) {
            for (Record record : batch.records()) {
                ByteBuffer key = ByteBuffer.wrap(record.key());
                short type = key.getShort();
                Uuid id = type == 0
                        ? new ShareSnapshotKey(new ByteBufferAccessor(key), (short) 0).topicId()
                        : new ShareUpdateKey(new ByteBufferAccessor(key), (short) 0).topicId();
                live.put(new TopicId(id.getMostSignificantBits(), id.getLeastSignificantBits()),
                        record.value() != null);
            }
        }
        return live;
    }
}

package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.kafka.KafkaBatches.records;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.Broker;
import toykafka.broker.Partitions;
import toykafka.common.OffsetRecord;
import toykafka.common.TopicPartition;
import toykafka.harness.WireRecords;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * A consumer of {@code __consumer_offsets} (Kafka's own tools read it so) is woken by each commit as a consumer
 * of any topic is by each append: the group coordinator writes through the data path.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OffsetsTopicFetchTest {

    /** Longer than the test connection's read timeout: a fetch left to wait it out fails the test. */
    private static final int LONGER_THAN_THE_TEST_WAITS = 120_000;
    private static final TopicPartition OFFSETS = new TopicPartition(Broker.OFFSETS_TOPIC, 0);

    @StartedBroker(FrontEnd.KAFKA)
    RunningBroker broker;

    private static OffsetCommitRequestData commit(String group, long offset) {
        return new OffsetCommitRequestData().setGroupId(group).setGenerationIdOrMemberEpoch(-1).setMemberId("")
                .setTopics(List.of(new OffsetCommitRequestTopic().setName("orders").setPartitions(List.of(
                        new OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(offset)))));
    }

    private static FetchRequestData fetchFrom(long offset) {
        return new FetchRequestData().setReplicaId(-1).setMaxWaitMs(LONGER_THAN_THE_TEST_WAITS).setMinBytes(1)
                .setMaxBytes(1 << 20).setIsolationLevel((byte) 0).setSessionId(0).setSessionEpoch(-1)
                .setTopics(List.of(new FetchRequestData.FetchTopic().setTopic(Broker.OFFSETS_TOPIC).setPartitions(
                        List.of(new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(offset)
                                .setPartitionMaxBytes(1 << 20)))));
    }

    @Test
    void a_fetch_parked_at_the_end_of_the_offsets_topic_is_answered_by_the_next_commit() throws Exception {
        broker.broker().createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
        long end = broker.broker().partitions().listOffsets(OFFSETS, Partitions.LATEST).offset();
        try (KafkaWire reader = new KafkaWire(broker); KafkaWire committer = new KafkaWire(broker)) {
            CompletableFuture<FetchResponseData> fetched =
                    CompletableFuture.supplyAsync(() -> reader.send(fetchFrom(end), 11));
            long parkedBy = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (broker.broker().partitions().waitingReads() == 0) {
                assertTrue(System.nanoTime() < parkedBy, "the fetch never reached the purgatory");
                Thread.sleep(5);
            }

            OffsetCommitResponseData committed = committer.send(commit("kitchen", 42), 8);
            long committedAt = System.nanoTime();
            assertEquals(Errors.NONE.code(), committed.topics().get(0).partitions().get(0).errorCode());

            // KafkaWire's read timeout, far shorter than the fetch's wait, fails the test if no commit wakes it
            FetchResponseData answer = fetched.get(5, TimeUnit.MINUTES);
            long answeredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - committedAt);
            FetchResponseData.PartitionData data = answer.responses().get(0).partitions().get(0);
            assertEquals(Errors.NONE.code(), data.errorCode());
            List<OffsetRecord> records = records(WireRecords.bytes(data));
            assertEquals(1, records.size(), "the commit's one record");
            assertEquals(end, records.get(0).offset());
            assertEquals(end + 1, data.highWatermark());
            System.out.println("a fetch parked on " + OFFSETS + " answered " + answeredMs + " ms after the commit's"
                    + " answer, its wait " + LONGER_THAN_THE_TEST_WAITS + " ms");
        }
    }
}

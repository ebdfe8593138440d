package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsPartition;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsTopic;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import toykafka.archive.ArchiveReader;
import toykafka.broker.Partitions.Acks;
import toykafka.common.ProducerBatches;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/** DeleteRecords, written and read by Kafka's own classes in every version served; one broker, a topic a test. */
class Api21DeleteRecordsTest {

    @StartedBroker(FrontEnd.KAFKA)
    static RunningBroker broker;

    /** A topic of one partition holding {@code records} records, offsets 0 to records - 1. */
    private void topicWith(String name, int records) {
        broker.broker().createTopic(name, 1, Map.of(), OnDuplicate.FAIL);
        String[] values = new String[records];
        for (int i = 0; i < records; i++) {
            values[i] = "order " + i;
        }
        KafkaBatches.append(broker.broker(), new TopicPartition(name, 0), KafkaBatches.batch(System.currentTimeMillis(), values));
    }

    private static DeleteRecordsTopic topic(String name, int partition, long offset) {
        return new DeleteRecordsTopic().setName(name).setPartitions(List.of(
                new DeleteRecordsPartition().setPartitionIndex(partition).setOffset(offset)));
    }

    private DeleteRecordsPartitionResult delete(int version, String name, int partition, long offset) {
        DeleteRecordsResponseData response = send(version, topic(name, partition, offset));
        return response.topics().find(name).partitions().find(partition);
    }

    private DeleteRecordsResponseData send(int version, DeleteRecordsTopic... topics) {
        DeleteRecordsRequestData request = new DeleteRecordsRequestData().setTimeoutMs(30_000);
        for (DeleteRecordsTopic topic : topics) {
            request.topics().add(topic);
        }
        try (KafkaWire wire = new KafkaWire(broker)) {
            return wire.send(request, version);
        }
    }

    private long logStartOffset(String topic) {
        return broker.broker().describeTopic(topic).partitions().get(0).logStartOffset();
    }

    @ParameterizedTest(name = "v{0}")
    @ValueSource(ints = {0, 1, 2})
    void every_version_moves_the_log_start_offset_archiving_what_is_below_it(int version) {
        String name = "receipts-v" + version;
        topicWith(name, 5);
        DeleteRecordsPartitionResult result = delete(version, name, 0, 3);

        assertEquals(Errors.NONE.code(), result.errorCode());
        assertEquals(3, result.lowWatermark());
        assertEquals(3, logStartOffset(name));
        assertEquals(3, ArchiveReader.of(broker.broker().archiveDirectory()).topics(name).read().rowCount(),
                "the 3 records below offset 3 went to the archive, as over HTTP");
        assertEquals(3, delete(version, name, 0, 1).lowWatermark(), "an offset below the start changes nothing");
    }

    @Test
    void offset_minus_one_is_the_high_watermark() {
        topicWith("drained", 4);
        DeleteRecordsPartitionResult result = delete(2, "drained", 0, -1);
        assertEquals(Errors.NONE.code(), result.errorCode());
        assertEquals(4, result.lowWatermark());
        assertEquals(4, logStartOffset("drained"));
    }

    /**
     * Kafka Streams purges a caught-up repartition topic up to its end, which at exactly-once follows a commit
     * marker: no record lies between the last one archived and the end, and the start still moves there.
     */
    @Test
    void deleting_up_to_an_end_that_follows_a_transaction_marker_moves_the_start_to_the_end() {
        String name = "after-a-marker";
        TopicPartition partition = new TopicPartition(name, 0);
        broker.broker().createTopic(name, 1, Map.of(), OnDuplicate.FAIL);
        broker.broker().partitions().verifyTransactionsWith((tp, producerId, epoch) -> { });
        ByteBuffer batch = ProducerBatches.transactional(21, (short) 0, 0, Record.of(null, "a", Instant.now()),
                Record.of(null, "b", Instant.now()));
        assertEquals(toykafka.common.Errors.NONE,
                broker.broker().partitions().append(Map.of(partition, batch), Acks.ALL).get(partition).error());
        assertEquals(toykafka.common.Errors.NONE, broker.broker().partitions()
                .writeMarker(partition, 21, (short) 0, true, 0, Instant.now()).error());

        for (long offset : new long[] {3, -1}) { // records at 0 and 1, the marker at 2: the end is 3
            DeleteRecordsPartitionResult result = delete(2, name, 0, offset);
            assertEquals(Errors.NONE.code(), result.errorCode(), "offset " + offset);
            assertEquals(3, result.lowWatermark(), "offset " + offset);
        }
        assertEquals(3, logStartOffset(name));
        assertEquals(2, ArchiveReader.of(broker.broker().archiveDirectory()).topics(name).read().rowCount(),
                "both records archived, the marker is no record");
    }

    @Test
    void an_offset_past_the_high_watermark_or_below_minus_one_is_offset_out_of_range() {
        topicWith("short", 2);
        for (long offset : new long[] {3, -2}) {
            DeleteRecordsPartitionResult result = delete(2, "short", 0, offset);
            assertEquals(Errors.OFFSET_OUT_OF_RANGE.code(), result.errorCode(), "offset " + offset);
            assertEquals(-1, result.lowWatermark());
        }
        assertEquals(0, logStartOffset("short"));
        assertEquals(Errors.NONE.code(), delete(2, "short", 0, 2).errorCode(), "the high watermark itself is taken");
    }

    @Test
    void an_unknown_topic_or_partition_and_the_brokers_own_topics_are_refused_each_on_its_own() {
        topicWith("known", 1);
        DeleteRecordsResponseData response = send(2, topic("nowhere", 0, 0), topic("known", 5, -1),
                topic("__consumer_offsets", 0, -1));
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(),
                response.topics().find("nowhere").partitions().find(0).errorCode());
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(),
                response.topics().find("known").partitions().find(5).errorCode());
        assertEquals(Errors.INVALID_TOPIC_EXCEPTION.code(),
                response.topics().find("__consumer_offsets").partitions().find(0).errorCode());
    }
}

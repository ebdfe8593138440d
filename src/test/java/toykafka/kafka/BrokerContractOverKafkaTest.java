package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsTopic;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceDataCollection;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.utils.Utils;
import toykafka.broker.BrokerContract;
import toykafka.broker.AppendResult;
import toykafka.broker.FetchParams;
import toykafka.broker.FetchPartition;
import toykafka.broker.OffsetAnswer;
import toykafka.broker.Partitions.ProduceRecord;
import toykafka.broker.Partitions.RecordAnswer;
import toykafka.common.Errors;
import toykafka.common.OffsetRecord;
import toykafka.common.ProducerBatches;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.harness.WireRecords;
import toykafka.testing.RunningBroker;

/**
 * The broker's contract through its Kafka front end, with kafka-clients doing every request's encoding and
 * decoding, the course's RecordBatch the records' (the oracle tests prove its bytes Kafka's). The adapter only translates, choosing per call the kafka-clients piece that asks exactly what
 * the contract asks:
 * <ul>
 * <li>{@code createTopic}, {@code listTopics}: Kafka's {@link Admin} (CreateTopics; Metadata, internal
 *     topics included, since the contract lists the broker's own).</li>
 * <li>{@code append}, {@code appendRecords}: a Produce v8 built by Kafka's {@code ProduceRequestData}, each
 *     partition's records one batch as a producer writes it, sent over
 *     {@link KafkaWire}. Not a {@code KafkaProducer}: the contract wants the broker's answer for a partition
 *     or topic that does not exist, and the producer never asks the broker for it. It checks a record
 *     against its own metadata first and fails the send after {@code max.block.ms} ("Partition 7 of topic
 *     orders with partition count 2 is not present in metadata", "Topic menus not present in metadata"):
 *     a client's timeout, not the per-partition error and message Produce v8 carries.</li>
 * <li>{@code appendRecords} picks a partition as kafka-clients' default partitioner does: murmur2 of a key
 *     ({@code Utils.toPositive(Utils.murmur2(key)) % partitions} from Kafka's public {@code Utils}, the
 *     producer's formula, which {@code KafkaPartitionerOracleTest} proves equal to the broker's lesson-4
 *     partitioner), and for keyless records one partition chosen at random for the
 *     call's batch, as the sticky partitioner starts a batch. The partition count comes from Metadata
 *     (Admin), as a producer's does.</li>
 * <li>{@code read}: a Fetch v11 built by Kafka's {@code FetchRequestData}, max_wait_ms, min_bytes,
 *     max_bytes and each partition_max_bytes exactly as the contract gives them (a {@code KafkaConsumer}
 *     sets these per consumer, not per read, and fetches ahead); the records decoded batch by batch,
 *     each batch's magic and CRC checked, those below the offset asked for dropped as a
 *     consumer drops them.</li>
 * <li>{@code listOffsets}: a ListOffsets v5 built by Kafka's {@code ListOffsetsRequestData}, so an unknown
 *     partition is the broker's per-partition answer, not Admin's wait for metadata.</li>
 * </ul>
 * Each call opens its own connection: the contract reads on one thread while it appends on another.
 * Kafka's error codes become ours by name: the two tables share their names.
 */
class BrokerContractOverKafkaTest extends BrokerContract {

    /** The newest non-flexible versions, the highest the front end serves. */
    private static final int PRODUCE_VERSION = 8;
    private static final int FETCH_VERSION = 11;
    private static final int LIST_OFFSETS_VERSION = 5;
    private static final short ACKS_ALL = -1;
    private static final int PRODUCE_TIMEOUT_MS = 30_000;

    @Override
    protected DataApi open(Path dataDir, Map<String, String> settings) {
        return new OverKafka(RunningBroker.overKafka(dataDir, settings, false));
    }

    private static final class OverKafka implements DataApi {

        private final RunningBroker kafka;
        private final Admin admin;

        OverKafka(RunningBroker kafka) {
            this.kafka = kafka;
            this.admin = KafkaAdmins.on(kafka);
        }

        // ---- topics ----

        @Override
        public void createTopic(String topic, int partitions, Map<String, String> configs) {
            done(admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(configs))).all());
        }

        @Override
        public List<String> listTopics() {
            return List.copyOf(done(admin.listTopics(new ListTopicsOptions().listInternal(true)).names()));
        }

        // ---- produce ----

        @Override
        public Map<TopicPartition, AppendResult> append(Map<TopicPartition, List<Record>> batches) {
            Map<TopicPartition, PartitionProduceResponse> answers = produce(batches);
            Map<TopicPartition, AppendResult> results = new LinkedHashMap<>();
            answers.forEach((partition, answer) -> results.put(partition, new AppendResult(error(answer.errorCode()),
                    answer.errorMessage(), answer.baseOffset(), answer.logAppendTimeMs(), answer.logStartOffset())));
            return results;
        }

        @Override
        public List<RecordAnswer> appendRecords(String topic, List<ProduceRecord> records) {
            int partitionCount = partitionCount(topic);
            int keyless = ThreadLocalRandom.current().nextInt(partitionCount); // the sticky partitioner's batch
            Map<TopicPartition, List<Integer>> indexes = new LinkedHashMap<>();
            Map<TopicPartition, List<Record>> batches = new LinkedHashMap<>();
            for (int i = 0; i < records.size(); i++) {
                ProduceRecord produce = records.get(i);
                Record record = produce.record();
                int partition = produce.partition() != null ? produce.partition()
                        : record.hasKey() ? Utils.toPositive(Utils.murmur2(record.key())) % partitionCount : keyless;
                TopicPartition where = new TopicPartition(topic, partition);
                indexes.computeIfAbsent(where, p -> new ArrayList<>()).add(i);
                batches.computeIfAbsent(where, p -> new ArrayList<>()).add(record);
            }
            RecordAnswer[] answers = new RecordAnswer[records.size()];
            produce(batches).forEach((partition, answer) -> {
                List<Integer> sent = indexes.get(partition);
                for (int k = 0; k < sent.size(); k++) {
                    Record record = records.get(sent.get(k)).record();
                    answers[sent.get(k)] = answer.errorCode() != Errors.NONE.code()
                            ? new RecordAnswer(partition, -1, null, error(answer.errorCode()), answer.errorMessage())
                            : new RecordAnswer(partition, answer.baseOffset() + k, answer.logAppendTimeMs() != -1
                                    ? Instant.ofEpochMilli(answer.logAppendTimeMs()) : record.timestamp(), Errors.NONE, null);
                }
            });
            return List.of(answers);
        }

        /** The topic's partition count from Metadata, as a producer learns it before it partitions. */
        private int partitionCount(String topic) {
            return done(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic).partitions().size();
        }

        /** One Produce v8, acks=all, each partition's records as one batch; each partition's answer. */
        private Map<TopicPartition, PartitionProduceResponse> produce(Map<TopicPartition, List<Record>> batches) {
            TopicProduceDataCollection topics = new TopicProduceDataCollection();
            batches.forEach((partition, records) -> {
                TopicProduceData topic = topics.find(partition.topic(), org.apache.kafka.common.Uuid.ZERO_UUID);
                if (topic == null) {
                    topic = new TopicProduceData().setName(partition.topic());
                    topics.add(topic);
                }
                topic.partitionData().add(WireRecords.partition(partition.partition(), batch(records)));
            });
            ProduceRequestData request = new ProduceRequestData().setAcks(ACKS_ALL).setTimeoutMs(PRODUCE_TIMEOUT_MS)
                    .setTopicData(topics);
            ProduceResponseData response;
            try (KafkaWire wire = new KafkaWire(kafka)) {
                response = wire.send(request, PRODUCE_VERSION);
            }
            Map<TopicPartition, PartitionProduceResponse> answers = new LinkedHashMap<>();
            response.responses().forEach(topic -> topic.partitionResponses().forEach(answer ->
                    answers.put(new TopicPartition(topic.name(), answer.index()), answer)));
            assertEquals(batches.keySet(), answers.keySet(), "every partition sent is answered");
            return answers;
        }

        /** The records as one batch, the way Kafka's producer writes it: message format v2, CreateTime. */
        private static ByteBuffer batch(List<Record> records) {
            return ProducerBatches.plain(records.toArray(Record[]::new));
        }

        // ---- fetch ----

        @Override
        public Map<TopicPartition, Read> read(FetchParams params) {
            Map<String, FetchRequestData.FetchTopic> topics = new LinkedHashMap<>();
            Map<TopicPartition, Long> asked = new LinkedHashMap<>();
            for (FetchPartition wanted : params.partitions()) {
                TopicPartition partition = wanted.partition();
                topics.computeIfAbsent(partition.topic(), name -> new FetchRequestData.FetchTopic().setTopic(name))
                        .partitions().add(new FetchRequestData.FetchPartition().setPartition(partition.partition())
                                .setCurrentLeaderEpoch(-1).setFetchOffset(wanted.offset()).setLogStartOffset(-1)
                                .setPartitionMaxBytes(wanted.maxBytes()));
                asked.put(partition, wanted.offset());
            }
            FetchRequestData request = new FetchRequestData().setReplicaId(-1)
                    .setMaxWaitMs(Math.toIntExact(params.maxWait().toMillis())).setMinBytes(params.minBytes())
                    .setMaxBytes(params.maxBytes()).setIsolationLevel((byte) 0).setSessionId(0).setSessionEpoch(-1)
                    .setTopics(new ArrayList<>(topics.values()));
            FetchResponseData response;
            try (KafkaWire wire = new KafkaWire(kafka)) {
                response = wire.send(request, FETCH_VERSION);
            }
            assertEquals(Errors.NONE.code(), response.errorCode(), "the fetch as a whole");
            Map<TopicPartition, Read> reads = new LinkedHashMap<>();
            response.responses().forEach(topic -> topic.partitions().forEach(data -> {
                TopicPartition partition = new TopicPartition(topic.topic(), data.partitionIndex());
                reads.put(partition, new Read(error(data.errorCode()), data.highWatermark(), data.logStartOffset(),
                        decode(WireRecords.bytes(data), asked.get(partition))));
            }));
            assertEquals(asked.keySet(), reads.keySet(), "every partition asked for is answered");
            return reads;
        }

        /** The records from {@code from} on, each batch checked as a consumer checks it (CRC-32C and all). */
        private static List<OffsetRecord> decode(ByteBuffer records, long from) {
            return KafkaBatches.records(records).stream().filter(record -> record.offset() >= from).toList();
        }

        // ---- list offsets ----

        @Override
        public OffsetAnswer listOffsets(TopicPartition partition, long timestamp) {
            ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(-1).setIsolationLevel((byte) 0)
                    .setTopics(List.of(new ListOffsetsTopic().setName(partition.topic()).setPartitions(List.of(
                            new ListOffsetsPartition().setPartitionIndex(partition.partition()).setCurrentLeaderEpoch(-1)
                                    .setTimestamp(timestamp)))));
            ListOffsetsResponseData response;
            try (KafkaWire wire = new KafkaWire(kafka)) {
                response = wire.send(request, LIST_OFFSETS_VERSION);
            }
            ListOffsetsPartitionResponse answer = response.topics().get(0).partitions().get(0);
            assertEquals(partition.partition(), answer.partitionIndex(), "the partition answered");
            return new OffsetAnswer(error(answer.errorCode()), null, answer.offset(), answer.timestamp());
        }

        @Override
        public boolean boundsBytes() {
            return true;
        }

        @Override
        public void close() {
            admin.close(Duration.ofSeconds(5));
            kafka.close();
        }

        /** Kafka's error for a code, as our table names it: the two share their names. */
        private static Errors error(short code) {
            return Errors.valueOf(org.apache.kafka.common.protocol.Errors.forCode(code).name());
        }

        /** An Admin call's result, or its failure as the exception Kafka's Admin raised. */
        private static <T> T done(Future<T> result) {
            try {
                return result.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for Kafka's Admin", e);
            }
        }
    }
}

package toykafka.broker;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.Partitions.Acks;
import toykafka.broker.Partitions.ProduceRecord;
import toykafka.broker.Partitions.RecordAnswer;
import toykafka.common.Compression;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;

/**
 * The broker's contract on {@link Partitions} itself: batches encoded as a producer would, read into a
 * buffer of the caller's as a front end's, and no front end.
 */
class BrokerContractInProcessTest extends BrokerContract {

    @Override
    protected DataApi open(Path dataDir, Map<String, String> settings) {
        // started here, not by StartedBroker: the contract opens its broker with its settings, for each adapter alike
        BrokerConfig config = BrokerConfig.of(settings).with(BrokerConfig.DATA_DIR, dataDir);
        Broker broker = Broker.start(config);
        Partitions partitions = broker.partitions();
        return new DataApi() {
            @Override
            public void createTopic(String topic, int count, Map<String, String> configs) {
                broker.createTopic(topic, count, configs, OnDuplicate.FAIL);
            }

            @Override
            public List<String> listTopics() {
                return broker.listTopics();
            }

            @Override
            public Map<TopicPartition, AppendResult> append(Map<TopicPartition, List<Record>> batches) {
                Map<TopicPartition, ByteBuffer> bytes = new LinkedHashMap<>();
                batches.forEach((partition, records) -> bytes.put(partition, RecordBatch.of(records, 0, Compression.NONE).buffer()));
                return partitions.append(bytes, Acks.ALL);
            }

            @Override
            public List<RecordAnswer> appendRecords(String topic, List<ProduceRecord> records) {
                return partitions.appendRecords(topic, records);
            }

            @Override
            public Map<TopicPartition, Read> read(FetchParams params) {
                Map<TopicPartition, Read> reads = new LinkedHashMap<>();
                ByteBuffer into = ByteBuffer.allocate((int) Math.min(params.maxBytes(), 8 << 20)); // as a front end's
                partitions.readAndWait(params, into).forEach((partition, data) -> reads.put(partition, new Read(data.error(),
                        data.highWatermark(), data.logStartOffset(), data.records(Integer.MAX_VALUE))));
                return reads;
            }

            @Override
            public OffsetAnswer listOffsets(TopicPartition partition, long timestamp) {
                return partitions.listOffsets(partition, timestamp);
            }

            @Override
            public boolean boundsBytes() {
                return true;
            }

            @Override
            public void close() {
                broker.close();
            }
        };
    }
}

package toykafka.harness;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;
import toykafka.common.Compression;
import toykafka.common.Record;
import toykafka.common.RecordBatch;

/**
 * Kafka's Produce request (acks=1), each partition's batch of {@code recordsPerBatch} records of 'x' written by
 * the course's RecordBatch, framed with its size as the protocol sends it. A partition refused while its leader is still being
 * made (a new topic) may be sent again.
 */
final class KafkaProduceWire implements ProduceWire {

    private static final short PRODUCE_VERSION = 8; // the newest both brokers of the head-to-head serve
    private static final Set<Errors> RETRIABLE = Set.of(Errors.NOT_LEADER_OR_FOLLOWER, Errors.LEADER_NOT_AVAILABLE,
            Errors.UNKNOWN_TOPIC_OR_PARTITION);

    @Override
    public ByteBuffer[] requests(ManyConnectionsLoad.Shape shape, int port) {
        byte[] value = new byte[shape.valueBytes()];
        Arrays.fill(value, (byte) 'x');
        Record record = new Record(null, value, Instant.now(), List.of());
        ByteBuffer batch = RecordBatch.of(Collections.nCopies(shape.recordsPerBatch(), record), 0, Compression.NONE).buffer();
        int partitions = shape.topics().size() * shape.partitionsPerTopic();
        ByteBuffer[] frames = new ByteBuffer[partitions / shape.partitionsPerRequest()];
        for (int f = 0; f < frames.length; f++) {
            ProduceRequestData body = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(30_000);
            for (int p = f * shape.partitionsPerRequest(); p < (f + 1) * shape.partitionsPerRequest(); p++) {
                String topic = shape.topic(p);
                ProduceRequestData.TopicProduceData data = body.topicData().find(topic, Uuid.ZERO_UUID);
                if (data == null) {
                    data = new ProduceRequestData.TopicProduceData().setName(topic);
                    body.topicData().add(data);
                }
                data.partitionData().add(WireRecords.partition(p % shape.partitionsPerTopic(), batch));
            }
            RequestHeader header = new RequestHeader(ApiKeys.PRODUCE, PRODUCE_VERSION, "many-connections", 1);
            ByteBuffer serialized = RequestUtils.serialize(header.data(), header.headerVersion(), body, PRODUCE_VERSION);
            frames[f] = ByteBuffer.allocateDirect(4 + serialized.remaining());
            frames[f].putInt(serialized.remaining()).put(serialized).flip();
        }
        return frames;
    }

    @Override
    public AnswerReader reader(ManyConnectionsLoad.Shape shape) {
        return new Reader(shape.recordsPerBatch());
    }

    /** A size, then that many bytes: a Produce response. */
    private static final class Reader implements AnswerReader {
        private final int recordsPerBatch;
        private final KafkaFrameReader frames = new KafkaFrameReader();

        Reader(int recordsPerBatch) {
            this.recordsPerBatch = recordsPerBatch;
        }

        @Override
        public Answer read(SocketChannel channel, boolean mayRetry) throws IOException {
            ProduceResponseData data = frames.read(channel, ApiKeys.PRODUCE, PRODUCE_VERSION, ProduceResponseData::new);
            if (data == null) {
                return null;
            }
            long taken = 0;
            boolean again = false;
            for (ProduceResponseData.TopicProduceResponse topic : data.responses()) {
                for (ProduceResponseData.PartitionProduceResponse partition : topic.partitionResponses()) {
                    Errors error = Errors.forCode(partition.errorCode());
                    if (error == Errors.NONE) {
                        taken += recordsPerBatch; // taken even when another batch of the request is refused
                    } else if (mayRetry && RETRIABLE.contains(error)) {
                        again = true;
                    } else {
                        throw new IllegalStateException("a produce to " + topic.name() + "-" + partition.index()
                                + " was refused: " + error + " " + partition.errorMessage());
                    }
                }
            }
            return new Answer(taken, again);
        }
    }
}

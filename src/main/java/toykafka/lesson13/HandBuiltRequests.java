package toykafka.lesson13;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import toykafka.common.Compression;
import toykafka.common.Errors;
import toykafka.common.Record;
import toykafka.common.RecordBatch;

/**
 * The few requests lesson 13 writes by hand, field by field with a {@code ByteBuffer}, to show what an
 * idempotent producer sends: InitProducerId v1, and Produce v3 with one batch that carries the producer's
 * id, epoch and sequence. kafka-clients writes the same bytes from its generated {@code *RequestData}
 * classes.
 */
public final class HandBuiltRequests {

    /** A producer's identity as InitProducerId answers it. */
    public record ProducerId(long id, short epoch) {
    }

    /** One partition's answer to a produce: its error and the offset the batch was given. */
    public record ProduceAnswer(Errors error, long baseOffset) {
        @Override
        public String toString() {
            return error + (error == Errors.NONE ? ", offset " + baseOffset : "");
        }
    }

    private HandBuiltRequests() {
    }

    /** InitProducerId v1 (key 22): header v1, then a null transactional id and a timeout. */
    public static ByteBuffer initProducerId(int correlationId, String clientId) {
        ByteBuffer request = header(22, 1, correlationId, clientId, 6);
        request.putShort((short) -1).putInt(60_000);
        return request.flip();
    }

    /** InitProducerId's answer: its error, and the producer id and epoch when the error is NONE. */
    public record ProducerIdAnswer(Errors error, ProducerId id) {
    }

    /** Reads InitProducerId's response: correlation id, throttle time, error, producer id, epoch. */
    public static ProducerIdAnswer producerId(ByteBuffer response) {
        response.getInt(); // correlation id
        response.getInt(); // throttle time
        Errors error = error(response.getShort());
        return new ProducerIdAnswer(error, new ProducerId(response.getLong(), response.getShort()));
    }

    // tag::idempotent-batch[]
    /**
     * A record batch as an idempotent producer sends it: the producer id, epoch and base sequence written
     * into the batch header (bytes 43 to 56), and the CRC, which covers them, computed again.
     */
    public static ByteBuffer idempotentBatch(List<Record> records, ProducerId producer, int baseSequence) {
        ByteBuffer batch = RecordBatch.of(records, 0, Compression.NONE).buffer();
        ByteBuffer copy = ByteBuffer.allocate(batch.remaining()).put(batch.duplicate()).flip();
        copy.putLong(RecordBatch.PRODUCER_ID_AT, producer.id());
        copy.putShort(RecordBatch.PRODUCER_EPOCH_AT, producer.epoch());
        copy.putInt(RecordBatch.BASE_SEQUENCE_AT, baseSequence);
        CRC32C crc = new CRC32C();
        crc.update(copy.duplicate().position(RecordBatch.ATTRIBUTES_AT));
        copy.putInt(RecordBatch.CRC_AT, (int) crc.getValue());
        return copy;
    }
    // end::idempotent-batch[]

    /** Produce v3 (key 0) with acks=all: one batch for one partition. */
    public static ByteBuffer produce(int correlationId, String clientId, String topic, int partition, ByteBuffer batch) {
        byte[] name = topic.getBytes(StandardCharsets.UTF_8);
        ByteBuffer request = header(0, 3, correlationId, clientId, 2 + 2 + 4 + 4 + 2 + name.length + 4 + 4 + 4
                + batch.remaining());
        request.putShort((short) -1); // transactional id: null
        request.putShort((short) -1); // acks: all
        request.putInt(30_000); // timeout ms
        request.putInt(1).putShort((short) name.length).put(name); // one topic
        request.putInt(1).putInt(partition); // one partition
        request.putInt(batch.remaining()).put(batch.duplicate());
        return request.flip();
    }

    /** Reads Produce v3's response for its one partition. */
    public static ProduceAnswer produceAnswer(ByteBuffer response) {
        response.getInt(); // correlation id
        response.getInt(); // one topic
        short nameLength = response.getShort();
        response.position(response.position() + nameLength); // its name
        response.getInt(); // one partition
        response.getInt(); // its index
        Errors error = error(response.getShort());
        return new ProduceAnswer(error, response.getLong());
    }

    /** A request header v1 (api key, version, correlation id, client id), with room for the body after it. */
    private static ByteBuffer header(int apiKey, int version, int correlationId, String clientId, int bodyBytes) {
        byte[] client = clientId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer request = ByteBuffer.allocate(2 + 2 + 4 + 2 + client.length + bodyBytes);
        return request.putShort((short) apiKey).putShort((short) version).putInt(correlationId)
                .putShort((short) client.length).put(client);
    }

    private static Errors error(short code) {
        return Arrays.stream(Errors.values()).filter(e -> e.code() == code).findFirst()
                .orElseThrow(() -> new IllegalStateException("error code " + code + " is not in toykafka's table"));
    }
}

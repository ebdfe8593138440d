package toykafka.lesson13;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import toykafka.common.Compression;
import toykafka.common.Record;
import toykafka.common.RecordBatch;

/**
 * One produce request two ways: as seed 001, Wafka, wrote it (Kafka's field order, with every string behind
 * an int32 length and the records as one more string), and as Kafka encodes it (int16 string lengths, the
 * records a RecordBatch v2 behind an int32 length). Both are Produce v3 to {@code deliveries-0}.
 */
public final class WafkaFrames {

    /** The message Wafka's producer sent, as it wrote it. */
    public static final String MESSAGE = "{\"event_id\":1,\"topic_name\":\"deliveries\",\"timestamp\":\"2024-05-01\","
            + "\"message\":\"truck--ontime--australia-melbourne-1021\"}";

    private WafkaFrames() {
    }

    // tag::wafka[]
    /** Wafka's Produce v3 without its size, field by field as its client wrote it. */
    public static byte[] wafkaProduce() {
        return bytes(out -> {
            out.writeShort(0); // api key: Produce
            out.writeShort(3); // api version
            out.writeInt(3); // correlation id
            int32String(out, "wafka-producer"); // client id: Kafka's has an int16 length
            out.writeInt(-1); // transactional id, null: Kafka's is an int16 -1
            out.writeShort(1); // acks
            out.writeInt(30_000); // timeout ms
            out.writeInt(1); // one topic
            int32String(out, "deliveries");
            out.writeInt(1); // one partition
            out.writeInt(0); // partition 0
            int32String(out, MESSAGE); // the records: Kafka's are a record batch
        });
    }
    // end::wafka[]

    // tag::kafka[]
    /** The same request as Kafka reads it, without its size. */
    public static byte[] kafkaProduce() {
        ByteBuffer batch = RecordBatch.of(List.of(Record.of(null, MESSAGE, Instant.parse("2024-05-01T00:00:00Z"))),
                0, Compression.NONE).buffer();
        return bytes(out -> {
            out.writeShort(0);
            out.writeShort(3);
            out.writeInt(3);
            int16String(out, "wafka-producer");
            out.writeShort(-1);
            out.writeShort(1);
            out.writeInt(30_000);
            out.writeInt(1);
            int16String(out, "deliveries");
            out.writeInt(1);
            out.writeInt(0);
            out.writeInt(batch.remaining()); // bytes: an int32 length, then the batch
            out.write(batch.array(), batch.arrayOffset() + batch.position(), batch.remaining());
        });
    }
    // end::kafka[]

    /** {@code frame} with its 4-byte size in front, as it goes on the wire. */
    public static byte[] sized(byte[] frame) {
        return ByteBuffer.allocate(4 + frame.length).putInt(frame.length).put(frame).array();
    }

    /**
     * The first {@code count} bytes of {@code bytes} as hex, 16 to a line, each line led by its position and
     * followed by the printable bytes as text, as {@code xxd} shows a file.
     */
    public static String hexDump(byte[] bytes, int count) {
        StringBuilder dump = new StringBuilder();
        int end = Math.min(count, bytes.length);
        for (int line = 0; line < end; line += 16) {
            StringBuilder hex = new StringBuilder();
            StringBuilder text = new StringBuilder();
            for (int i = line; i < line + 16; i++) {
                if (i < end) {
                    hex.append(String.format("%02x ", bytes[i]));
                    text.append(bytes[i] >= 0x20 && bytes[i] < 0x7f ? (char) bytes[i] : '.');
                } else {
                    hex.append("   ");
                }
            }
            dump.append(String.format("%04x  %s %s%n", line, hex, text));
        }
        if (end < bytes.length) {
            dump.append("... ").append(bytes.length - end).append(" bytes more").append(System.lineSeparator());
        }
        return dump.toString();
    }

    private interface Fields {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] bytes(Fields fields) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            fields.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void int32String(DataOutputStream out, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static void int16String(DataOutputStream out, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeShort(utf8.length);
        out.write(utf8);
    }
}

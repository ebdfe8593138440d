package toykafka.kafka;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Requests whose lengths lie: a string, array or bytes length larger than the frame, negative lengths, a
 * varint that never ends, and record batches whose own length or count lies. Written field by field, since
 * Kafka's classes will not write a lie.
 */
final class LyingFrames {

    /** One lie: what it is, its frame (size first), and whether it sits inside a record batch. */
    record Lie(String what, byte[] frame, boolean insideTheBatch) {
    }

    private interface Fields {
        void write(DataOutputStream out) throws IOException;
    }

    private LyingFrames() {
    }

    static List<Lie> all() {
        List<Lie> lies = new ArrayList<>();
        lies.add(lie("a client id longer than the frame", 18, 0, out -> out.writeShort(0x7fff)));
        lies.add(lie("a client id of length -2", 18, 0, out -> out.writeShort(-2)));
        lies.add(metadata("a topic count larger than the frame", out -> out.writeInt(0x7fffffff)));
        lies.add(metadata("a topic count of -5", out -> out.writeInt(-5)));
        lies.add(metadata("a topic name longer than the frame", out -> {
            out.writeInt(1);
            out.writeShort(0x7fff);
            out.writeBytes("fu");
        }));
        lies.add(metadata("a topic name of length -2", out -> {
            out.writeInt(1);
            out.writeShort(-2);
        }));
        lies.add(produce("records longer than the frame", out -> {
            out.writeInt(0x7fffffff);
            out.write(new byte[10]);
        }));
        lies.add(produce("records of length 100 with 10 bytes", out -> {
            out.writeInt(100);
            out.write(new byte[10]);
        }));
        lies.add(produce("records of length -7", out -> out.writeInt(-7)));
        ByteBuffer batch = KafkaBatches.batch(1_700_000_000_000L, "lie");
        lies.add(batchLie("a batch whose length says 2 GiB", batch, 8, 0x7fffffff));
        lies.add(batchLie("a batch whose length says 1 byte", batch, 8, 1));
        lies.add(batchLie("a batch whose record count says a million", batch, 57, 1_000_000));
        lies.add(batchLie("a batch whose record count says -1", batch, 57, -1));
        lies.add(lie("a compact string longer than the frame", 18, 3, out -> {
            out.writeShort(-1);
            out.writeByte(0); // no tagged fields in the header
            out.write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f}); // client software name
        }));
        lies.add(lie("a varint that never ends", 18, 3, out -> {
            out.writeShort(-1);
            out.writeByte(0);
            out.write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
        }));
        lies.add(lie("a tagged field in the header longer than the frame", 18, 3, out -> {
            out.writeShort(-1);
            out.write(new byte[] {1, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f}); // 1 field, tag 0, its size
        }));
        lies.add(lie("a fetch with a topic count larger than the frame", 1, 4, out -> {
            out.writeShort(-1);
            out.writeInt(-1); // replica id
            out.writeInt(10); // max wait
            out.writeInt(1); // min bytes
            out.writeInt(1 << 20); // max bytes
            out.writeByte(0); // isolation level
            out.writeInt(0x7fffffff);
        }));
        lies.add(lie("a create-topics assignment count larger than the frame", 19, 2, out -> {
            out.writeShort(-1);
            out.writeInt(1);
            out.writeShort(1);
            out.writeBytes("x");
            out.writeInt(1); // partitions
            out.writeShort(1); // replication factor
            out.writeInt(0x7fffffff); // assignments
        }));
        lies.add(lie("a describe-configs key count larger than the frame", 32, 1, out -> {
            out.writeShort(-1);
            out.writeInt(1);
            out.writeByte(2);
            out.writeShort(4);
            out.writeBytes("fuzz");
            out.writeInt(0x7ffffff0);
        }));
        return lies;
    }

    private static Lie metadata(String what, Fields topics) {
        return lie(what, 3, 1, out -> {
            out.writeShort(-1); // client id: null
            topics.write(out);
        });
    }

    /** A produce v3 to fuzz-0 whose records field is {@code records}. */
    private static Lie produce(String what, Fields records) {
        return lie(what, 0, 3, out -> {
            out.writeShort(-1); // client id
            out.writeShort(-1); // transactional id
            out.writeShort(-1); // acks
            out.writeInt(1000);
            out.writeInt(1);
            out.writeShort(4);
            out.writeBytes("fuzz");
            out.writeInt(1);
            out.writeInt(0);
            records.write(out);
        });
    }

    private static Lie batchLie(String what, ByteBuffer batch, int at, int value) {
        byte[] bytes = new byte[batch.remaining()];
        batch.duplicate().get(bytes);
        ByteBuffer.wrap(bytes).putInt(at, value);
        Lie lie = produce(what, out -> {
            out.writeInt(bytes.length);
            out.write(bytes);
        });
        return new Lie(what, lie.frame(), true);
    }

    /** A frame: api key, version, correlation id, then {@code rest} (the client id and what follows). */
    private static Lie lie(String what, int key, int version, Fields rest) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeShort(key);
            out.writeShort(version);
            out.writeInt(7);
            rest.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Lie(what + " (api key " + key + " v" + version + ")", RawClient.sized(ByteBuffer.wrap(bytes.toByteArray())),
                false);
    }
}

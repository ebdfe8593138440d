package toykafka.broker.coordinators;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import toykafka.broker.group.base.Committer;
import toykafka.common.OffsetAndMetadata;
import toykafka.common.TopicPartition;

// tag::schema[]
/**
 * A commit as a record of {@code __consumer_offsets}, in the binary layout Apache Kafka 4.1 writes and reads
 * (its {@code OffsetCommitKey} and {@code OffsetCommitValue} schemas), so Kafka's {@code kafka-dump-log
 * --offsets-decoder} reads our segments as its own:
 * <pre>
 * key    int16 type (1: an offset commit)  string group  string topic  int32 partition
 * value  int16 version (4)  int64 offset  int32 leader epoch  compact string metadata  int64 commit time  tagged fields
 * </pre>
 * A string is an int16 length and UTF-8 bytes; a compact string an unsigned varint of the length plus one, then the
 * bytes. The value's tagged fields are a count, then each field's tag, size and bytes; ours holds one of its own,
 * the committer's client id and address as two compact strings, under a tag far from Kafka's (its topic id is 0).
 * Kafka's readers keep a tag they do not know aside, unread. A tombstone is the key with no value. Reading takes the
 * value versions 0 to 4 Kafka has had.
 */
final class OffsetCommitRecords {

    static final short OFFSET_COMMIT_KEY = 1;
    static final short VALUE_VERSION = 4;
    /** The tagged field that says who committed: a restart charges the offset's bytes to them again. */
    static final int COMMITTER_TAG = 10_000;
    // end::schema[]
    /** Kafka's first key type, the same fields as type 1: still read. */
    private static final short LEGACY_OFFSET_COMMIT_KEY = 0;

    /** What a record says: the key's fields, and the value's, or a null value for a tombstone. */
    record Decoded(String group, TopicPartition partition, OffsetAndMetadata value, Committer committer) {

        Decoded(String group, TopicPartition partition, OffsetAndMetadata value) {
            this(group, partition, value, null);
        }
    }

    private OffsetCommitRecords() {
    }

    // tag::encode[]
    static byte[] key(String group, TopicPartition partition) {
        byte[] groupBytes = utf8(group);
        byte[] topicBytes = utf8(partition.topic());
        return ByteBuffer.allocate(2 + 2 + groupBytes.length + 2 + topicBytes.length + 4)
                .putShort(OFFSET_COMMIT_KEY)
                .putShort((short) groupBytes.length).put(groupBytes)
                .putShort((short) topicBytes.length).put(topicBytes)
                .putInt(partition.partition())
                .array();
    }

    static byte[] value(OffsetAndMetadata committed, Instant committedAt) {
        return value(committed, committedAt, null);
    }

    /** The value, with who committed it in our tagged field unless {@code by} is null. */
    static byte[] value(OffsetAndMetadata committed, Instant committedAt, Committer by) {
        byte[] metadataBytes = utf8(committed.metadata());
        byte[] committer = by == null ? new byte[0] : new FlexibleFields.Out().compactString(by.clientId())
                .compactString(by.clientHost()).bytes();
        ByteBuffer value = ByteBuffer.allocate(2 + 8 + 4 + 5 + metadataBytes.length + 8 + 1 + 10 + committer.length)
                .putShort(VALUE_VERSION)
                .putLong(committed.offset())
                .putInt(committed.leaderEpoch()); // -1 where the client gave none, as Kafka writes it
        unsignedVarint(metadataBytes.length + 1, value);
        value.put(metadataBytes).putLong(committedAt.toEpochMilli());
        if (by == null) {
            unsignedVarint(0, value); // no tagged fields
        } else {
            unsignedVarint(1, value);
            unsignedVarint(COMMITTER_TAG, value);
            unsignedVarint(committer.length, value);
            value.put(committer);
        }
        return Arrays.copyOf(value.array(), value.position());
    }
    // end::encode[]

    /**
     * Reads a record this layout wrote (or Kafka did).
     *
     * @throws IllegalArgumentException naming what is wrong, for a record that is not an offset commit
     */
    static Decoded decode(byte[] key, byte[] value) {
        try {
            ByteBuffer in = ByteBuffer.wrap(key);
            short type = in.getShort();
            if (type != OFFSET_COMMIT_KEY && type != LEGACY_OFFSET_COMMIT_KEY) {
                throw new IllegalArgumentException("its key is of type " + type + ", not an offset commit (0 or 1)");
            }
            String group = string(in);
            TopicPartition partition = new TopicPartition(string(in), in.getInt());
            if (value == null) {
                return new Decoded(group, partition, null);
            }
            in = ByteBuffer.wrap(value);
            short version = in.getShort();
            if (version < 0 || version > VALUE_VERSION) {
                throw new IllegalArgumentException("its value is of version " + version + ", not 0 to " + VALUE_VERSION);
            }
            long offset = in.getLong();
            int leaderEpoch = version >= 3 ? in.getInt() : OffsetAndMetadata.NO_LEADER_EPOCH;
            String metadata = version >= 4 ? compactString(in) : string(in);
            Committer committer = null;
            if (version >= 4) {
                in.getLong(); // the commit time
                byte[] field = new FlexibleFields.In(Arrays.copyOfRange(value, in.position(), value.length))
                        .taggedFieldsByTag().get(COMMITTER_TAG);
                if (field != null) {
                    FlexibleFields.In committed = new FlexibleFields.In(field);
                    committer = new Committer(committed.compactString("the committer's client id", false),
                            committed.compactString("the committer's address", false));
                }
            }
            return new Decoded(group, partition, new OffsetAndMetadata(offset, leaderEpoch, metadata), committer);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("it ends before its last field");
        }
    }

    private static String string(ByteBuffer in) {
        short length = in.getShort();
        if (length < 0) {
            throw new IllegalArgumentException("a string's length is " + length);
        }
        return text(in, length);
    }

    private static String compactString(ByteBuffer in) {
        int lengthPlusOne = unsignedVarint(in);
        if (lengthPlusOne < 1) {
            throw new IllegalArgumentException("its metadata is null");
        }
        return text(in, lengthPlusOne - 1);
    }

    private static String text(ByteBuffer in, int length) {
        if (length > in.remaining()) {
            throw new BufferUnderflowException();
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Seven bits a byte, low first, the top bit saying more follow: the protocol's unsigned varint. */
    private static void unsignedVarint(int value, ByteBuffer out) {
        while ((value & ~0x7F) != 0) {
            out.put((byte) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.put((byte) value);
    }

    private static int unsignedVarint(ByteBuffer in) {
        int value = 0;
        for (int shift = 0; shift <= 28; shift += 7) {
            byte next = in.get();
            value |= (next & 0x7F) << shift;
            if (next >= 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("a varint runs past five bytes");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

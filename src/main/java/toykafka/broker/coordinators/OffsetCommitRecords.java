package toykafka.broker.coordinators;

import java.nio.BufferUnderflowException;
import java.time.Instant;
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
        return new FlexibleFields.Out().int16(OFFSET_COMMIT_KEY).string(group).string(partition.topic())
                .int32(partition.partition()).bytes();
    }

    static byte[] value(OffsetAndMetadata committed, Instant committedAt) {
        return value(committed, committedAt, null);
    }

    /** The value, with who committed it in our tagged field unless {@code by} is null. */
    static byte[] value(OffsetAndMetadata committed, Instant committedAt, Committer by) {
        FlexibleFields.Out value = new FlexibleFields.Out().int16(VALUE_VERSION)
                .int64(committed.offset())
                .int32(committed.leaderEpoch()) // -1 where the client gave none, as Kafka writes it
                .compactString(committed.metadata())
                .int64(committedAt.toEpochMilli());
        if (by == null) {
            return value.noTaggedFields().bytes();
        }
        FlexibleFields.Out committer = new FlexibleFields.Out().compactString(by.clientId())
                .compactString(by.clientHost());
        return value.varint(1).taggedField(COMMITTER_TAG, committer).bytes();
    }
    // end::encode[]

    /**
     * Reads a record this layout wrote (or Kafka did).
     *
     * @throws IllegalArgumentException naming what is wrong, for a record that is not an offset commit
     */
    static Decoded decode(byte[] key, byte[] value) {
        try {
            FlexibleFields.In in = new FlexibleFields.In(key);
            short type = in.int16();
            if (type != OFFSET_COMMIT_KEY && type != LEGACY_OFFSET_COMMIT_KEY) {
                throw new IllegalArgumentException("its key is of type " + type + ", not an offset commit (0 or 1)");
            }
            String group = in.string("its group");
            TopicPartition partition = new TopicPartition(in.string("its topic"), in.int32());
            if (value == null) {
                return new Decoded(group, partition, null);
            }
            in = new FlexibleFields.In(value);
            short version = in.int16();
            if (version < 0 || version > VALUE_VERSION) {
                throw new IllegalArgumentException("its value is of version " + version + ", not 0 to " + VALUE_VERSION);
            }
            long offset = in.int64();
            int leaderEpoch = version >= 3 ? in.int32() : OffsetAndMetadata.NO_LEADER_EPOCH;
            String metadata = version >= 4 ? in.compactString("its metadata", false) : in.string("its metadata");
            Committer committer = null;
            if (version >= 4) {
                in.int64(); // the commit time
                byte[] field = in.taggedFieldsByTag().get(COMMITTER_TAG);
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
}

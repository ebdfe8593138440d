package toykafka.broker.txn;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import toykafka.common.CorruptRecordException;
import toykafka.common.TopicPartition;

// tag::schema[]
/**
 * A transaction as a record of {@code __transaction_state}, in the layout Apache Kafka writes and reads (its
 * {@code TransactionLogKey} version 0 and {@code TransactionLogValue} version 1, which Kafka writes once its
 * cluster runs {@code transaction.version} 1 or more), so Kafka's tools read our topic as theirs:
 * <pre>
 * key    int16 version (0)  string transactional id
 * value  int16 version (1)  int64 producer id  int16 epoch  int32 timeout ms  int8 state
 *        [string topic  [int32 partition]] partitions (null when Empty)  int64 last update ms  int64 start ms
 *        tagged fields: 0 previous producer id, 1 next producer id, 2 client transaction version
 * </pre>
 * Version 1 is flexible: a string is a varint of its length plus one and UTF-8 bytes, an array a varint of its
 * count plus one (0: null), then its items; a tagged field is written only when it is not its default (-1, -1, 0).
 * Version 0 records (int16 string lengths, int32 counts, no tagged fields) are still read.
 */
public final class TransactionLogRecords {

    private static final short KEY_VERSION = 0;
    private static final short VALUE_VERSION = 1;
    private static final int PREVIOUS_PRODUCER_ID_TAG = 0;
    private static final int NEXT_PRODUCER_ID_TAG = 1;
    private static final int CLIENT_VERSION_TAG = 2;
    // end::schema[]

    private TransactionLogRecords() {
    }

    public static byte[] key(String transactionalId) {
        byte[] id = transactionalId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + 2 + id.length).putShort(KEY_VERSION).putShort((short) id.length).put(id).array();
    }

    /** The transactional id a record's key names. */
    public static String transactionalId(byte[] key) {
        try {
            ByteBuffer in = ByteBuffer.wrap(key);
            requireVersion(in.getShort(), "key");
            return string(in);
        } catch (RuntimeException e) {
            if (e instanceof CorruptRecordException corrupt) {
                throw corrupt;
            }
            throw new CorruptRecordException("a __transaction_state key does not parse: " + e);
        }
    }

    public static byte[] value(Transaction transaction) {
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        transaction.partitions().forEach(partition ->
                byTopic.computeIfAbsent(partition.topic(), topic -> new ArrayList<>()).add(partition.partition()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream value = new DataOutputStream(out);
        try {
            value.writeShort(VALUE_VERSION);
            value.writeLong(transaction.producerId());
            value.writeShort(transaction.epoch());
            value.writeInt(transaction.timeoutMs());
            value.writeByte(transaction.state().id());
            if (transaction.state() == TransactionState.EMPTY) {
                unsignedVarint(value, 0); // null, as Kafka writes an Empty transaction's partitions
            } else {
                unsignedVarint(value, byTopic.size() + 1);
                for (Map.Entry<String, List<Integer>> topic : byTopic.entrySet()) {
                    byte[] name = topic.getKey().getBytes(StandardCharsets.UTF_8);
                    unsignedVarint(value, name.length + 1);
                    value.write(name);
                    unsignedVarint(value, topic.getValue().size() + 1);
                    for (int partition : topic.getValue()) {
                        value.writeInt(partition);
                    }
                    unsignedVarint(value, 0); // the topic's tagged fields: none
                }
            }
            value.writeLong(transaction.updatedMs());
            value.writeLong(transaction.startMs());
            writeTaggedFields(value, transaction);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return out.toByteArray();
    }

    /** The tagged fields that differ from their defaults, in tag order, each an int64 or int16 after its size. */
    private static void writeTaggedFields(DataOutputStream value, Transaction transaction) throws IOException {
        boolean previous = transaction.previousProducerId() >= 0;
        boolean next = transaction.nextProducerId() >= 0;
        boolean version = transaction.version().level() != 0;
        unsignedVarint(value, (previous ? 1 : 0) + (next ? 1 : 0) + (version ? 1 : 0));
        if (previous) {
            unsignedVarint(value, PREVIOUS_PRODUCER_ID_TAG);
            unsignedVarint(value, 8);
            value.writeLong(transaction.previousProducerId());
        }
        if (next) {
            unsignedVarint(value, NEXT_PRODUCER_ID_TAG);
            unsignedVarint(value, 8);
            value.writeLong(transaction.nextProducerId());
        }
        if (version) {
            unsignedVarint(value, CLIENT_VERSION_TAG);
            unsignedVarint(value, 2);
            value.writeShort(transaction.version().level());
        }
    }

    private static void unsignedVarint(DataOutputStream out, int value) throws IOException {
        while ((value & ~0x7f) != 0) {
            out.writeByte((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.writeByte(value);
    }

    /** The transaction a record holds; refuses bytes that are not one, naming what is wrong. */
    public static Transaction decode(byte[] key, byte[] value) {
        try {
            ByteBuffer in = ByteBuffer.wrap(key);
            requireVersion(in.getShort(), "key");
            String transactionalId = string(in);
            ByteBuffer fields = ByteBuffer.wrap(value);
            short version = fields.getShort();
            if (version < 0 || version > 1) {
                throw new CorruptRecordException("a __transaction_state value is version 0 or 1; this one is " + version);
            }
            long producerId = fields.getLong();
            short epoch = fields.getShort();
            int timeoutMs = fields.getInt();
            TransactionState state = TransactionState.ofId(fields.get());
            SortedSet<TopicPartition> partitions = new TreeSet<>();
            int topics = Math.max(0, version == 0 ? fields.getInt() : unsignedVarint(fields) - 1); // -1: null
            for (int t = 0; t < topics; t++) {
                String topic = version == 0 ? string(fields) : compactString(fields);
                int count = version == 0 ? fields.getInt() : unsignedVarint(fields) - 1;
                for (int p = 0; p < count; p++) {
                    partitions.add(new TopicPartition(topic, fields.getInt()));
                }
                if (version == 1) {
                    unsignedVarint(fields); // the partitions' tagged fields: none Kafka writes
                }
            }
            long updatedMs = fields.getLong();
            long startMs = fields.getLong();
            long previousProducerId = -1;
            long nextProducerId = -1;
            short clientVersion = 0;
            int tagged = version == 0 ? 0 : unsignedVarint(fields);
            for (int t = 0; t < tagged; t++) {
                int tag = unsignedVarint(fields);
                int size = unsignedVarint(fields);
                if (tag == PREVIOUS_PRODUCER_ID_TAG) {
                    previousProducerId = fields.getLong();
                } else if (tag == NEXT_PRODUCER_ID_TAG) {
                    nextProducerId = fields.getLong();
                } else if (tag == CLIENT_VERSION_TAG) {
                    clientVersion = fields.getShort();
                } else {
                    fields.position(fields.position() + size); // a tag of a newer Kafka: skipped, as Kafka skips it
                }
            }
            return new Transaction(transactionalId, producerId, epoch, timeoutMs, state, partitions, startMs, updatedMs,
                    TransactionVersion.ofLevel(clientVersion), previousProducerId, nextProducerId);
        } catch (RuntimeException e) {
            if (e instanceof CorruptRecordException corrupt) {
                throw corrupt;
            }
            throw new CorruptRecordException("a __transaction_state record does not parse: " + e);
        }
    }

    private static void requireVersion(short version, String part) {
        if (version != KEY_VERSION) {
            throw new CorruptRecordException("a __transaction_state " + part + " is version 0; this one is " + version);
        }
    }

    private static String string(ByteBuffer in) {
        byte[] bytes = new byte[in.getShort()];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String compactString(ByteBuffer in) {
        byte[] bytes = new byte[unsignedVarint(in) - 1];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static int unsignedVarint(ByteBuffer in) {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            byte b = in.get();
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new CorruptRecordException("a varint runs past 5 bytes");
    }
}

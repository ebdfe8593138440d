package toykafka.broker.txn;

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
 * {@code TransactionLogKey} and {@code TransactionLogValue}, version 0), so Kafka's tools read our topic as theirs:
 * <pre>
 * key    int16 version (0)  string transactional id
 * value  int16 version (0)  int64 producer id  int16 epoch  int32 timeout ms  int8 state
 *        [string topic  [int32 partition]] partitions (-1: none)  int64 last update ms  int64 start ms
 * </pre>
 * A string is an int16 length and UTF-8 bytes; an array an int32 count, then its items.
 */
public final class TransactionLogRecords {

    private static final short VERSION = 0;
    // end::schema[]

    private TransactionLogRecords() {
    }

    public static byte[] key(String transactionalId) {
        byte[] id = transactionalId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + 2 + id.length).putShort(VERSION).putShort((short) id.length).put(id).array();
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
        int size = 2 + 8 + 2 + 4 + 1 + 4 + 8 + 8;
        for (Map.Entry<String, List<Integer>> topic : byTopic.entrySet()) {
            size += 2 + topic.getKey().getBytes(StandardCharsets.UTF_8).length + 4 + 4 * topic.getValue().size();
        }
        ByteBuffer value = ByteBuffer.allocate(size).putShort(VERSION).putLong(transaction.producerId())
                .putShort(transaction.epoch()).putInt(transaction.timeoutMs()).put(transaction.state().id())
                .putInt(byTopic.size());
        byTopic.forEach((topic, partitions) -> {
            byte[] name = topic.getBytes(StandardCharsets.UTF_8);
            value.putShort((short) name.length).put(name).putInt(partitions.size());
            partitions.forEach(value::putInt);
        });
        return value.putLong(transaction.updatedMs()).putLong(transaction.startMs()).array();
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
            int topics = version == 0 ? fields.getInt() : unsignedVarint(fields) - 1;
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
            return new Transaction(transactionalId, producerId, epoch, timeoutMs, state, partitions, startMs, updatedMs);
        } catch (RuntimeException e) {
            if (e instanceof CorruptRecordException corrupt) {
                throw corrupt;
            }
            throw new CorruptRecordException("a __transaction_state record does not parse: " + e);
        }
    }

    private static void requireVersion(short version, String part) {
        if (version != VERSION) {
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

package toykafka.broker.coordinators;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import toykafka.common.TopicId;

/**
 * The field encodings of Kafka's coordinator records: a key's classic strings (an int16 length), and a flexible
 * value's compact strings and arrays (an unsigned varint of the length plus one, 0 for null), uuids, and the tagged
 * fields each struct ends with. Reading skips the tagged fields a caller does not ask for, as Kafka's readers do with
 * tags they do not know.
 */
final class FlexibleFields {

    private FlexibleFields() {
    }

    /**
     * A group coordinator record's key: its int16 type, the group id, and the member id where the record is one
     * member's (null: the group's own), each a classic string.
     */
    static byte[] groupKey(int type, String groupId, String memberId) {
        Out key = new Out().int16(type).string(groupId);
        return memberId == null ? key.bytes() : key.string(memberId).bytes();
    }

    /**
     * The epochs a current assignment's tagged field gives its partitions (Kafka's {@code AssignmentEpochs}), one per
     * partition in the same order, by partition; none for a field that is missing, null (0), or of another length.
     */
    static Map<Integer, Integer> assignmentEpochs(List<Integer> partitions, byte[] field) {
        Map<Integer, Integer> byPartition = new HashMap<>();
        if (field == null || field.length == 0 || field[0] == 0) {
            return byPartition;
        }
        List<Integer> given = new In(field).compactArray("the assignment epochs", In::int32);
        if (given.size() == partitions.size()) {
            for (int i = 0; i < partitions.size(); i++) {
                byPartition.put(partitions.get(i), given.get(i));
            }
        }
        return byPartition;
    }

    /**
     * A group's record key, read: its type, its group id and, if {@code ofMember}, the member id after it.
     *
     * @return the group id and the member id, or null for the group's own part
     */
    static String[] groupKey(byte[] key, boolean ofMember) {
        In in = new In(key);
        in.int16();
        String groupId = in.string("the group id");
        return new String[] {groupId, ofMember ? in.string("the member id") : null};
    }

    /** A value of version 0, read past its version; another version is refused, naming {@code whose} it is. */
    static In versionZero(byte[] value, String whose) {
        In in = new In(value);
        short version = in.int16();
        if (version != 0) {
            throw new IllegalArgumentException(whose + " value is of version " + version + ", not 0");
        }
        return in;
    }

    /** The type a record's key starts with: its first two bytes. */
    static short keyType(byte[] key) {
        return ByteBuffer.wrap(key).getShort();
    }

    /** Builds one key or value. */
    static final class Out {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Out int16(int value) {
            bytes.write(value >>> 8);
            bytes.write(value);
            return this;
        }

        Out int8(int value) {
            bytes.write(value);
            return this;
        }

        Out int32(int value) {
            return int16(value >>> 16).int16(value);
        }

        Out int64(long value) {
            return int32((int) (value >>> 32)).int32((int) value);
        }

        /** A key's string: never null there. */
        Out string(String text) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            int16(utf8.length);
            bytes.writeBytes(utf8);
            return this;
        }

        Out compactString(String text) {
            if (text == null) {
                return varint(0);
            }
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            varint(utf8.length + 1);
            bytes.writeBytes(utf8);
            return this;
        }

        <T> Out compactArray(List<T> items, Consumer<T> each) {
            varint(items.size() + 1);
            items.forEach(each);
            return this;
        }

        Out uuid(TopicId id) {
            return int64(id.mostSignificantBits()).int64(id.leastSignificantBits());
        }

        Out compactBytes(byte[] data) {
            varint(data.length + 1);
            bytes.writeBytes(data);
            return this;
        }

        /** One tagged field, whose value {@code field} wrote: its tag, its size, its bytes. */
        Out taggedField(int tag, Out field) {
            byte[] value = field.bytes();
            varint(tag).varint(value.length);
            bytes.writeBytes(value);
            return this;
        }

        /** The end of a struct: its tagged fields, none. */
        Out noTaggedFields() {
            return varint(0);
        }

        /** Seven bits a byte, low first, the top bit saying more follow. */
        Out varint(int value) {
            while ((value & ~0x7F) != 0) {
                bytes.write((value & 0x7F) | 0x80);
                value >>>= 7;
            }
            bytes.write(value);
            return this;
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }

    /** Reads one key or value, naming what is wrong. */
    static final class In {
        private final ByteBuffer in;

        In(byte[] bytes) {
            this.in = ByteBuffer.wrap(bytes);
        }

        short int16() {
            return in.getShort();
        }

        byte int8() {
            return in.get();
        }

        int int32() {
            return in.getInt();
        }

        long int64() {
            return in.getLong();
        }

        /** A key's string, which may not be null. */
        String string(String what) {
            short length = in.getShort();
            if (length < 0) {
                throw new IllegalArgumentException(what + " has length " + length);
            }
            return text(length);
        }

        String compactString(String what, boolean nullable) {
            int lengthPlusOne = varint();
            if (lengthPlusOne == 0) {
                if (!nullable) {
                    throw new IllegalArgumentException(what + " is null");
                }
                return null;
            }
            return text(lengthPlusOne - 1);
        }

        <T> List<T> compactArray(String what, Function<In, T> each) {
            int lengthPlusOne = varint();
            if (lengthPlusOne < 1 || lengthPlusOne - 1 > in.remaining()) {
                throw new IllegalArgumentException(what + " has " + (lengthPlusOne - 1) + " items");
            }
            List<T> items = new ArrayList<>(lengthPlusOne - 1);
            for (int i = 1; i < lengthPlusOne; i++) {
                items.add(each.apply(this));
            }
            return items;
        }

        TopicId uuid() {
            return new TopicId(in.getLong(), in.getLong());
        }

        /** Skips a struct's tagged fields. */
        void taggedFields() {
            taggedFieldsByTag();
        }

        /** A struct's tagged fields, each tag's value unread. */
        Map<Integer, byte[]> taggedFieldsByTag() {
            Map<Integer, byte[]> fields = new HashMap<>();
            int count = varint();
            for (int i = 0; i < count; i++) {
                int tag = varint();
                int size = varint();
                if (size < 0 || size > in.remaining()) {
                    throw new BufferUnderflowException();
                }
                byte[] value = new byte[size];
                in.get(value);
                fields.put(tag, value);
            }
            return fields;
        }

        byte[] compactBytes(String what) {
            int lengthPlusOne = varint();
            if (lengthPlusOne < 1 || lengthPlusOne - 1 > in.remaining()) {
                throw new IllegalArgumentException(what + " has a length of " + (lengthPlusOne - 1) + ", with "
                        + in.remaining() + " bytes left");
            }
            byte[] value = new byte[lengthPlusOne - 1];
            in.get(value);
            return value;
        }

        int varint() {
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

        private String text(int length) {
            if (length > in.remaining()) {
                throw new BufferUnderflowException();
            }
            byte[] bytes = new byte[length];
            in.get(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}

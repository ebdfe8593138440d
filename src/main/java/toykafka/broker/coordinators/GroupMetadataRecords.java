package toykafka.broker.coordinators;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import toykafka.broker.group.classic.ClassicGroupSnapshot;

/**
 * A classic group as a record of {@code __consumer_offsets}, in the layout Apache Kafka 4.1 writes (its
 * {@code GroupMetadataKey} and {@code GroupMetadataValue} version 3), so Kafka's {@code kafka-dump-log
 * --offsets-decoder} prints our segments' groups as its own:
 * <pre>
 * key    int16 type (2: a group)  string group
 * value  int16 version (3)  string protocol type  int32 generation  nullable string protocol  nullable string leader
 *        int64 state timestamp  int32 member count, then each member:
 *          string member id  nullable string instance id  string client id  string client host
 *          int32 rebalance timeout  int32 session timeout  bytes subscription  bytes assignment
 * </pre>
 * A string is an int16 length and UTF-8 bytes (-1: null); bytes an int32 length. A tombstone (the key with no value)
 * says the group was deleted. Reading takes versions 0 to 3: the fields later versions add read as Kafka's defaults.
 */
final class GroupMetadataRecords {

    static final short GROUP_METADATA_KEY = 2;
    static final short VALUE_VERSION = 3;

    private GroupMetadataRecords() {
    }

    /** Whether a record's key is a group's (type 2), not an offset commit's. */
    static boolean isGroupKey(byte[] key) {
        return key != null && key.length >= 2 && ByteBuffer.wrap(key).getShort() == GROUP_METADATA_KEY;
    }

    static byte[] key(String group) {
        byte[] groupBytes = group.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + 2 + groupBytes.length).putShort(GROUP_METADATA_KEY)
                .putShort((short) groupBytes.length).put(groupBytes).array();
    }

    static byte[] value(ClassicGroupSnapshot group) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeShort(VALUE_VERSION);
            string(group.protocolType(), out);
            out.writeInt(group.generation());
            string(group.protocolName(), out);
            string(group.leaderId(), out);
            out.writeLong(group.stateTimestampMs());
            out.writeInt(group.members().size());
            for (ClassicGroupSnapshot.Member member : group.members()) {
                string(member.memberId(), out);
                string(member.groupInstanceId(), out);
                string(member.clientId(), out);
                string(member.clientHost(), out);
                out.writeInt(member.rebalanceTimeoutMs());
                out.writeInt(member.sessionTimeoutMs());
                out.writeInt(member.subscription().length);
                out.write(member.subscription());
                out.writeInt(member.assignment().length);
                out.write(member.assignment());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: does not happen
        }
        return bytes.toByteArray();
    }

    /** The group a key names. */
    static String group(byte[] key) {
        ByteBuffer in = ByteBuffer.wrap(key);
        in.getShort();
        return requireString(in, "the group id");
    }

    /**
     * Reads a value this layout wrote (or Kafka did) for the group {@code groupId}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static ClassicGroupSnapshot decode(String groupId, byte[] value) {
        try {
            ByteBuffer in = ByteBuffer.wrap(value);
            short version = in.getShort();
            if (version < 0 || version > VALUE_VERSION) {
                throw new IllegalArgumentException("a group's value is of version " + version + ", not 0 to "
                        + VALUE_VERSION);
            }
            String protocolType = requireString(in, "the protocol type");
            int generation = in.getInt();
            String protocol = string(in);
            String leader = string(in);
            long timestamp = version >= 2 ? in.getLong() : -1;
            int count = in.getInt();
            if (count < 0 || count > in.remaining()) {
                throw new IllegalArgumentException("a group's member count is " + count);
            }
            List<ClassicGroupSnapshot.Member> members = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String memberId = requireString(in, "a member id");
                String instanceId = version >= 3 ? string(in) : null;
                String clientId = requireString(in, "a client id");
                String clientHost = requireString(in, "a client host");
                int rebalanceTimeout = version >= 1 ? in.getInt() : -1;
                int sessionTimeout = in.getInt();
                int finalRebalanceTimeout = rebalanceTimeout < 0 ? sessionTimeout : rebalanceTimeout;
                members.add(new ClassicGroupSnapshot.Member(memberId, instanceId, clientId, clientHost,
                        finalRebalanceTimeout, sessionTimeout, bytes(in), bytes(in)));
            }
            return new ClassicGroupSnapshot(groupId, protocolType, generation, protocol, leader, timestamp, members);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("a group's value ends before its last field");
        }
    }

    private static void string(String text, DataOutputStream out) throws IOException {
        if (text == null) {
            out.writeShort(-1);
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeShort(bytes.length);
        out.write(bytes);
    }

    private static String string(ByteBuffer in) {
        short length = in.getShort();
        if (length < -1 || length > in.remaining()) {
            throw new IllegalArgumentException("a string's length is " + length);
        }
        if (length == -1) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String requireString(ByteBuffer in, String what) {
        String text = string(in);
        if (text == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        return text;
    }

    private static byte[] bytes(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("a member's bytes have length " + length);
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }
}

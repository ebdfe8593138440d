package toykafka.kafka;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import toykafka.common.TopicId;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import toykafka.lesson08.FileSlice;

/**
 * Writes the types Kafka's protocol is made of, big-endian: the mirror of {@link ProtocolReader}. A
 * response is a list of parts, buffers and slices of the log's files, so record batches go out as the
 * log holds them, never copied into the response: a slice goes from the file to the socket by
 * {@code sendfile}, as Kafka's {@code FileRecords} does.
 *
 * <p>A writer knows whether its response is of a flexible version, as a {@link ProtocolReader} knows it of its
 * request, so the fields that differ there (strings, bytes, arrays, tagged fields) are written without being told
 * each time; a writer handed to an array's element or a tagged field writes as the one it came from.
 */
final class ProtocolWriter {

    /**
     * A piece of a response, of a size known before it is sent, so the frame's size is right: bytes in
     * memory, or batches in a segment's file. Each part keeps count of what of it is sent.
     */
    sealed interface Part permits BytesPart, FilePart {

        /** Its bytes, before any is sent: what the frame's size counts. */
        long size();

        /** Sends as much more of the part as {@code target} takes now (one write); returns how many bytes. */
        long sendOnce(WritableByteChannel target) throws IOException;

        boolean sent();
    }

    /** Bytes in memory; the buffer's position says what is sent. */
    record BytesPart(ByteBuffer bytes) implements Part {

        @Override
        public long size() {
            return bytes.remaining();
        }

        @Override
        public long sendOnce(WritableByteChannel target) throws IOException {
            return target.write(bytes);
        }

        @Override
        public boolean sent() {
            return !bytes.hasRemaining();
        }
    }

    /**
     * Record batches as they lie in a segment's file, sent from there ({@link FileSlice#transferOnce}); only
     * their first few bytes may go out copied, in the write that carries the response's leading bytes
     * ({@link Connection#write}).
     */
    static final class FilePart implements Part {
        private final FileSlice slice;
        private long sent;

        FilePart(FileSlice slice) {
            this.slice = slice;
        }

        @Override
        public long size() {
            return slice.bytes();
        }

        @Override
        public long sendOnce(WritableByteChannel target) throws IOException {
            long now = slice.transferOnce(sent, target);
            sent += now;
            return now;
        }

        @Override
        public boolean sent() {
            return sent == slice.bytes();
        }

        /** Whether none of it is sent yet. */
        boolean unstarted() {
            return sent == 0;
        }

        /** A copy of its first bytes, at most {@code max}: to go out in a write with the bytes before them. */
        ByteBuffer lead(int max) throws IOException {
            ByteBuffer lead = ByteBuffer.allocate((int) Math.min(max, slice.bytes()));
            slice.transferOnce(0, new WritableByteChannel() { // a channel that takes as much as the copy holds
                @Override
                public int write(ByteBuffer src) {
                    int taken = Math.min(src.remaining(), lead.remaining());
                    lead.put(src.slice(src.position(), taken));
                    src.position(src.position() + taken);
                    return taken;
                }

                @Override
                public boolean isOpen() {
                    return true;
                }

                @Override
                public void close() {
                }
            });
            return lead.flip();
        }

        /** Some of its {@link #lead} went out: what sendfile sends next starts after it. */
        void leadSent(int bytes) {
            sent += bytes;
        }
    }

    private final List<Part> parts = new ArrayList<>();
    private ByteBuffer current = ByteBuffer.allocate(256);
    /** Where {@link #throttleTimeMs} wrote the throttle time: the buffer it went into, and its index there. */
    private ByteBuffer throttleBuffer;
    private int throttleIndex;
    private final boolean flexible;

    /** A writer for a response of a flexible version (compact lengths, tagged fields) or not. */
    ProtocolWriter(boolean flexible) {
        this.flexible = flexible;
    }

    ProtocolWriter int8(byte value) {
        room(1).put(value);
        return this;
    }

    ProtocolWriter bool(boolean value) {
        return int8((byte) (value ? 1 : 0));
    }

    ProtocolWriter int16(short value) {
        room(2).putShort(value);
        return this;
    }

    ProtocolWriter int16(int value) {
        return int16((short) value);
    }

    ProtocolWriter int32(int value) {
        room(4).putInt(value);
        return this;
    }

    ProtocolWriter int64(long value) {
        room(8).putLong(value);
        return this;
    }

    /**
     * The response's {@code throttle_time_ms}, remembered so that a throttle decided once the body is written (the
     * handler time a request_percentage quota counts) can still be put in it ({@link #rewriteThrottleTimeMs}).
     */
    ProtocolWriter throttleTimeMs(int ms) {
        throttleBuffer = room(4);
        throttleIndex = throttleBuffer.position();
        throttleBuffer.putInt(ms);
        return this;
    }

    /** Puts {@code ms} in the {@code throttle_time_ms} written; false when this body wrote none. */
    boolean rewriteThrottleTimeMs(int ms) {
        if (throttleBuffer == null) {
            return false;
        }
        throttleBuffer.putInt(throttleIndex, ms); // a cut part is a slice of the same bytes
        return true;
    }

    /** A float64: an IEEE 754 double, big-endian. */
    ProtocolWriter float64(double value) {
        return int64(Double.doubleToLongBits(value));
    }

    /** A topic id (a UUID): its two halves. */
    ProtocolWriter topicId(TopicId id) {
        return int64(id.mostSignificantBits()).int64(id.leastSignificantBits());
    }

    ProtocolWriter unsignedVarint(int value) {
        ByteBuffer out = room(5);
        while ((value & ~0x7f) != 0) {
            out.put((byte) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        out.put((byte) value);
        return this;
    }

    ProtocolWriter string(String text) {
        return nullableString(text);
    }

    /** A string with an int16 length (or, flexible, a compact length), -1 for null. */
    ProtocolWriter nullableString(String text) {
        if (text == null) {
            return flexible ? unsignedVarint(0) : int16(-1);
        }
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (flexible) {
            unsignedVarint(utf8.length + 1);
        } else {
            int16(utf8.length);
        }
        room(utf8.length).put(utf8);
        return this;
    }

    /**
     * Bytes with their length in front, -1 (compact: 0) for null. The bytes are not copied: they go out as
     * a part of their own, so keep them unchanged until the response is sent.
     */
    ProtocolWriter nullableBytes(ByteBuffer bytes) {
        if (bytes == null) {
            return flexible ? unsignedVarint(0) : int32(-1);
        }
        int length = bytes.remaining();
        if (flexible) {
            unsignedVarint(length + 1);
        } else {
            int32(length);
        }
        if (length > 0) {
            cut();
            parts.add(new BytesPart(bytes.duplicate()));
        }
        return this;
    }

    /**
     * Record batches that stay in the log's files, as one bytes field (its length in front, as for
     * {@link #nullableBytes}): they are sent from the files when the response goes out.
     */
    ProtocolWriter records(List<FileSlice> slices) {
        long length = 0;
        for (FileSlice slice : slices) {
            length += slice.bytes();
        }
        if (length > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException("a bytes field holds at most 2 GiB; these batches are " + length + " bytes");
        }
        if (flexible) {
            unsignedVarint((int) length + 1);
        } else {
            int32((int) length);
        }
        cut();
        for (FileSlice slice : slices) {
            if (!slice.isEmpty()) {
                parts.add(new FilePart(slice));
            }
        }
        return this;
    }

    /** An array's count: int32, or (flexible) an unsigned varint of count + 1. */
    ProtocolWriter arrayLength(int count) {
        return flexible ? unsignedVarint(count + 1) : int32(count);
    }

    /** An array: its count, then each element as {@code element} writes it. */
    <T> ProtocolWriter array(List<T> items, BiConsumer<ProtocolWriter, T> element) {
        arrayLength(items.size());
        for (T item : items) {
            element.accept(this, item);
        }
        return this;
    }

    /** Writes one partition's answer, knowing its topic. */
    @FunctionalInterface
    interface PartitionWriter<T, P> {
        void write(ProtocolWriter out, T topic, P partition);
    }

    /**
     * Topics as most responses answer them: each topic's name, then its partitions, each as {@code partition} writes
     * it. In a flexible version tagged fields close each partition and each topic.
     */
    <T, P> ProtocolWriter topics(List<T> topics, Function<T, String> name, Function<T, List<P>> partitions,
                                 PartitionWriter<T, P> partition) {
        return topicsNamedBy(topics, (topicOut, topic) -> topicOut.string(name.apply(topic)), partitions, partition);
    }

    /** As {@link #topics}, each topic named as {@code key} writes it: by name, or by id in the newer versions. */
    <T, P> ProtocolWriter topicsNamedBy(List<T> topics, BiConsumer<ProtocolWriter, T> key,
                                        Function<T, List<P>> partitions, PartitionWriter<T, P> partition) {
        return array(topics, (topicOut, topic) -> {
            key.accept(topicOut, topic);
            topicOut.array(partitions.apply(topic), (partitionOut, each) -> {
                partition.write(partitionOut, topic, each);
                partitionOut.taggedFields();
            });
            topicOut.taggedFields();
        });
    }

    /**
     * One tagged field: its tag, its size, then what {@code field} writes. The count of tagged fields goes
     * before the first, written by the caller with {@link #unsignedVarint}.
     */
    ProtocolWriter taggedField(int tag, Consumer<ProtocolWriter> field) {
        ProtocolWriter value = new ProtocolWriter(flexible); // its size goes first, so it is written apart
        field.accept(value);
        List<Part> valueParts = value.finish();
        unsignedVarint(tag).unsignedVarint((int) value.size());
        cut();
        parts.addAll(valueParts);
        return this;
    }

    /** An empty section of tagged fields, closing a structure in a flexible version. */
    ProtocolWriter taggedFields() {
        return flexible ? unsignedVarint(0) : this;
    }

    /** The parts written, ready to send, in order. */
    List<Part> finish() {
        cut();
        return List.copyOf(parts);
    }

    /** How many bytes have been written so far. */
    long size() {
        long size = current.position();
        for (Part part : parts) {
            size += part.size();
        }
        return size;
    }

    private ByteBuffer room(int bytes) {
        if (current.remaining() < bytes) {
            cut();
            if (current.remaining() < bytes) {
                current = ByteBuffer.allocate(Math.max(bytes, current.capacity()));
            }
        }
        return current;
    }

    /** Ends the current buffer as a part, so the next bytes follow whatever is added after it. */
    private void cut() {
        if (current.position() > 0) {
            parts.add(new BytesPart(current.flip().slice()));
            current = ByteBuffer.allocate(Math.min(current.capacity() * 2, 64 << 10));
        }
    }
}

package toykafka.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import toykafka.common.TopicId;
import java.util.function.Function;
import toykafka.common.InvalidRequestException;

// tag::reader[]
/**
 * Reads the types Kafka's protocol is made of, big-endian, from one request's bytes. Every message spec
 * (the JSON files inside kafka-clients) is written in these: int8 to int64, varints, strings and byte
 * arrays with a length in front, arrays with a count in front, and, in a message's <em>flexible</em>
 * versions, compact lengths (an unsigned varint of length + 1, 0 for null) and a section of tagged fields
 * closing every structure.
 *
 * <p>A reader knows whether its request is of a flexible version, so the fields that differ there (strings,
 * bytes, arrays, tagged fields) are read without being told each time.
 *
 * <p>A request comes from a client we do not trust: a length longer than what is left, a count that
 * could not fit, or bytes that end early are refused with an {@link InvalidRequestException} naming the
 * field, before anything is allocated for it.
 */
final class ProtocolReader {

    private final ByteBuffer bytes;
    private final boolean flexible;

    ProtocolReader(ByteBuffer bytes, boolean flexible) {
        this.bytes = bytes;
        this.flexible = flexible;
    }

    /**
     * The same bytes, from where this reader stands, read as a flexible version or not: a request header's
     * client id is never compact, while its tagged fields come with the API's flexible versions.
     */
    ProtocolReader readingAs(boolean flexible) {
        return new ProtocolReader(bytes, flexible);
    }

    int remaining() {
        return bytes.remaining();
    }

    byte int8(String field) {
        need(1, field);
        return bytes.get();
    }

    boolean bool(String field) {
        return int8(field) != 0;
    }

    short int16(String field) {
        need(2, field);
        return bytes.getShort();
    }

    int int32(String field) {
        need(4, field);
        return bytes.getInt();
    }

    long int64(String field) {
        need(8, field);
        return bytes.getLong();
    }

    /** A float64: an IEEE 754 double, big-endian, as a quota's value. */
    double float64(String field) {
        return Double.longBitsToDouble(int64(field));
    }

    /** A topic id (a UUID); {@link TopicId#ZERO} means none. */
    TopicId topicId(String field) {
        return new TopicId(int64(field), int64(field));
    }

    /** Seven bits at a time, lowest first, the top bit saying "more follows"; at most five bytes. */
    int unsignedVarint(String field) {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            byte b = int8(field);
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new InvalidRequestException(field + " is a varint longer than 5 bytes");
    }
    // end::reader[]

    /** A string that may not be null: int16 length (or, flexible, compact length), then UTF-8. */
    String string(String field) {
        String text = nullableString(field);
        if (text == null) {
            throw new InvalidRequestException(field + " must not be null");
        }
        return text;
    }

    // tag::string[]
    String nullableString(String field) {
        int length = flexible ? unsignedVarint(field) - 1 : int16(field);
        ByteBuffer text = lengthPrefixed(field, length, "a string's length is -1 (null) or more");
        if (text == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(text).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidRequestException(field + " is not valid UTF-8");
        }
    }
    // end::string[]

    /** Bytes with an int32 length (or, flexible, a compact length), -1 for null: a view, not a copy. */
    ByteBuffer nullableBytes(String field) {
        int length = flexible ? unsignedVarint(field) - 1 : int32(field);
        return lengthPrefixed(field, length, "bytes have length -1 (null) or more");
    }

    /** The {@code length} bytes that follow, as a view; null for -1, the one negative length {@code rule} allows. */
    private ByteBuffer lengthPrefixed(String field, int length, String rule) {
        if (length < 0) {
            if (length != -1) {
                throw new InvalidRequestException(field + " has length " + length + "; " + rule);
            }
            return null;
        }
        need(length, field);
        ByteBuffer view = bytes.slice(bytes.position(), length);
        bytes.position(bytes.position() + length);
        return view;
    }

    /**
     * An array: int32 count (or, flexible, compact count), then each element. A count that could not fit
     * in what is left, even at one byte an element, is refused before a list is made for it.
     */
    <T> List<T> array(String field, Function<ProtocolReader, T> element) {
        List<T> items = nullableArray(field, element);
        if (items == null) {
            throw new InvalidRequestException(field + " must not be null");
        }
        return items;
    }

    /** As {@link #array}, or null when the count is -1 (a compact count of 0). */
    <T> List<T> nullableArray(String field, Function<ProtocolReader, T> element) {
        int count = flexible ? unsignedVarint(field) - 1 : int32(field);
        if (count < 0) {
            if (count != -1) {
                throw new InvalidRequestException(field + " has " + count + " elements; an array has -1 (null) or more");
            }
            return null;
        }
        if (count > bytes.remaining()) {
            throw new InvalidRequestException(field + " claims " + count + " elements but only " + bytes.remaining()
                    + " bytes are left in the request");
        }
        List<T> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            items.add(element.apply(this));
        }
        return items;
    }

    // tag::tagged[]
    /**
     * The tagged fields closing a structure in a flexible version: a count, then each tag with its size
     * and bytes. Each is stepped over: that is what lets a newer client add a tagged field an older broker
     * does not know.
     */
    void taggedFields(String structure) {
        taggedFields(structure, Map.of());
    }
    // end::tagged[]

    /**
     * As {@link #taggedFields(String)}, but a field whose tag {@code known} names is read by it, from a reader that
     * holds that field's bytes alone, so it cannot read past them; the rest are stepped over.
     */
    void taggedFields(String structure, Map<Integer, Consumer<ProtocolReader>> known) {
        if (!flexible) {
            return;
        }
        int count = unsignedVarint(structure + " tagged field count");
        for (int i = 0; i < count; i++) {
            int tag = unsignedVarint(structure + " tag");
            int size = unsignedVarint(structure + " tagged field size");
            if (size < 0) { // a varint past Integer.MAX_VALUE: no frame holds it
                throw new InvalidRequestException(structure + " tagged field has size " + Integer.toUnsignedString(size));
            }
            need(size, structure + " tagged field");
            Consumer<ProtocolReader> field = known.get(tag);
            if (field != null) {
                field.accept(new ProtocolReader(bytes.slice(bytes.position(), size), true));
            }
            bytes.position(bytes.position() + size);
        }
    }

    private void need(int count, String field) {
        if (count > bytes.remaining()) {
            throw new InvalidRequestException("the request ends inside " + field + ": it needs " + count + " bytes, "
                    + bytes.remaining() + " are left");
        }
    }
}

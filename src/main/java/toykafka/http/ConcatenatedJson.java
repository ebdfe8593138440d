package toykafka.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds whole JSON values in bytes that arrive a piece at a time: the "concatenated JSON" of REST Proxy v3's
 * streaming produce, {@code {..}{..}} or one value a line. Jackson's non-blocking parser says where each
 * top-level value starts and ends, so no thread waits for the rest of a value; only the bytes of the value
 * being read are kept, at most {@code maxValueBytes} of them (a longer value is skipped, and named as such).
 * After a syntax error nothing more can be read: where the next value would start is unknown.
 */
final class ConcatenatedJson {

    /** What the bytes held: a whole value (its first token says what kind), one too long to keep, or broken JSON. */
    sealed interface Value {
    }

    record Whole(JsonToken kind, byte[] bytes) implements Value {
    }

    record TooLarge(long bytes) implements Value {
    }

    record Broken(String problem) implements Value {
    }

    private final JsonParser parser;
    private final ByteArrayFeeder feeder;
    private final int maxValueBytes;
    /** The bytes of the value being read, from its first byte; empty between values. */
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    private int depth;
    /** The first token of the value being read; null between values. */
    private JsonToken kind;
    /** How many bytes the value being read has had, kept or not. */
    private long size;
    private boolean broken;
    /** How many bytes were fed before the piece being read now. */
    private long fedBefore;

    ConcatenatedJson(int maxValueBytes) {
        try {
            this.parser = Json.MAPPER.getFactory().createNonBlockingByteArrayParser();
        } catch (IOException e) {
            throw new IllegalStateException("Jackson always makes a parser over bytes", e);
        }
        this.feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
        this.maxValueBytes = maxValueBytes;
    }

    /**
     * The values the piece completes, in order; a broken one is last. A value ends where the parser stands
     * after its last token, and begins at the first byte after the one before that is not white space.
     */
    List<Value> feed(ByteBuffer piece) {
        byte[] bytes = new byte[piece.remaining()];
        piece.get(bytes);
        List<Value> values = new ArrayList<>();
        if (broken || bytes.length == 0) {
            return values;
        }
        try {
            feeder.feedInput(bytes, 0, bytes.length);
        } catch (IOException e) {
            return broke(values, e);
        }
        long pieceStart = fedBefore;
        fedBefore += bytes.length;
        int keptFrom = 0; // bytes of this piece before here are kept already, or lie between values
        try {
            JsonToken token;
            while ((token = parser.nextToken()) != null && token != JsonToken.NOT_AVAILABLE) {
                if (kind == null) {
                    kind = token;
                }
                if (token.isStructStart()) {
                    depth++;
                } else if (token.isStructEnd()) {
                    depth--;
                }
                if (depth == 0) {
                    int end = (int) (parser.currentLocation().getByteOffset() - pieceStart);
                    keep(bytes, keptFrom, end);
                    keptFrom = end;
                    values.add(finish());
                }
            }
        } catch (IOException e) {
            return broke(values, e);
        }
        keep(bytes, keptFrom, bytes.length);
        return values;
    }

    /** The body has ended: a value left half-read is broken JSON. */
    List<Value> end() {
        List<Value> values = new ArrayList<>();
        if (broken) {
            return values;
        }
        feeder.endOfInput();
        try {
            JsonToken token;
            while ((token = parser.nextToken()) != null && token != JsonToken.NOT_AVAILABLE) {
                if (depth == 0) { // a bare number at the very end is whole only now; no record is one
                    values.add(new Whole(token, new byte[0]));
                    return values;
                }
            }
        } catch (IOException e) {
            return broke(values, e);
        }
        if (size > 0) {
            broken = true;
            values.add(new Broken("the body ended inside a JSON value, " + size + " bytes into it"));
        }
        return values;
    }

    /** The bytes kept of the value being read: what the body budget is charged for. */
    long heldBytes() {
        return current.size();
    }

    /** Whether a syntax error ended the reading. */
    boolean broken() {
        return broken;
    }

    private Value finish() {
        Value value = size > maxValueBytes ? new TooLarge(size) : new Whole(kind, current.toByteArray());
        current.reset();
        kind = null;
        size = 0;
        return value;
    }

    /** Keeps bytes of the value being read, and none of the white space before it; none past the limit. */
    private void keep(byte[] piece, int from, int to) {
        if (current.size() == 0 && size == 0) {
            while (from < to && Character.isWhitespace(piece[from])) {
                from++;
            }
        }
        size += to - from;
        if (size > maxValueBytes) {
            current.reset(); // a value this long is refused, not read
        } else {
            current.write(piece, from, to - from);
        }
    }

    private List<Value> broke(List<Value> values, IOException e) {
        broken = true;
        current.reset();
        String problem = e instanceof com.fasterxml.jackson.core.JsonProcessingException json ? json.getOriginalMessage()
                : e.getMessage();
        values.add(new Broken(problem + " (at byte " + parser.currentLocation().getByteOffset() + ")"));
        return values;
    }
}

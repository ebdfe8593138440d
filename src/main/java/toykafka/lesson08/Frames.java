package toykafka.lesson08;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import toykafka.common.Record;

/**
 * Whole records as they lie on disk, each already checked: what a fetch hands out. A broker can send
 * these bytes to a consumer as they are; only the consumer turns them into records.
 *
 * @param bytes       the frames, back to back, from position 0 to the limit
 * @param firstOffset the offset of the first frame
 * @param count       how many frames there are
 */
public record Frames(ByteBuffer bytes, long firstOffset, int count) {

    /** The offset after the last frame: where the next fetch starts. */
    public long nextOffset() {
        return firstOffset + count;
    }

    /** Up to {@code max} records, decoded. */
    public List<Record> records(int max) {
        List<Record> records = new ArrayList<>(Math.min(max, count));
        int at = 0;
        for (int i = 0; i < count && i < max; i++) {
            records.add(RecordCodec.decode(bytes, at));
            at += 4 + bytes.getInt(at);
        }
        return records;
    }
}

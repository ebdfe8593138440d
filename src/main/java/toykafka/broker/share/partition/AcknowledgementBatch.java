package toykafka.broker.share.partition;

import java.util.List;
import toykafka.common.Errors;

/**
 * A member's word on a range of offsets (Kafka's {@code ShareAcknowledgementBatch}): one type for the whole range,
 * or one type per offset, as ShareFetch and ShareAcknowledge carry it.
 */
public record AcknowledgementBatch(long firstOffset, long lastOffset, List<AcknowledgeType> types) {

    public AcknowledgementBatch {
        if (firstOffset < 0 || lastOffset < firstOffset) {
            throw new SharePartitionException(Errors.INVALID_REQUEST, "An acknowledgement batch runs from a first"
                    + " offset of 0 or more to a last offset no less than it; got " + firstOffset + " to " + lastOffset);
        }
        types = List.copyOf(types);
        long size = lastOffset - firstOffset + 1;
        if (types.size() != 1 && types.size() != size) {
            throw new SharePartitionException(Errors.INVALID_REQUEST, "An acknowledgement batch of offsets "
                    + firstOffset + " to " + lastOffset + " has 1 or " + size + " acknowledge types, not " + types.size());
        }
    }

    /** One type for every offset of the range. */
    public static AcknowledgementBatch of(long firstOffset, long lastOffset, AcknowledgeType type) {
        return new AcknowledgementBatch(firstOffset, lastOffset, List.of(type));
    }

    /** The type for one offset of the range. */
    public AcknowledgeType typeAt(long offset) {
        return types.size() == 1 ? types.get(0) : types.get((int) (offset - firstOffset));
    }
}

package toykafka.lesson08;

import toykafka.common.CorruptRecordException;

/**
 * The rules a stored batch's offsets obey besides its CRC, which leaves the base offset out: so a bit flipped
 * there is found only by the offsets around it. A batch starts after the one before it, right after it unless
 * the cleaner removed records between them; its offsets lie within its segment, below the next segment's base
 * or the log's end. No I/O: the readers, the seek and the fetch all ask here. Kafka checks none of this
 * when it reads; its {@code LogValidator} checks a producer's batches only.
 */
public final class Offsets {

    /** Not known, or not checked. */
    public static final long UNKNOWN = -1;

    private Offsets() {
    }

    // tag::wrong[]
    /**
     * What is wrong with a batch's offsets {@code base..last}, or null if nothing is.
     *
     * @param mustStartAt where the batch must start, in a log the cleaner never ran on; {@link #UNKNOWN} where
     *                    a gap before it is allowed
     * @param endsBefore  the offset the segment's records end before; {@link #UNKNOWN} if not known
     */
    static String wrong(long base, long last, long mustStartAt, long endsBefore) {
        if (base < 0 || last < base) {
            return "its offsets " + base + ".." + last + " cannot be: its base offset is damaged (the CRC does not"
                    + " cover it)";
        }
        if (mustStartAt != UNKNOWN && base != mustStartAt) {
            return "offsets run on from " + mustStartAt + " here without gaps, for the cleaner never removed records"
                    + " from this log, but this batch says it holds offsets " + base + ".." + last + ": its base"
                    + " offset is damaged (the CRC does not cover it). If this partition was compacted elsewhere,"
                    + " write 0 into its " + PartitionDirectory.CLEANER_CHECKPOINT + " to allow gaps";
        }
        if (endsBefore != UNKNOWN && last >= endsBefore) {
            return "this batch says it holds offsets " + base + ".." + last + ", but the segment's records end"
                    + " before offset " + endsBefore + ": its base offset is damaged (the CRC does not cover it)";
        }
        return null;
    }
    // end::wrong[]

    /** Refuses a batch of {@code segment} whose offsets break these rules, naming where it starts. */
    static void require(Segment segment, long base, long last, long expectedBase, long endsBefore, long position) {
        String wrong = wrong(base, last, segment.gapsAllowed() ? UNKNOWN : expectedBase, endsBefore);
        if (wrong != null) {
            throw new OutOfOrder(segment.name(), position, wrong);
        }
    }

    /** A batch whose CRC is good but whose offsets are not: damage, never a torn write, so never cut off. */
    public static final class OutOfOrder extends CorruptRecordException {
        OutOfOrder(String segment, long position, String reason) {
            super(segment, position, reason);
        }
    }
}

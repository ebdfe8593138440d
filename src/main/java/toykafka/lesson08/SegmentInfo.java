package toykafka.lesson08;

/**
 * What a segment holds, for people and for retention.
 *
 * @param baseOffset       the offset of its first record, which names its files
 * @param nextOffset       the offset after its last record
 * @param bytes            the size of its .log file
 * @param indexEntries     entries in its .index
 * @param timeIndexEntries entries in its .timeindex
 * @param firstTimestamp   its first batch's newest timestamp in epoch ms, which segment.ms counts from, or
 *                         Long.MIN_VALUE if it is empty or that batch's header cannot be read
 * @param largestTimestamp the newest record's timestamp in epoch ms, or Long.MIN_VALUE if it is empty
 */
public record SegmentInfo(long baseOffset, long nextOffset, long bytes, int indexEntries, int timeIndexEntries,
                          long firstTimestamp, long largestTimestamp) {

    public String name() {
        return PartitionDirectory.fileName(baseOffset, "log");
    }

    public long records() {
        return nextOffset - baseOffset;
    }

    @Override
    public String toString() {
        String offsets = records() == 0 ? "no records, next offset " + nextOffset
                : "offsets " + baseOffset + ".." + (nextOffset - 1);
        return name() + " (" + offsets + ", " + bytes + " bytes, " + indexEntries
                + (indexEntries == 1 ? " index entry)" : " index entries)");
    }
}

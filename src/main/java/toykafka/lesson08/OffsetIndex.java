package toykafka.lesson08;

// tag::interface[]
/**
 * A segment's sparse index: for some of its record batches, the batch's last offset and the byte at
 * which the batch starts in the {@code .log} file. To find any offset, look up the last entry at or
 * before it, then read forward from that byte. Kafka keeps the same index in each segment's
 * {@code .index} file.
 */
public interface OffsetIndex {

    /** The offset of the segment's first record. Entries store offsets relative to it, in 4 bytes. */
    long baseOffset();

    /**
     * Notes that the batch ending with this offset starts at this byte position. Entries only ever grow:
     * each offset and each position must be larger than the last entry's.
     */
    void add(long offset, int position);

    /**
     * Where to start reading to find {@code offset}: the last entry at or before it, or the start of the
     * segment (its base offset at byte 0) if there is none.
     */
    IndexEntry lookup(long offset);

    /** How many entries the index holds. */
    int entries();
}
// end::interface[]

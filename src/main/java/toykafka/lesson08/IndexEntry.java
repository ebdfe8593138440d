package toykafka.lesson08;

/** One entry of a segment's offset index: the record with this offset starts at this byte of the segment. */
public record IndexEntry(long offset, int position) {

    @Override
    public String toString() {
        return offset + "@" + position;
    }
}

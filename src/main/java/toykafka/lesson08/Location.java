package toykafka.lesson08;

/**
 * Where a log finds an offset: the segment that holds it, the index entry the search starts from, and the
 * byte at which the batch holding the offset starts, reached by reading forward from that entry.
 */
public record Location(long offset, String segment, IndexEntry indexEntry, long position) {

    @Override
    public String toString() {
        return "offset " + offset + " is in " + segment + ": the index says start at " + indexEntry
                + ", and the batch holding it starts at byte " + position;
    }
}

package toykafka.common;

/**
 * A record with the offset the log gave it. A compacted log leaves gaps in its offsets, so a reader
 * takes each record's offset from the batch (base offset plus the record's offset delta) instead of
 * counting from the first.
 */
public record OffsetRecord(long offset, Record record) {
}

package toykafka.lesson08;

import java.io.IOException;
import toykafka.common.CorruptRecordException;

/**
 * Rebuilds what is known of a segment from its {@code .log} alone: every batch read from the start and checked,
 * both indexes rebuilt in memory. A damaged index entry found on a read is mended this way, and so, in lesson 9,
 * is a segment a crash may have torn. Kafka's {@code LogSegment.recover} without its truncation.
 */
public final class SegmentScan {

    private SegmentScan() {
    }

    // tag::rescan[]
    /**
     * Reads every batch of the segment's file from its start and rebuilds its indexes and the rest of what is
     * known in memory, up to the first batch that is torn or damaged. Returns what it found wrong there, or null.
     * The records end before {@code endsBefore}, the next segment's base, if known (else -1).
     */
    public static CorruptRecordException rescan(Segment segment, long endsBefore) throws IOException {
        segment.forgetRecords();
        DiskFile log = segment.logFile();
        SegmentReader reader = SegmentReader.from(log::read, segment.name(), new IndexEntry(segment.baseOffset(), 0),
                log.size()).offsets(segment.gapsAllowed(), endsBefore);
        try {
            while (reader.next()) {
                segment.indexBatch(reader.lastOffset(), reader.position(), reader.size(), reader.maxTimestamp());
            }
            return null;
        } catch (CorruptRecordException bad) {
            return bad;
        }
    }
    // end::rescan[]
}

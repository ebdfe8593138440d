package toykafka.lesson08;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import toykafka.archive.Archive;
import toykafka.archive.ArchiveReason;
import toykafka.archive.ArchivedEvent;
import toykafka.lesson04.Record;

/** Which of the oldest segments retention deletes. Whole segments only: a segment is the unit of deletion. */
final class Retention {

    private static final int ARCHIVE_CHUNK = 10_000;

    private Retention() {
    }

    // tag::retention[]
    /**
     * How many segments, counted from the oldest, have to go: by age, every one whose newest record is
     * older than retention.ms (the active one too: the log then rolls first); by size, as many of the
     * oldest as keep the rest within retention.bytes (never the active one).
     */
    static int segmentsToDelete(List<SegmentInfo> segments, long now, long retentionMs, long retentionBytes) {
        int byAge = 0;
        while (retentionMs >= 0 && byAge < segments.size()
                && segments.get(byAge).largestTimestamp() != Segment.NO_TIMESTAMP
                && now - segments.get(byAge).largestTimestamp() > retentionMs) {
            byAge++;
        }
        int bySize = 0;
        if (retentionBytes >= 0) {
            long excess = segments.stream().mapToLong(SegmentInfo::bytes).sum() - retentionBytes;
            while (bySize < segments.size() - 1 && excess - segments.get(bySize).bytes() >= 0) {
                excess -= segments.get(bySize).bytes();
                bySize++;
            }
        }
        return Math.max(byAge, bySize);
    }
    // end::retention[]

    /** Hands every record of the segment to the archive, a chunk at a time; throws, deleting nothing, if it fails. */
    static void archiveRecordsOf(Segment segment, String topic, int partition, Archive archive, Instant now)
            throws IOException {
        List<ArchivedEvent> rows = new ArrayList<>();
        SegmentReader reader = segment.reader(0, segment.baseOffset());
        while (reader.next()) {
            Record record = reader.record();
            rows.add(new ArchivedEvent(topic, partition, reader.offset(), record.timestamp(), record.keyText(),
                    record.valueText(), ArchiveReason.RETENTION, now));
            if (rows.size() == ARCHIVE_CHUNK) {
                archive.append(rows);
                rows.clear();
            }
        }
        archive.append(rows);
    }
}

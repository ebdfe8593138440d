package toykafka.lesson08;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import toykafka.archive.Archive;
import toykafka.archive.ArchiveReason;
import toykafka.archive.ArchivedEvent;
import toykafka.common.Record;
import toykafka.common.OffsetRecord;
import toykafka.common.CorruptRecordException;

/** Which of the oldest segments retention deletes. Whole segments only: a segment is the unit of deletion. */
final class Retention {

    static final int ARCHIVE_CHUNK = 10_000;

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

    // tag::archive[]
    /**
     * Hands every record of the segment not yet archived to the archive, a chunk at a time, remembering
     * how far it got, so a pass that follows a failure sends no row twice. If the archive fails, throws,
     * and the segment must stay. A damaged batch cannot be archived; the records after it are read on
     * from the next index entry, which is known to start a batch. Returns the first damage found, or null.
     */
    static CorruptRecordException archiveRecordsOf(Segment segment, String topic, int partition, Archive archive,
                                                   Instant now) throws IOException {
        List<ArchivedEvent> rows = new ArrayList<>();
        CorruptRecordException damage = null;
        IndexEntry start = new IndexEntry(segment.baseOffset(), 0);
        long next = segment.archivedBelow(); // the next offset to archive
        while (start != null) {
            SegmentReader reader = segment.reader(start);
            try {
                while (reader.next()) {
                    if (reader.lastOffset() < next) {
                        continue; // archived by an earlier pass
                    }
                    for (OffsetRecord read : reader.offsetRecords()) {
                        if (read.offset() >= next) {
                            Record record = read.record();
                            rows.add(new ArchivedEvent(topic, partition, read.offset(), record.timestamp(),
                                    record.keyText(), record.valueText(), ArchiveReason.RETENTION, now));
                            next = read.offset() + 1;
                        }
                    }
                    if (rows.size() >= ARCHIVE_CHUNK) {
                        send(rows, segment, archive);
                    }
                }
                start = null;
            } catch (CorruptRecordException bad) {
                damage = damage == null ? bad : damage;
                start = entryAfter(segment.index(), bad.position());
            }
        }
        send(rows, segment, archive);
        return damage;
    }
    // end::archive[]

    /** Archives the records from {@code from} up to {@code before}, in chunks, with reason {@code archive}. */
    static void archiveRange(FileLog log, String topic, int partition, long from, long before, Archive archive,
                             Instant now) {
        long offset = from;
        while (offset < before) {
            List<OffsetRecord> records = log.readBatchWithOffsets(offset,
                    (int) Math.min(ARCHIVE_CHUNK, before - offset));
            if (records.isEmpty()) {
                throw new IllegalStateException("the log ended at " + offset + " while archiving up to " + before);
            }
            List<ArchivedEvent> rows = new ArrayList<>(records.size());
            for (OffsetRecord read : records) {
                if (read.offset() >= before) { // past a gap, the read may reach beyond the range
                    break;
                }
                Record record = read.record();
                rows.add(new ArchivedEvent(topic, partition, read.offset(), record.timestamp(), record.keyText(),
                        record.valueText(), ArchiveReason.ARCHIVE, now));
            }
            offset = records.get(records.size() - 1).offset() + 1;
            if (!rows.isEmpty()) {
                archive.append(rows);
            }
        }
    }

    private static void send(List<ArchivedEvent> rows, Segment segment, Archive archive) {
        if (rows.isEmpty()) {
            return;
        }
        try {
            archive.append(rows); // all of them or none, as Archive promises
        } catch (RuntimeException e) {
            throw new UncheckedIOException(new IOException("the archive refused records " + rows.get(0).offset()
                    + ".." + rows.get(rows.size() - 1).offset() + " of " + segment.name() + ", so the segment"
                    + " stays, and the next retention pass goes on from offset " + rows.get(0).offset() + ": "
                    + PartitionDirectory.describe(e), e));
        }
        segment.archivedBelow(rows.get(rows.size() - 1).offset() + 1);
        rows.clear();
    }

    private static IndexEntry entryAfter(SegmentIndex index, long position) {
        for (int i = 0; i < index.entries(); i++) {
            if (index.entry(i).position() > position) {
                return index.entry(i);
            }
        }
        return null;
    }

    /** The report of a damaged segment moved aside, added to the report of any moved aside before it. */
    static CorruptRecordException movedAside(CorruptRecordException earlier, CorruptRecordException damage) {
        CorruptRecordException report = new CorruptRecordException(damage.segment(), damage.position(),
                damage.reason() + "; retention archived every record of the segment it could read, then moved"
                        + " its files aside (renamed to end in .damaged) rather than keep an expired segment"
                        + " for ever; the records it could not read are not in the archive");
        report.initCause(damage);
        if (earlier == null) {
            return report;
        }
        earlier.addSuppressed(report);
        return earlier;
    }
}

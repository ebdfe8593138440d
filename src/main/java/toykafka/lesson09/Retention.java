package toykafka.lesson09;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import toykafka.archive.Archive;
import toykafka.archive.ArchiveReason;
import toykafka.archive.ArchivedEvent;
import toykafka.common.Failures;
import toykafka.common.Record;
import toykafka.common.OffsetRecord;
import toykafka.common.CorruptRecordException;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.TopicConfig;
import toykafka.lesson08.DiskFile;
import toykafka.lesson08.IndexEntry;
import toykafka.lesson08.PartitionDirectory;
import toykafka.lesson08.Segment;
import toykafka.lesson08.SegmentIndex;
import toykafka.lesson08.SegmentInfo;
import toykafka.lesson08.SegmentReader;

/**
 * Removes records from the old end of a log: retention, which deletes whole segments once they are too old or
 * too many bytes (a segment is the unit of deletion), and {@code deleteRecordsBefore}, which moves the log start
 * offset. Each record goes to the archive before it is removed. Kafka's {@code UnifiedLog.deleteOldSegments}
 * and {@code UnifiedLog.deleteRecords}.
 */
final class Retention {

    static final int ARCHIVE_CHUNK = 10_000;

    /** Where a log's removed records go: its topic and partition name them, the clock stamps them. */
    record Archiving(String topic, int partition, Archive archive, Clock clock) {
    }

    private static final RetentionPolicy RULES = new TimeAndSizeRetention();

    private Retention() {
    }


    // tag::apply[]
    /**
     * Deletes the segments retention no longer keeps, oldest first, each only after its records are in
     * the archive. Returns what was deleted. The log's lock is held only to choose the segments and to
     * take each out of the log, so appends and reads go on while the archive is written. If the archive
     * fails, the segment stays, the error says so, and the next pass goes on where this one stopped.
     *
     * @throws CorruptRecordException after its work is done, if a segment held records too damaged to
     *                                archive: it archived every record it could read and moved the
     *                                segment's files aside, renamed to end in {@code .damaged}
     */
    static List<SegmentInfo> apply(FileLog log) {
        log.removals().lock();
        try {
            List<SegmentInfo> deleted = new ArrayList<>();
            CorruptRecordException damage = null;
            Archiving to = log.archiving();
            for (Segment segment : segmentsToRetire(log)) {
                if (segment.archivedBelow() < log.local().logStartOffset()) {
                    segment.archivedBelow(log.local().logStartOffset()); // deleteRecordsBefore archived those already
                }
                CorruptRecordException unreadable = DiskFile.uninterruptibly(() -> archiveRecordsOf(segment,
                        to.topic(), to.partition(), to.archive(), to.clock().instant()));
                SegmentInfo info = takeOut(log, segment);
                if (unreadable == null) {
                    segment.delete();
                    deleted.add(info);
                } else {
                    segment.moveAside();
                    damage = movedAside(damage, unreadable);
                }
            }
            if (damage != null) {
                throw damage;
            }
            return deleted;
        } catch (IOException e) {
            throw log.failure("retention failed in", e);
        } finally {
            log.removals().unlock();
        }
    }

    /** The segments retention no longer keeps, oldest first; if every one expired, rolls first. */
    private static List<Segment> segmentsToRetire(FileLog log) throws IOException {
        return log.local().underLock(() -> {
            log.local().requireOpen();
            TopicConfig config = log.config();
            // a compacted topic keeps each key's latest record however old: only cleanup.policy=delete expires them
            int doomed = !config.delete() ? 0 : RULES.segmentsToDelete(log.segments(), log.archiving().clock().millis(),
                    config.retentionMs(), config.retentionBytes());
            if (doomed > 0 && doomed == log.local().segmentsByBase().size()) {
                log.local().rollActive(); // even the active segment expired: the log keeps its end offset in a new, empty one
            }
            return List.copyOf(log.local().segmentsByBase().values()).subList(0, doomed);
        });
    }

    /** Takes an archived segment out of the log: from now on no reader can reach it, so its files can go. */
    private static SegmentInfo takeOut(FileLog log, Segment segment) throws IOException {
        return log.local().underLock(() -> {
            log.local().requireOpen();
            log.local().segmentsByBase().remove(segment.baseOffset());
            log.recoveryPointAtLeast(log.earliest());
            return segment.info();
        });
    }
    // end::apply[]

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
                    if (reader.lastOffset() < next || reader.batch().isControl()) {
                        continue; // archived by an earlier pass, or a transaction's marker, which is no record
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
                return; // only transaction markers or gaps remain below the end: nothing more to archive
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

    /**
     * Moves the log start offset up to {@code before}, as Kafka's {@code Admin.deleteRecords} does, in three
     * steps that a crash can interrupt anywhere: the records below it go to the archive (reason
     * {@code archive}); then the new start is written to the directory's {@code log-start-offset-checkpoint};
     * then the segments wholly below it are deleted. From the checkpoint on, also after a restart, reads below
     * the new start are refused and {@link FileLog#earliest()} returns it. An offset at or below the log start
     * offset changes nothing, as in Kafka, so a request sent twice does no harm. Returns the log start offset.
     *
     * @throws OffsetOutOfRangeException if {@code before} is negative or past the end offset
     */
    static long deleteRecordsBefore(FileLog log, long before) {
        log.removals().lock();
        try {
            long from = log.earliest();
            long end = log.endOffset();
            if (before < 0 || before > end) {
                throw new OffsetOutOfRangeException("cannot delete records before offset " + before + ": it must be"
                        + " from 0 to the end offset " + end + " (records below the log start offset " + from
                        + " are deleted already)", before, from, end);
            }
            if (before <= from) {
                return from;
            }
            // The records up to the new start must be on disk before the checkpoint names it: a crash that lost
            // them would leave a log that ends below its own start.
            log.flush();
            // A crash from here until the checkpoint is written leaves every record readable: a second request
            // archives them again, so the archive may hold a row twice, never miss one.
            Archiving to = log.archiving();
            archiveRange(log, to.topic(), to.partition(), from, before, to.archive(), to.clock().instant());
            log.local().underLock(() -> {
                log.local().requireOpen();
                Checkpoints.writeLogStartOffset(log.directory(), before);
                log.local().logStartOffset(before);
                return null;
            });
            // A crash from here on leaves segments below the start, unreadable; the next open deletes them.
            deleteSegmentsBelowStart(log);
            return before;
        } catch (IOException e) {
            throw log.failure("cannot delete records before offset " + before + " in", e);
        } finally {
            log.removals().unlock();
        }
    }

    /** Deletes the segments wholly below the log start offset, whose records are in the archive already. */
    static void deleteSegmentsBelowStart(FileLog log) throws IOException {
        List<Segment> below = log.local().underLock(() -> {
            List<Segment> found = new ArrayList<>();
            TreeMap<Long, Segment> segments = log.local().segmentsByBase();
            for (Segment segment : List.copyOf(segments.values())) {
                if (segment == log.local().activeSegment() || segment.nextOffset() > log.local().logStartOffset()) {
                    break;
                }
                segments.remove(segment.baseOffset()); // from now on no reader can reach it
                found.add(segment);
            }
            return found;
        });
        for (Segment segment : below) {
            segment.delete();
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
        return Failures.keepFirst(earlier, report);
    }
}

package toykafka.lesson08;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.OffsetRecord;
import toykafka.common.Record;
import toykafka.common.RecordLog;
import toykafka.common.FetchedBatches;

/**
 * The read side of a {@link LocalLog}: finds where a read starts under the log's lock, then reads the bytes
 * after letting go of it, so a slow reader never holds up an append. Kafka's {@code LocalLog.read}. Its methods
 * are this package's: other code reads through a log's {@link Reads}.
 */
public final class LogReader {

    /** One read buffer per reading thread: reads run outside the log's lock, so they cannot share one. */
    private static final ThreadLocal<ByteBuffer> BATCH_BUFFERS =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(1024 * 1024));

    private final LocalLog log;

    LogReader(LocalLog log) {
        this.log = log;
    }

    /**
     * The reads of a log on segments, {@link LocalLog}'s and lesson 9's {@code FileLog}'s alike: each goes to the
     * log's {@code LogReader}, which holds the lock only to find where a read starts.
     */
    public interface Reads extends RecordLog {

        /** The read side of the log's segments: what the reads below go through, and nothing that appends. */
        LogReader reader();

        /**
         * The record at an offset. As in lesson 6, an offset the cleaner removed is not held: reading it fails
         * and names the next offset that is, which {@link #readBatch} starts from.
         */
        @Override
        default Record read(long offsetOrIndex) {
            return reader().read(offsetOrIndex);
        }

        @Override
        default List<Record> readBatch(long fromOffset, int maxRecords) {
            return readBatchWithOffsets(fromOffset, maxRecords).stream().map(OffsetRecord::record).toList();
        }

        /** Records with their offsets, which skip the gaps the cleaner leaves; empty only at the end offset. */
        @Override
        default List<OffsetRecord> readBatchWithOffsets(long fromOffset, int maxRecords) {
            return reader().readBatchWithOffsets(fromOffset, maxRecords);
        }

        /**
         * Whole, checked record batches from the one holding {@code fromOffset} on, as they lie on disk, as many
         * as fit in {@code into} (at least one) and never past the end of a segment: what a broker sends a
         * consumer. The result may be a view of {@code into}: read it before the next fetch.
         */
        default FetchedBatches fetch(long fromOffset, ByteBuffer into) {
            return reader().fetch(fromOffset, into);
        }

        /**
         * Kafka's zero-copy fetch: sends the stored batches from the one that holds {@code fromOffset}, whole,
         * at most {@code maxBytes} (but always the first), straight from the file to {@code target}.
         */
        default LocalLog.Sent transferTo(long fromOffset, int maxBytes, WritableByteChannel target) {
            return reader().transferTo(fromOffset, maxBytes, target);
        }

        /**
         * What {@link #transferTo} would send, found under the log's lock but not sent: for a sender that cannot
         * wait, a non-blocking socket, which calls {@link FileSlice#transferOnce} as the socket takes more.
         */
        default FileSlice slice(long fromOffset, int maxBytes) {
            return reader().slice(fromOffset, maxBytes);
        }

        /** A slice's batches read into {@code into} (which holds its bytes), checked: {@link #fetch} for a slice. */
        default FetchedBatches read(FileSlice slice, long fromOffset, ByteBuffer into) {
            return reader().read(slice, fromOffset, into);
        }

        /** How many records a slice's batches hold, by their headers. */
        default long recordsIn(FileSlice slice) {
            return reader().recordsIn(slice);
        }

        /** Where the record with this offset (or negative index) lies: segment, index entry, byte position. */
        default Location locate(long offsetOrIndex) {
            return reader().locate(offsetOrIndex);
        }

        @Override
        default OptionalLong offsetForTime(Instant time) {
            return reader().offsetForTime(time);
        }

        /** The record with the largest timestamp, the first if several share it: ListOffsets' MAX_TIMESTAMP (-3). */
        default Optional<OffsetRecord> recordWithMaxTimestamp() {
            return reader().recordWithMaxTimestamp();
        }
    }

    /**
     * The record at an offset. As in lesson 6, an offset the cleaner removed is not held: reading it fails
     * and names the next offset that is.
     */
    Record read(long offsetOrIndex) {
        long offset = log.locked(() -> {
            log.requireOpen();
            return log.resolve(offsetOrIndex);
        });
        List<OffsetRecord> next = readBatchWithOffsets(offset, 1);
        if (next.isEmpty() || next.get(0).offset() != offset) {
            throw new NoSuchElementException("offset " + offset + " was removed by compaction; " + (next.isEmpty()
                    ? "no record follows it" : "the next record the log holds is at offset " + next.get(0).offset()));
        }
        return next.get(0).record();
    }

    /** Records with their offsets, which skip the gaps the cleaner leaves; empty only at the end offset. */
    List<OffsetRecord> readBatchWithOffsets(long fromOffset, int maxRecords) {
        if (maxRecords < 1) {
            throw new IllegalArgumentException("a batch holds at least 1 record; maxRecords was " + maxRecords);
        }
        long from = fromOffset;
        while (true) {
            FetchedBatches fetched = read(from, BATCH_BUFFERS.get(), maxRecords);
            List<OffsetRecord> records = fetched.offsetRecords(maxRecords);
            if (!records.isEmpty() || fetched.isEmpty()) {
                return records;
            }
            from = fetched.nextOffset(); // batches that hold only gaps: read on after them
        }
    }

    /**
     * Whole, checked record batches from the one holding {@code fromOffset} on, as they lie on disk, as many
     * as fit in {@code into} (at least one) and never past the end of a segment. A broker sends these bytes
     * to a consumer without decoding them. The result may be a view of {@code into}: read it before the next fetch.
     */
    FetchedBatches fetch(long fromOffset, ByteBuffer into) {
        return read(fromOffset, into, Integer.MAX_VALUE);
    }

    // tag::transfer[]
    /**
     * Kafka's zero-copy fetch: sends the stored batches from the one that holds {@code fromOffset}, whole,
     * at most {@code maxBytes} (but always the first), straight from the file to {@code target}, a socket
     * as a rule. The kernel moves the bytes from the page cache ({@code sendfile}); the log never reads
     * them, nor checks their CRCs, which the consumer does. The log's lock is held only to find the bytes,
     * the {@link FileSlice}, not while a slow receiver takes them.
     */
    LocalLog.Sent transferTo(long fromOffset, int maxBytes, WritableByteChannel target) {
        Objects.requireNonNull(target, "target");
        FileSlice slice = slice(fromOffset, maxBytes);
        try {
            long sent = 0;
            while (sent < slice.bytes()) {
                long now = slice.transferOnce(sent, target);
                if (now == 0) {
                    break; // a receiver that takes no more now
                }
                sent += now;
            }
        } catch (FileSlice.SegmentClosedException deleted) { // retention took the segment while it was being sent
            throw OffsetOutOfRangeException.of(fromOffset, log.earliest(), log.endOffset());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send offsets from " + fromOffset + " of " + log.directory() + ": "
                    + PartitionDirectory.describe(e), e);
        }
        return new LocalLog.Sent(slice.bytes(), slice.nextOffset());
    }

    /**
     * The whole batches to send for a fetch from {@code fromOffset}, found under the log's lock: from the one
     * holding it, at most {@code maxBytes} (but always the first), within one segment. Empty at the end offset.
     */
    FileSlice slice(long fromOffset, int maxBytes) {
        FileSlice.requireMaxBytes(maxBytes);
        try {
            return log.underLockOpen(() -> {
                if (fromOffset == log.endOffset()) {
                    return FileSlice.empty(fromOffset);
                }
                long offset = log.resolve(fromOffset);
                return FileSlice.of(segmentHolding(offset), offset, maxBytes);
            });
        } catch (IOException e) {
            throw log.failure("cannot read offset " + fromOffset + " from", e);
        }
    }
    // end::transfer[]

    /**
     * The slice's batches read into {@code into}, checked, for a reader that wants them in memory: those
     * before a damaged batch if one is not the first. {@code into} must hold {@link FileSlice#bytes}.
     */
    FetchedBatches read(FileSlice slice, long fromOffset, ByteBuffer into) {
        if (slice.isEmpty()) {
            return new FetchedBatches(ByteBuffer.allocate(0), fromOffset, slice.nextOffset());
        }
        try {
            return slice.segment().read(slice.readStart(), fromOffset, into, Integer.MAX_VALUE);
        } catch (DiskFile.ClosedException gone) {
            throw goneWhileRead(fromOffset);
        } catch (IOException e) {
            throw log.failure("cannot read offset " + fromOffset + " from", e);
        }
    }

    /** How many records a slice's batches hold, read from their headers. */
    long recordsIn(FileSlice slice) {
        if (slice.isEmpty()) {
            return 0;
        }
        try {
            return slice.records();
        } catch (DiskFile.ClosedException gone) {
            throw goneWhileRead(slice.nextOffset());
        } catch (IOException e) {
            throw log.failure("cannot read batch headers from", e);
        }
    }

    // tag::read-unlocked[]
    /**
     * Reads batches holding the log's lock only to find where they start; the bytes themselves are read
     * after it is let go, so a slow read never holds up an append.
     */
    private FetchedBatches read(long fromOffset, ByteBuffer into, int maxRecords) {
        record Found(Segment segment, long offset, FileRecords.ReadStart start) {
        }
        Found found;
        try {
            found = log.underLockOpen(() -> {
                if (fromOffset == log.endOffset()) {
                    return null;
                }
                long offset = log.resolve(fromOffset);
                Segment segment = segmentHolding(offset);
                return new Found(segment, offset, segment.readStart(offset));
            });
        } catch (IOException e) {
            throw log.failure("cannot read offset " + fromOffset + " from", e);
        }
        if (found == null) {
            return new FetchedBatches(ByteBuffer.allocate(0), fromOffset, fromOffset);
        }
        try {
            return found.segment().read(found.start(), found.offset(), into, maxRecords);
        } catch (DiskFile.ClosedException gone) {
            throw goneWhileRead(fromOffset);
        } catch (IOException e) {
            throw log.failure("cannot read offset " + fromOffset + " from", e);
        }
    }
    // end::read-unlocked[]

    /** A segment closed under a reader: a closed log says so; otherwise retention took the segment meanwhile. */
    private OffsetOutOfRangeException goneWhileRead(long fromOffset) {
        log.locked(() -> {
            log.requireOpen();
            return null;
        });
        return OffsetOutOfRangeException.of(fromOffset, log.earliest(), log.endOffset());
    }

    /** Where the record with this offset (or negative index) lies: segment, index entry, byte position. */
    Location locate(long offsetOrIndex) {
        return reading("cannot read from", () -> {
            long offset = log.resolve(offsetOrIndex);
            Segment segment = segmentHolding(offset);
            return new Location(offset, segment.name(), segment.index().lookup(offset), segment.seek(offset).position());
        });
    }

    /** The first offset whose record is stamped at or after {@code time}, if any. */
    OptionalLong offsetForTime(Instant time) {
        long millis = epochMillis(Objects.requireNonNull(time, "time"));
        return reading("cannot search by time in", () -> {
            for (Segment segment : log.segmentsByBase().values()) {
                if (segment.largestTimestamp() >= millis) {
                    OptionalLong found = offsetForTime(segment, millis);
                    if (found.isPresent()) {
                        return found; // else the cleaner removed the late records here: look further on
                    }
                }
            }
            return OptionalLong.empty();
        });
    }

    /**
     * The first record stamped with the log's largest timestamp. Each segment knows its largest timestamp,
     * so only the segment that holds it is read, from where its time index says that timestamp begins: as
     * Kafka's {@code UnifiedLog.fetchOffsetByTimestamp} finds MAX_TIMESTAMP.
     */
    Optional<OffsetRecord> recordWithMaxTimestamp() {
        return reading("cannot search by time in", () -> {
            Segment holding = null;
            for (Segment segment : log.segmentsByBase().values()) {
                if (!segment.isEmpty() && (holding == null || segment.largestTimestamp() > holding.largestTimestamp())) {
                    holding = segment;
                }
            }
            if (holding == null) {
                return Optional.empty();
            }
            long largest = holding.largestTimestamp();
            SegmentReader reader = holding.reader(holding.index().lookup(holding.timeIndex().scanFrom(largest)));
            while (reader.next()) {
                if (reader.maxTimestamp() == largest) {
                    for (OffsetRecord record : reader.offsetRecords()) {
                        if (record.record().timestamp().toEpochMilli() == largest) {
                            return Optional.of(record);
                        }
                    }
                }
            }
            return Optional.empty();
        });
    }

    /** Milliseconds since 1970, held at the ends of a long for an instant beyond them (Instant.MAX, MIN). */
    private static long epochMillis(Instant time) {
        try {
            return time.toEpochMilli();
        } catch (ArithmeticException beyondALong) {
            return time.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    // tag::time[]
    /** The first offset in {@code segment} whose record is stamped at or after {@code timestamp}. */
    private static OptionalLong offsetForTime(Segment segment, long timestamp) throws IOException {
        if (segment.largestTimestamp() < timestamp) {
            return OptionalLong.empty();
        }
        long from = segment.timeIndex().scanFrom(timestamp);
        SegmentReader reader = segment.reader(segment.index().lookup(from));
        while (reader.next()) {
            if (reader.lastOffset() < from || reader.maxTimestamp() < timestamp) {
                continue; // nothing in this batch is late enough: no need to look at its records
            }
            for (OffsetRecord record : reader.offsetRecords()) {
                if (record.offset() >= from && record.record().timestamp().toEpochMilli() >= timestamp) {
                    return OptionalLong.of(record.offset());
                }
            }
        }
        return OptionalLong.empty();
    }
    // end::time[]

    /** Runs a read under the log's lock, on an open log; an I/O failure says what could not be read. */
    private <T> T reading(String what, DiskFile.IoWork<T> work) {
        try {
            return log.underLockOpen(work);
        } catch (IOException e) {
            throw log.failure(what, e);
        }
    }

    /** The segment whose offsets include {@code offset}. Only under the log's lock. */
    private Segment segmentHolding(long offset) {
        Map.Entry<Long, Segment> entry = log.segmentsByBase().floorEntry(offset);
        if (entry == null) {
            throw OffsetOutOfRangeException.of(offset, log.earliest(), log.endOffset());
        }
        return entry.getValue();
    }
}

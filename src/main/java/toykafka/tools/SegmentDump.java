package toykafka.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import toykafka.common.CorruptRecordException;
import toykafka.lesson08.*;
import toykafka.common.Header;
import toykafka.common.OffsetRecord;
import toykafka.common.Record;
import toykafka.common.RecordBatch;

/**
 * Storage you can look at: prints a segment's batches, records and indexes as text, and checks every CRC
 * and every index entry. Works on the files alone, with no log open, and only reads them: it may look at a
 * partition a running log is writing. Past a damaged batch it reads on from the next index entry, as the
 * log itself can. {@code toykafka dump} and {@code toykafka verify} run it.
 */
public final class SegmentDump {

    private static final int SHOWN_CHARACTERS = 60;

    private SegmentDump() {
    }

    /** What a verification found. */
    public record Verification(Path file, long records, long bytes, int indexEntries, int timeIndexEntries,
                               List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }

        @Override
        public String toString() {
            String name = file.getFileName().toString();
            if (ok()) {
                return name + ": ok, " + records + " records in " + bytes + " bytes, every CRC good, "
                        + indexEntries + " index and " + timeIndexEntries + " time index entries good";
            }
            return name + ": " + records + " good record(s), " + problems.size() + " problem(s): "
                    + String.join("; ", problems);
        }
    }

    /** A segment's three files, read. */
    private record SegmentFiles(Path log, long base, long size, SegmentIndex index, TimeIndex times, List<String> damage) {
    }

    // tag::dump[]
    /** Prints the segment's records, at most {@code maxRecords}, then its index and time index. */
    public static Verification dump(Path logFile, PrintStream out, long maxRecords) {
        SegmentFiles segment = read(logFile);
        out.println("Segment " + logFile.getFileName() + ": base offset " + segment.base() + ", " + segment.size()
                + " bytes");
        long[] shown = {0};
        walk(segment, batch -> {
            if (shown[0] < maxRecords) {
                out.println("  " + describe(batch));
                for (OffsetRecord record : batch.offsetRecords()) { // real offsets: a cleaned segment has gaps
                    if (shown[0]++ < maxRecords) {
                        out.println("  | " + describe(record.offset(), record.record()));
                    }
                }
            } else {
                shown[0] += batch.batch().count();
            }
        }, (problem, damagedAt, resumeAt) -> out.println("  !! " + problem));
        if (shown[0] > maxRecords) {
            out.println("  ... and " + (shown[0] - maxRecords) + " more record(s)");
        }
        segment.damage().forEach(damage -> out.println("  !! " + damage));
        out.println("Index " + sibling(logFile, "index").getFileName() + ": " + count(segment.index().entries(),
                "entry", "entries") + " (a batch's last offset @ the byte it starts at)");
        for (int i = 0; i < segment.index().entries(); i++) {
            out.println("  " + segment.index().entry(i));
        }
        out.println("Time index " + sibling(logFile, "timeindex").getFileName() + ": " + count(segment.times().entries(),
                "entry", "entries") + " (the newest time so far -> the last offset of the batch holding it)");
        for (int i = 0; i < segment.times().entries(); i++) {
            out.println("  " + Instant.ofEpochMilli(segment.times().timestamp(i)) + " -> " + segment.times().offset(i));
        }
        return verify(logFile);
    }
    // end::dump[]

    // tag::verify[]
    /** Checks every batch's length, CRC and offsets, and that every index entry points where it says. */
    public static Verification verify(Path logFile) {
        SegmentFiles segment = read(logFile);
        SegmentIndex index = segment.index();
        TimeIndex times = segment.times();
        List<String> problems = new ArrayList<>(segment.damage());
        long[] records = {0};
        int[] entry = {0};
        int[] timeEntry = {0};
        long[] newest = {Long.MIN_VALUE};
        boolean[] skipped = {false}; // after skipping a damaged batch, time index entries can no longer be judged
        walk(segment, batch -> {
            records[0] += batch.batch().count();
            newest[0] = Math.max(newest[0], batch.maxTimestamp());
            IndexEntry expected = new IndexEntry(batch.lastOffset(), (int) batch.position());
            for (; entry[0] < index.entries() && index.entry(entry[0]).position() <= batch.position(); entry[0]++) {
                if (!index.entry(entry[0]).equals(expected)) {
                    problems.add("index entry " + index.entry(entry[0]) + " does not point at the start of its"
                            + " batch (offsets " + batch.baseOffset() + ".." + batch.lastOffset() + " start at byte "
                            + batch.position() + ")");
                }
            }
            for (; timeEntry[0] < times.entries() && times.offset(timeEntry[0]) <= batch.lastOffset(); timeEntry[0]++) {
                long time = times.timestamp(timeEntry[0]);
                if (skipped[0]) {
                    continue;
                }
                if (times.offset(timeEntry[0]) != batch.lastOffset()) {
                    problems.add("time index entry for offset " + times.offset(timeEntry[0]) + " does not name the"
                            + " last offset of a batch");
                } else if (batch.maxTimestamp() != time || newest[0] > time) {
                    problems.add("time index entry for offset " + batch.lastOffset() + " says "
                            + Instant.ofEpochMilli(time) + ", but its batch's newest record is stamped "
                            + Instant.ofEpochMilli(batch.maxTimestamp()) + " and the newest so far "
                            + Instant.ofEpochMilli(newest[0]));
                }
            }
        }, (problem, damagedAt, resumeAt) -> {
            problems.add(problem);
            skipped[0] = true;
            // an entry before the damage that no record has matched points inside a good record: wrong
            for (; entry[0] < index.entries() && index.entry(entry[0]).position() < damagedAt; entry[0]++) {
                problems.add("index entry " + index.entry(entry[0]) + " does not point at the start of a batch");
            }
            // an entry at the damage or inside the bytes passed over cannot be judged: nothing there can be read
            long resume = resumeAt == null ? Long.MAX_VALUE : resumeAt.position();
            while (entry[0] < index.entries() && index.entry(entry[0]).position() < resume) {
                entry[0]++;
            }
        });
        if (entry[0] < index.entries()) {
            problems.add("index entry " + index.entry(entry[0]) + " points past the last record");
        }
        if (timeEntry[0] < times.entries()) {
            problems.add("time index entry for offset " + times.offset(timeEntry[0]) + " is past the last record");
        }
        long lastEntry = times.entries() == 0 ? Long.MIN_VALUE : times.timestamp(times.entries() - 1);
        if (!skipped[0] && records[0] > 0 && isSealed(logFile, segment.base()) && lastEntry != newest[0]) {
            problems.add("the time index ends at " + (times.entries() == 0 ? "no entry" : Instant.ofEpochMilli(lastEntry))
                    + ", but this sealed segment's newest record is stamped " + Instant.ofEpochMilli(newest[0])
                    + ": its last entries are missing or wrong");
        }
        return new Verification(logFile, records[0], segment.size(), index.entries(), times.entries(), problems);
    }
    // end::verify[]

    /**
     * Reads every batch in order. At a damaged one, reports it and reads on from the next index entry,
     * which is known to start a batch; with no entry after the damage, the rest cannot be read safely.
     */
    /** Hears of a damaged batch: what is wrong, where it starts, and the index entry reading goes on from (or null). */
    private interface ProblemListener {
        void damaged(String problem, long damagedAt, IndexEntry resumeAt);
    }

    private static void walk(SegmentFiles segment, Consumer<SegmentReader> onBatch, ProblemListener onProblem) {
        String name = segment.log().getFileName().toString();
        Path dir = segment.log().toAbsolutePath().getParent();
        long nextBase = nextBase(segment.log(), segment.base());
        // only the cleaner leaves gaps, and it never touches the newest segment
        boolean gapsAllowed = nextBase >= 0 && PartitionDirectory.wasEverCleaned(dir);
        try (FileChannel log = FileChannel.open(segment.log(), StandardOpenOption.READ)) {
            IndexEntry start = new IndexEntry(segment.base(), 0);
            while (start != null) {
                SegmentReader reader = SegmentReader.from(log::read, name, start, segment.size())
                        .offsets(gapsAllowed, nextBase);
                try {
                    while (reader.next()) {
                        onBatch.accept(reader);
                    }
                    start = null;
                } catch (CorruptRecordException bad) {
                    start = entryAfter(segment.index(), bad.position());
                    onProblem.damaged(bad.getMessage() + (start == null
                            ? "; no index entry follows, so nothing after it can be read safely"
                            : "; reading on from index entry " + start), bad.position(), start);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + segment.log() + ": " + e.getMessage(), e);
        }
    }

    /** A segment with a later one beside it was sealed: its time index ends with its newest record. */
    private static boolean isSealed(Path logFile, long base) {
        return nextBase(logFile, base) >= 0;
    }

    /** The base offset of the segment after this one in its directory, where its records end; -1 if none. */
    private static long nextBase(Path logFile, long base) {
        try {
            return PartitionDirectory.segmentBaseOffsets(logFile.toAbsolutePath().getParent()).stream()
                    .filter(other -> other > base).findFirst().orElse(-1L);
        } catch (IOException e) {
            return -1;
        }
    }

    private static IndexEntry entryAfter(SegmentIndex index, long position) {
        for (int i = 0; i < index.entries(); i++) {
            if (index.entry(i).position() > position) {
                return index.entry(i);
            }
        }
        return null;
    }

    private static String describe(SegmentReader batch) {
        RecordBatch header = batch.batch();
        return String.format("baseOffset=%d lastOffset=%d count=%d position=%d size=%d crc=%08x compression=%s"
                        + " timestampType=%s maxTimestamp=%s", batch.baseOffset(), batch.lastOffset(), header.count(),
                batch.position(), batch.size(), header.storedCrc(), header.compression().configName(),
                header.isLogAppendTime() ? "LogAppendTime" : "CreateTime", Instant.ofEpochMilli(batch.maxTimestamp()));
    }

    private static String describe(long offset, Record record) {
        String line = String.format("offset=%d timestamp=%s key=%s value=%s", offset, record.timestamp(),
                show(record.key()), record.value() == null && record.hasKey() ? "none (a tombstone)" : show(record.value()));
        if (!record.headers().isEmpty()) {
            line += " headers=[" + record.headers().stream().map(SegmentDump::headerText)
                    .collect(Collectors.joining(", ")) + "]";
        }
        return line;
    }

    private static String headerText(Header header) {
        return header.key() + "=" + show(header.value());
    }

    /** Text in quotes when the bytes are printable UTF-8, hex otherwise; long values are cut short. */
    static String show(byte[] bytes) {
        if (bytes == null) {
            return "none";
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            if (text.codePoints().noneMatch(Character::isISOControl)) {
                return text.length() <= SHOWN_CHARACTERS ? "\"" + text + "\""
                        : "\"" + text.substring(0, SHOWN_CHARACTERS) + "...\" (" + bytes.length + " bytes)";
            }
        } catch (CharacterCodingException notText) {
            // shown as hex below
        }
        String hex = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, SHOWN_CHARACTERS / 2));
        return "hex:" + hex + (bytes.length > SHOWN_CHARACTERS / 2 ? "... (" + bytes.length + " bytes)" : "");
    }

    /** Verifies one segment, or every segment of a partition directory. */
    public static List<Verification> verifyAll(Path segmentOrDirectory) {
        if (!Files.exists(segmentOrDirectory)) {
            throw new IllegalArgumentException(segmentOrDirectory + " does not exist: give a segment's .log file or"
                    + " a partition directory such as data/orders-0");
        }
        if (!Files.isDirectory(segmentOrDirectory)) {
            return List.of(verify(segmentOrDirectory));
        }
        try {
            List<Verification> results = new ArrayList<>(missingLogs(segmentOrDirectory));
            for (long base : PartitionDirectory.segmentBaseOffsets(segmentOrDirectory)) {
                results.add(verify(segmentOrDirectory.resolve(PartitionDirectory.fileName(base, "log"))));
            }
            results.sort(java.util.Comparator.comparing(Verification::file));
            if (results.isEmpty()) {
                throw new IllegalArgumentException(segmentOrDirectory + " holds no segment (no 20-digit .log file)");
            }
            return results;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + segmentOrDirectory + ": " + e.getMessage(), e);
        }
    }

    /** A problem for each segment whose index files are there without its .log: its records are gone. */
    private static List<Verification> missingLogs(Path dir) throws IOException {
        List<Verification> missing = new ArrayList<>();
        List<Long> logs = PartitionDirectory.segmentBaseOffsets(dir);
        java.util.TreeSet<Long> orphans = new java.util.TreeSet<>();
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                String log = name.replaceFirst("\\.(index|timeindex)$", ".log");
                if (name.matches("\\d{20}\\.(index|timeindex)") && !logs.contains(PartitionDirectory.baseOffsetOf(file))
                        && !Files.exists(dir.resolve(log + PartitionDirectory.DELETED)) // a deletion that stopped half-way
                        && !Files.exists(dir.resolve(log + PartitionDirectory.DAMAGED))) {
                    orphans.add(PartitionDirectory.baseOffsetOf(file));
                }
            }
        }
        for (long base : orphans) {
            Path log = dir.resolve(PartitionDirectory.fileName(base, "log"));
            missing.add(new Verification(log, 0, 0, 0, 0, List.of(log.getFileName() + " is missing, though its index"
                    + " files remain: the records from offset " + base + " up to the next segment are gone")));
        }
        return missing;
    }

    /** The base offset a segment file's name gives, or a refusal saying what a segment file is called. */
    static long baseOffsetOf(Path logFile) {
        String name = logFile.getFileName().toString();
        if (!name.matches("\\d{20}\\.log")) {
            throw new IllegalArgumentException("'" + logFile + "' is not a segment: a segment file is named by its"
                    + " base offset in 20 digits, then .log, such as 00000000000000000000.log");
        }
        if (!Files.isRegularFile(logFile)) {
            throw new IllegalArgumentException("there is no segment file " + logFile);
        }
        return PartitionDirectory.baseOffsetOf(logFile);
    }

    /** Reads the segment's size and both indexes; damaged index files are noted and read as empty. */
    private static SegmentFiles read(Path logFile) {
        long base = baseOffsetOf(logFile);
        List<String> damage = new ArrayList<>();
        try {
            long size = Files.size(logFile);
            SegmentIndex index = new SegmentIndex(base);
            TimeIndex times = new TimeIndex(base);
            try {
                index = SegmentIndex.decode(base, indexBytes(sibling(logFile, "index")), size);
            } catch (NoSuchFileException missing) {
                // no entries: a segment is readable from its first byte without any
            } catch (IllegalArgumentException damaged) {
                index = entriesBefore(base, sibling(logFile, "index"), size);
                damage.add(index == null ? sibling(logFile, "index").getFileName() + " is damaged: "
                        + damaged.getMessage() : cutShort(logFile, size, sibling(logFile, "index")));
                index = index == null ? new SegmentIndex(base) : index;
            }
            try {
                times = TimeIndex.decode(base, indexBytes(sibling(logFile, "timeindex")));
            } catch (NoSuchFileException missing) {
                // no entries
            } catch (IllegalArgumentException damaged) {
                damage.add(sibling(logFile, "timeindex").getFileName() + " is damaged: " + damaged.getMessage());
            }
            return new SegmentFiles(logFile, base, size, index, times, damage);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + logFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * The entries of an index that is whole but points past the end of the log, those before the end; null if
     * the index is damaged in itself. Then it is the log that is short: it was cut after the index was written.
     */
    private static SegmentIndex entriesBefore(long base, Path indexFile, long logSize) throws IOException {
        SegmentIndex whole;
        try {
            whole = SegmentIndex.decode(base, indexBytes(indexFile), Long.MAX_VALUE);
        } catch (IllegalArgumentException damaged) {
            return null;
        }
        SegmentIndex before = new SegmentIndex(base);
        for (int i = 0; i < whole.entries() && whole.entry(i).position() < logSize; i++) {
            before.add(whole.entry(i).offset(), whole.entry(i).position());
        }
        return before;
    }

    private static String cutShort(Path logFile, long size, Path indexFile) throws IOException {
        SegmentIndex whole = SegmentIndex.decode(baseOffsetOf(logFile), indexBytes(indexFile), Long.MAX_VALUE);
        IndexEntry past = whole.entry(whole.entries() - 1);
        return logFile.getFileName() + " ends at byte " + size + ", but " + indexFile.getFileName() + " says a batch"
                + " ending at offset " + past.offset() + " starts at byte " + past.position() + ": the log file was cut"
                + " short after those records were written, and they are gone";
    }

    /** An index file's bytes; only a regular file is read, for reading a FIFO or a device could wait for ever. */
    private static ByteBuffer indexBytes(Path file) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(file.toString());
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("it is not a regular file (a pipe, a device or a directory), so it"
                    + " was not read");
        }
        return ByteBuffer.wrap(Files.readAllBytes(file));
    }

    private static Path sibling(Path logFile, String extension) {
        return logFile.resolveSibling(logFile.getFileName().toString().replace(".log", "." + extension));
    }

    private static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}

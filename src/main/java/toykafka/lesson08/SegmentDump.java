package toykafka.lesson08;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import toykafka.lesson04.Header;
import toykafka.lesson04.Record;

/**
 * Storage you can look at: prints a segment's records and indexes as text, and checks every CRC and
 * every index entry. Works on the files alone, with no log open. {@code toykafka dump} and
 * {@code toykafka verify} run it.
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
            return name + ": " + records + " good record(s), then " + problems.size() + " problem(s): "
                    + String.join("; ", problems);
        }
    }

    // tag::dump[]
    /** Prints the segment's records, at most {@code maxRecords}, then its index and time index. */
    public static Verification dump(Path logFile, PrintStream out, long maxRecords) {
        long base = baseOffsetOf(logFile);
        try (FileChannel log = FileChannel.open(logFile, StandardOpenOption.READ)) {
            out.println("Segment " + logFile.getFileName() + ": base offset " + base + ", " + log.size() + " bytes");
            SegmentReader reader = new SegmentReader(log, logFile.getFileName().toString(), 0, base, log.size());
            long shown = 0;
            try {
                while (reader.next()) {
                    if (shown++ < maxRecords) {
                        out.println("  " + describe(reader));
                    }
                }
            } catch (CorruptRecordException bad) {
                out.println("  !! " + bad.getMessage() + "; nothing after it can be read safely");
            }
            if (shown > maxRecords) {
                out.println("  ... and " + (shown - maxRecords) + " more record(s)");
            }
            SegmentIndex index = readIndex(sibling(logFile, "index"), base, log.size(), out);
            out.println("Index " + sibling(logFile, "index").getFileName() + ": " + index.entries()
                    + " entries (offset @ byte position)");
            for (int i = 0; i < index.entries(); i++) {
                out.println("  " + index.entry(i));
            }
            TimeIndex times = readTimeIndex(sibling(logFile, "timeindex"), base, out);
            out.println("Time index " + sibling(logFile, "timeindex").getFileName() + ": " + times.entries()
                    + " entries (no record up to the offset is newer than the time)");
            for (int i = 0; i < times.entries(); i++) {
                out.println("  " + Instant.ofEpochMilli(times.timestamp(i)) + " -> " + times.offset(i));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + logFile + ": " + e.getMessage(), e);
        }
        return verify(logFile);
    }
    // end::dump[]

    private static String describe(SegmentReader frame) {
        Record record = frame.record();
        String line = String.format("offset=%d position=%d size=%d crc=%08x timestamp=%s key=%s value=%s",
                frame.offset(), frame.position(), frame.size(), frame.frame().getInt(RecordCodec.CRC_AT), record.timestamp(),
                show(record.key()), record.value() == null && record.hasKey() ? "none (a tombstone)"
                        : show(record.value()));
        if (!record.headers().isEmpty()) {
            line += " headers=[" + record.headers().stream().map(SegmentDump::headerText)
                    .collect(Collectors.joining(", ")) + "]";
        }
        return line;
    }

    /** Text in quotes when the bytes are printable UTF-8, hex otherwise; long values are cut short. */
    static String show(byte[] bytes) {
        if (bytes == null) {
            return "none";
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            if (text.codePoints().allMatch(c -> !Character.isISOControl(c))) {
                return text.length() <= SHOWN_CHARACTERS ? "\"" + text + "\""
                        : "\"" + text.substring(0, SHOWN_CHARACTERS) + "...\" (" + bytes.length + " bytes)";
            }
        } catch (CharacterCodingException notText) {
            // shown as hex below
        }
        String hex = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, SHOWN_CHARACTERS / 2));
        return "hex:" + hex + (bytes.length > SHOWN_CHARACTERS / 2 ? "... (" + bytes.length + " bytes)" : "");
    }

    // tag::verify[]
    /** Checks every frame's length, CRC and offset, and that every index entry points where it says. */
    public static Verification verify(Path logFile) {
        long base = baseOffsetOf(logFile);
        List<String> problems = new ArrayList<>();
        try (FileChannel log = FileChannel.open(logFile, StandardOpenOption.READ)) {
            SegmentIndex index = readIndex(sibling(logFile, "index"), base, log.size(), null);
            TimeIndex times = readTimeIndex(sibling(logFile, "timeindex"), base, null);
            SegmentReader reader = new SegmentReader(log, logFile.getFileName().toString(), 0, base, log.size());
            long records = 0;
            int entry = 0;
            int timeEntry = 0;
            long newest = Long.MIN_VALUE;
            try {
                while (reader.next()) {
                    records++;
                    newest = Math.max(newest, reader.timestamp());
                    for (; entry < index.entries() && index.entry(entry).position() <= reader.position(); entry++) {
                        if (!index.entry(entry).equals(new IndexEntry(reader.offset(), (int) reader.position()))) {
                            problems.add("index entry " + index.entry(entry) + " does not point at the start of"
                                    + " its record (offset " + reader.offset() + " starts at byte " + reader.position() + ")");
                        }
                    }
                    for (; timeEntry < times.entries() && times.offset(timeEntry) <= reader.offset(); timeEntry++) {
                        if (times.offset(timeEntry) == reader.offset() && newest > times.timestamp(timeEntry)) {
                            problems.add("time index entry for offset " + reader.offset() + " says "
                                    + Instant.ofEpochMilli(times.timestamp(timeEntry)) + ", but a record up to it is"
                                    + " stamped " + Instant.ofEpochMilli(newest));
                        }
                    }
                }
            } catch (CorruptRecordException bad) {
                problems.add(bad.getMessage() + "; the records after it are not checked");
                return new Verification(logFile, records, reader.nextPosition(), index.entries(), times.entries(),
                        problems);
            }
            if (entry < index.entries()) {
                problems.add("index entry " + index.entry(entry) + " points past the last record");
            }
            if (timeEntry < times.entries()) {
                problems.add("time index entry for offset " + times.offset(timeEntry) + " is past the last record");
            }
            return new Verification(logFile, records, log.size(), index.entries(), times.entries(), problems);
        } catch (IllegalArgumentException damagedIndex) {
            problems.add(damagedIndex.getMessage());
            return new Verification(logFile, 0, 0, 0, 0, problems);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + logFile + ": " + e.getMessage(), e);
        }
    }
    // end::verify[]

    /** Verifies one segment, or every segment of a partition directory. */
    public static List<Verification> verifyAll(Path segmentOrDirectory) {
        if (!Files.isDirectory(segmentOrDirectory)) {
            return List.of(verify(segmentOrDirectory));
        }
        try {
            List<Verification> results = new ArrayList<>();
            for (long base : PartitionDirectory.segmentBaseOffsets(segmentOrDirectory)) {
                results.add(verify(segmentOrDirectory.resolve(PartitionDirectory.fileName(base, "log"))));
            }
            if (results.isEmpty()) {
                throw new IllegalArgumentException(segmentOrDirectory + " holds no segment (no 20-digit .log file)");
            }
            return results;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + segmentOrDirectory + ": " + e.getMessage(), e);
        }
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
        return Long.parseLong(name.substring(0, 20));
    }

    private static Path sibling(Path logFile, String extension) {
        return logFile.resolveSibling(logFile.getFileName().toString().replace(".log", "." + extension));
    }

    private static SegmentIndex readIndex(Path file, long base, long logSize, PrintStream out) throws IOException {
        try {
            return SegmentIndex.decode(base, ByteBuffer.wrap(Files.readAllBytes(file)), logSize);
        } catch (NoSuchFileException missing) {
            return new SegmentIndex(base);
        } catch (IllegalArgumentException damaged) {
            if (out == null) {
                throw new IllegalArgumentException(file.getFileName() + " is damaged: " + damaged.getMessage());
            }
            out.println("  !! " + file.getFileName() + " is damaged: " + damaged.getMessage());
            return new SegmentIndex(base);
        }
    }

    private static TimeIndex readTimeIndex(Path file, long base, PrintStream out) throws IOException {
        try {
            return TimeIndex.decode(base, ByteBuffer.wrap(Files.readAllBytes(file)));
        } catch (NoSuchFileException missing) {
            return new TimeIndex(base);
        } catch (IllegalArgumentException damaged) {
            if (out == null) {
                throw new IllegalArgumentException(file.getFileName() + " is damaged: " + damaged.getMessage());
            }
            out.println("  !! " + file.getFileName() + " is damaged: " + damaged.getMessage());
            return new TimeIndex(base);
        }
    }

    private static String headerText(Header header) {
        return header.key() + "=" + show(header.value());
    }
}

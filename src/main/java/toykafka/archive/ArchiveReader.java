package toykafka.archive;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Reads archive files, or whole archive folders, into one Tablesaw table, checking every field against the
 * archive's schema on the way in. A bad field stops the read with one line naming the file, the row and the
 * column, so no table is ever built from a file that is not what it claims to be.
 * <p>
 * The table has the file's columns, each with its type stated, plus {@code bytes}, the key's and value's size
 * in UTF-8. The values themselves are left out unless asked for ({@link #withValues()}): most questions need
 * only their size, and a million values take far more memory than a million sizes.
 * <p>
 * A folder written by {@link ArchiveDirectory} is pruned by its folder names: asking for one topic or a time
 * range opens only the files that can hold such rows.
 */
public final class ArchiveReader {

    /** Hears how far a read has got; called every few thousand rows and at the end of each file. */
    @FunctionalInterface
    public interface Progress {
        void read(long rows, long bytesRead, long bytesTotal, int filesDone, int filesTotal);
    }

    // tag::columns[]
    /** The table's columns, in order. */
    public static final List<String> COLUMNS =
            List.of("topic", "partition", "offset", "timestamp", "key", "bytes", "reason", "archived_at");
    // end::columns[]

    private static final List<String> FILE_COLUMNS =
            List.of("topic", "partition", "offset", "timestamp", "key", "value", "reason", "archived_at");
    private static final Pattern TOPIC_FOLDER = Pattern.compile("topic=(.+)");
    private static final Pattern DATE_FOLDER = Pattern.compile("date=(\\d{4}-\\d{2}-\\d{2})");
    /** First and last offset, then the incarnation and copy the writer added (ArchiveDirectory), if any. */
    private static final Pattern RANGE_FILE = Pattern.compile("(\\d{20})-(\\d{20})((?:\\.i\\d+)?(?:~\\d+)?)\\.csv");
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.EMPTY_UNQUOTED_STRING_AS_NULL)
            .build();
    private static final int PROGRESS_EVERY = 50_000;

    private final List<Path> paths;
    private final Set<String> topics = new TreeSet<>();
    private Instant from = Instant.MIN;
    private Instant until = Instant.MAX;
    private boolean withValues;
    private Progress progress = (rows, bytes, total, done, files) -> { };

    private ArchiveReader(List<Path> paths) {
        this.paths = List.copyOf(paths);
    }

    /** A reader of these archive files and folders (folders are searched for {@code .csv} files). */
    public static ArchiveReader of(Path... paths) {
        return of(List.of(paths));
    }

    public static ArchiveReader of(List<Path> paths) {
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("name at least one archive file or folder to read");
        }
        return new ArchiveReader(paths);
    }

    /** Only rows of these topics. */
    public ArchiveReader topics(String... names) {
        topics.addAll(List.of(names));
        return this;
    }

    /** Only rows whose timestamp is at or after this instant. */
    public ArchiveReader from(Instant earliest) {
        this.from = Objects.requireNonNull(earliest, "from");
        return this;
    }

    /** Only rows whose timestamp is before this instant. */
    public ArchiveReader until(Instant end) {
        this.until = Objects.requireNonNull(end, "until");
        return this;
    }

    /** Keeps each row's value as a {@code value} column too. */
    public ArchiveReader withValues() {
        this.withValues = true;
        return this;
    }

    public ArchiveReader onProgress(Progress listener) {
        this.progress = Objects.requireNonNull(listener, "progress");
        return this;
    }

    /** The files a read would open, after pruning by topic and date folders; refuses paths that hold none. */
    public List<Path> files() {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (!Files.exists(path)) {
                throw new IllegalArgumentException("cannot read the archive " + path + ": there is no such file or folder");
            }
            if (Files.isDirectory(path)) {
                List<Path> found = filesUnder(path);
                if (found.isEmpty() && !hasArchiveFiles(path)) {
                    throw new IllegalArgumentException("the folder " + path + " holds no archive files (*.csv); a broker"
                            + " writes them under its data directory's archive/ once retention or deleteRecords"
                            + " moves records out");
                }
                files.addAll(found);
            } else {
                files.add(path);
            }
        }
        return files;
    }

    private List<Path> filesUnder(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile)
                    .filter(file -> !ArchiveDirectory.isUnfinishedOrHidden(file))
                    .filter(file -> wanted(folder.relativize(file)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the archive folder " + folder + ": " + e.getMessage(), e);
        }
    }

    private static boolean hasArchiveFiles(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.anyMatch(file -> Files.isRegularFile(file) && !ArchiveDirectory.isUnfinishedOrHidden(file));
        } catch (IOException e) {
            return false;
        }
    }

    // tag::prune[]
    /** Decides from the folder names alone whether a file can hold rows the read wants. */
    private boolean wanted(Path relative) {
        for (Path part : relative) {
            Matcher topic = TOPIC_FOLDER.matcher(part.toString());
            if (topic.matches() && !topics.isEmpty() && !topics.contains(topic.group(1))) {
                return false;
            }
            Matcher date = DATE_FOLDER.matcher(part.toString());
            if (date.matches()) {
                LocalDate day = LocalDate.parse(date.group(1));
                Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
                if (!dayStart.isBefore(until) || !dayStart.plusSeconds(86_400).isAfter(from)) {
                    return false;
                }
            }
        }
        return true;
    }
    // end::prune[]

    /** Reads every wanted row into one table. */
    public Table read() {
        List<Path> files = files();
        Columns columns = new Columns(withValues);
        Map<String, Map<String, Set<Long>>> seen = new HashMap<>(); // by the group of files that may repeat rows
        Map<Path, String> mayRepeat = filesThatMayRepeat(files);
        long total = 0;
        for (Path file : files) {
            total += size(file);
        }
        long bytesBefore = 0;
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            String group = mayRepeat.get(file);
            readFile(file, columns, group == null ? null : seen.computeIfAbsent(group, g -> new HashMap<>()),
                    bytesBefore, total, i, files.size());
            bytesBefore += size(file);
            progress.read(columns.rows(), bytesBefore, total, i + 1, files.size());
        }
        return columns.table(files.size() == 1 ? files.get(0).getFileName().toString() : "archive");
    }

    /**
     * The files whose offset ranges (from their names) overlap another file's of the same partition and the
     * same incarnation of its topic, each with that group: only their rows are checked for repeats, which a
     * crash between archiving and deleting can leave. A topic deleted and created again reuses offsets, so
     * files of different incarnations never count as repeats of each other.
     */
    private static Map<Path, String> filesThatMayRepeat(List<Path> files) {
        Map<String, List<long[]>> byGroup = new HashMap<>();
        Map<long[], Path> owner = new HashMap<>();
        for (Path file : files) {
            Matcher range = RANGE_FILE.matcher(file.getFileName().toString());
            Path partition = file.getParent() == null ? null : file.getParent().getParent();
            if (range.matches() && partition != null) {
                long[] span = {Long.parseLong(range.group(1)), Long.parseLong(range.group(2))};
                byGroup.computeIfAbsent(partition + "|" + range.group(3), p -> new ArrayList<>()).add(span);
                owner.put(span, file);
            }
        }
        Map<Path, String> overlapping = new HashMap<>();
        byGroup.forEach((group, spans) -> {
            spans.sort(Comparator.comparingLong(span -> span[0]));
            long[] widest = null;
            for (long[] span : spans) {
                if (widest != null && span[0] <= widest[1]) {
                    overlapping.put(owner.get(span), group);
                    overlapping.put(owner.get(widest), group);
                }
                if (widest == null || span[1] > widest[1]) {
                    widest = span;
                }
            }
        });
        return overlapping;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the archive " + file + ": " + e.getMessage(), e);
        }
    }

    private void readFile(Path file, Columns columns, Map<String, Set<Long>> seen, long bytesBefore, long total,
                          int fileIndex, int fileCount) {
        try (InputStream in = Files.newInputStream(file); JsonParser csv = CSV.createParser(in)) {
            List<String> header = nextRow(csv);
            if (header == null) {
                throw new IllegalArgumentException(file + " is not a toykafka archive: it is empty, and an archive"
                        + " starts with the header '" + CsvArchive.HEADER + "'");
            }
            if (!FILE_COLUMNS.equals(header)) {
                throw new IllegalArgumentException(file + " is not a toykafka archive: its first line is '"
                        + String.join(",", header) + "', and an archive's is '" + CsvArchive.HEADER + "'");
            }
            long row = 0;
            List<String> fields;
            while (true) {
                long line = csv.currentLocation().getLineNr();
                fields = nextRow(csv);
                if (fields == null) {
                    break;
                }
                row++;
                RowReader reader = new RowReader(file, row, line, fields);
                reader.addTo(columns, topics, from, until, seen);
                if (row % PROGRESS_EVERY == 0) {
                    progress.read(columns.rows(), bytesBefore + csv.currentLocation().getCharOffset(), total,
                            fileIndex, fileCount);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the archive " + file + ": " + firstLine(e.getMessage()), e);
        }
    }

    /** The next row's fields, or null at the end of the file. */
    private static List<String> nextRow(JsonParser csv) throws IOException {
        JsonToken token = csv.nextToken();
        if (token == null) {
            return null;
        }
        List<String> fields = new ArrayList<>(FILE_COLUMNS.size());
        while ((token = csv.nextToken()) != JsonToken.END_ARRAY && token != null) {
            fields.add(token == JsonToken.VALUE_NULL ? null : csv.getText());
        }
        return fields;
    }

    private static String firstLine(String message) {
        return message == null ? "unreadable" : message.lines().findFirst().orElse(message);
    }

    /** One row's fields, checked and converted one column at a time, so an error can name the column. */
    private record RowReader(Path file, long row, long line, List<String> fields) {

        void addTo(Columns columns, Set<String> topics, Instant from, Instant until, Map<String, Set<Long>> seen) {
            if (fields.size() != FILE_COLUMNS.size()) {
                throw new IllegalArgumentException(where() + " has " + fields.size() + " column(s); an archive row has "
                        + FILE_COLUMNS.size() + ": " + String.join(", ", FILE_COLUMNS));
            }
            String topic = text("topic", true);
            int partition = (int) whole("partition", Integer.MAX_VALUE);
            long offset = whole("offset", Long.MAX_VALUE);
            Instant timestamp = instant("timestamp");
            String key = fields.get(4);
            String value = fields.get(5);
            String reason = reason();
            Instant archivedAt = instant("archived_at");
            if ((!topics.isEmpty() && !topics.contains(topic)) || timestamp.isBefore(from) || !timestamp.isBefore(until)) {
                return;
            }
            if (seen != null && !seen.computeIfAbsent(topic + "-" + partition, p -> new HashSet<>()).add(offset)) {
                return; // archived twice: a crash came between archiving and deleting
            }
            columns.add(topic, partition, offset, timestamp, key, value, reason, archivedAt);
        }

        private String where() {
            return file + ": row " + row + " (line " + line + ")";
        }

        private IllegalArgumentException bad(String column, String problem) {
            return new IllegalArgumentException(where() + ", column " + column + ": " + problem);
        }

        private String text(String column, boolean required) {
            String text = fields.get(FILE_COLUMNS.indexOf(column));
            if (required && (text == null || text.isEmpty())) {
                throw bad(column, "is empty, and every archive row names its " + column);
            }
            return text;
        }

        private long whole(String column, long max) {
            String text = text(column, true);
            try {
                long number = Long.parseLong(text);
                if (number >= 0 && number <= max) {
                    return number;
                }
            } catch (NumberFormatException notANumber) {
                // refused below
            }
            throw bad(column, "'" + text + "' is not a whole number from 0 to " + max);
        }

        private Instant instant(String column) {
            String text = text(column, true);
            try {
                return parseInstant(text);
            } catch (DateTimeException e) {
                throw bad(column, "'" + text + "' is not a UTC time such as 2024-05-01T12:00:00Z");
            }
        }

        private String reason() {
            String text = text("reason", true);
            try {
                return ArchiveReason.fromCsv(text).csvValue();
            } catch (IllegalArgumentException e) {
                throw bad("reason", e.getMessage());
            }
        }
    }

    /** The table's columns, filled row by row. */
    private static final class Columns {
        final StringColumn topic = StringColumn.create("topic");
        final IntColumn partition = IntColumn.create("partition");
        final LongColumn offset = LongColumn.create("offset");
        final InstantColumn timestamp = InstantColumn.create("timestamp");
        final StringColumn key = StringColumn.create("key");
        final StringColumn value;
        final IntColumn bytes = IntColumn.create("bytes");
        final StringColumn reason = StringColumn.create("reason");
        final InstantColumn archivedAt = InstantColumn.create("archived_at");

        Columns(boolean withValues) {
            value = withValues ? StringColumn.create("value") : null;
        }

        void add(String topicName, int partitionNumber, long offsetNumber, Instant time, String keyText,
                 String valueText, String why, Instant archived) {
            topic.append(topicName);
            partition.append(partitionNumber);
            offset.append(offsetNumber);
            timestamp.append(time);
            key.append(keyText);
            if (value != null) {
                value.append(valueText);
            }
            bytes.append(utf8Length(keyText) + utf8Length(valueText));
            reason.append(why);
            archivedAt.append(archived);
        }

        long rows() {
            return topic.size();
        }

        Table table(String name) {
            Table table = Table.create(name, topic, partition, offset, timestamp, key, bytes, reason, archivedAt);
            if (value != null) {
                table.insertColumn(5, value);
            }
            return table;
        }
    }

    /**
     * A UTC time as the archive writes it (2026-11-23T12:00:00Z, maybe with a fraction of a second), read
     * without a formatter: two of these a row made Instant.parse most of a read's time. Anything else is
     * left to Instant.parse, which accepts or refuses it.
     */
    static Instant parseInstant(String text) {
        int n = text.length();
        if (n < 20 || n > 30 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(n - 1) != 'Z'
                || (n > 20 && (text.charAt(19) != '.' || n == 21))) {
            return Instant.parse(text);
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int nanos = 0;
        if (n > 20) {
            nanos = digits(text, 20, n - 1);
            for (int i = n - 1 - 20; i < 9; i++) {
                nanos *= 10;
            }
        }
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
                || second > 59 || nanos < 0) {
            return Instant.parse(text); // refuses it with the JDK's own words
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The decimal number in text[from, to), or -1 if any character there is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** A string's size in UTF-8 without encoding it. */
    static int utf8Length(String text) {
        if (text == null) {
            return 0;
        }
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}

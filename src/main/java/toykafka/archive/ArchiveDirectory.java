package toykafka.archive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import toykafka.common.Directories;

/**
 * The broker's archive: a folder of CSV files laid out the way a data lake lays out tables, so a reader
 * that wants one topic or one day opens only those files.
 * <pre>
 * archive/topic=orders/partition=1/date=2026-11-23/00000000000000000400-00000000000000000799.csv
 * </pre>
 * The {@code key=value} folder names are the "Hive-style" partitioning that Spark, Trino and DuckDB read as
 * columns. The date is the UTC day of the records' own timestamps, and the file name the first and last
 * offset it holds. Every file has the archive's header and schema ({@link ArchivedEvent}).
 * <p>
 * A file is written whole beside its final name, forced to disk, then renamed into place: a crash leaves
 * either the whole file or none of it, never a partial row. Archiving the same records again (after a crash
 * between archiving and deleting) writes the same name and keeps the file already there rather than adding a
 * copy. Offsets start again at 0 in a topic deleted and created again, so each incarnation after the first
 * carries its number in the name ({@code ...-00000000000000000799.i2.csv}), as Kafka tells incarnations apart by
 * topic id; and a file is never overwritten by different rows: those get a name of their own ({@code ~2}).
 */
public final class ArchiveDirectory implements Archive {

    /** Topic names as Kafka allows them, so none can name a folder outside the archive. */
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final String UNFINISHED = ".unfinished";
    /** The hidden file in a topic's folder that counts the topic's deletions: its incarnation number. */
    private static final String INCARNATION = ".incarnation";

    private final Path root;
    private final Map<String, Long> incarnations = new HashMap<>();

    public ArchiveDirectory(Path root) {
        this.root = Objects.requireNonNull(root, "an archive needs a folder to write to");
    }

    public Path root() {
        return root;
    }

    // tag::append[]
    @Override
    public synchronized void append(List<ArchivedEvent> rows) {
        if (rows.isEmpty()) {
            return;
        }
        Map<Path, List<ArchivedEvent>> byFolder = new LinkedHashMap<>();
        for (ArchivedEvent row : rows) {
            byFolder.computeIfAbsent(folderOf(row), folder -> new ArrayList<>()).add(row);
        }
        try {
            for (Map.Entry<Path, List<ArchivedEvent>> folder : byFolder.entrySet()) {
                writeWhole(folder.getKey(), label(folder.getValue().get(0).topic()), folder.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot archive " + rows.size() + " row(s) under " + root + ": "
                    + e.getMessage() + "; the events stay in the log", e);
        }
    }

    /** topic=T/partition=P/date=D: the columns a reader filters on, as folders. */
    Path folderOf(ArchivedEvent row) {
        if (!SAFE_NAME.matcher(row.topic()).matches() || row.topic().matches("\\.+")) {
            throw new IllegalArgumentException("cannot archive topic '" + row.topic() + "': an archived topic's name"
                    + " is made of letters, digits, '.', '_' and '-', as Kafka's are; nothing was written");
        }
        LocalDate day = LocalDate.ofInstant(row.timestamp(), ZoneOffset.UTC);
        return root.resolve("topic=" + row.topic()).resolve("partition=" + row.partition()).resolve("date=" + day);
    }

    private static void writeWhole(Path folder, String label, List<ArchivedEvent> rows) throws IOException {
        Files.createDirectories(folder);
        long first = rows.stream().mapToLong(ArchivedEvent::offset).min().orElseThrow();
        long last = rows.stream().mapToLong(ArchivedEvent::offset).max().orElseThrow();
        String name = String.format("%020d-%020d", first, last) + label;
        Path file = folder.resolve(name + ".csv");
        Path unfinished = folder.resolve("." + file.getFileName() + UNFINISHED);
        try (FileChannel channel = FileChannel.open(unfinished, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            Writer text = Channels.newWriter(channel, StandardCharsets.UTF_8);
            text.write(CsvArchive.HEADER + "\n");
            CsvArchive.ROW_WRITER.writeValues(text).writeAll(rows).flush();
            channel.force(true);
        }
        for (int copy = 2; Files.exists(file); copy++) {
            if (sameRows(CsvArchive.read(file), rows)) {
                Files.delete(unfinished); // archived before a crash: the rows are there already
                return;
            }
            file = folder.resolve(name + "~" + copy + ".csv"); // other rows under this name: never overwrite them
        }
        Files.move(unfinished, file, StandardCopyOption.ATOMIC_MOVE);
        Directories.syncDirectory(folder); // makes the rename durable
    }
    // end::append[]

    /** The same events, whenever each was archived. */
    private static boolean sameRows(List<ArchivedEvent> stored, List<ArchivedEvent> rows) {
        if (stored.size() != rows.size()) {
            return false;
        }
        for (int i = 0; i < rows.size(); i++) {
            ArchivedEvent row = rows.get(i);
            if (!stored.get(i).equals(new ArchivedEvent(row.topic(), row.partition(), row.offset(), row.timestamp(),
                    row.key(), row.value(), row.reason(), stored.get(i).archivedAt()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Marks the end of a topic's incarnation, before its data goes: a topic created again under the name
     * starts at offset 0, and its files must not take the old ones' names. Durable before it returns.
     */
    public synchronized void topicDeleted(String topic) {
        long next = incarnation(topic) + 1;
        Path folder = root.resolve("topic=" + topic);
        try {
            Files.createDirectories(folder);
            Path file = folder.resolve(INCARNATION);
            Path unfinished = folder.resolve(INCARNATION + UNFINISHED);
            Files.writeString(unfinished, next + "\n");
            try (FileChannel channel = FileChannel.open(unfinished, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(unfinished, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Directories.syncDirectory(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record in " + folder + " that topic '" + topic + "' is deleted: "
                    + e.getMessage() + "; the topic was not deleted", e);
        }
        incarnations.put(topic, next);
    }

    /** What a file name of the topic's current incarnation carries: nothing for the first, {@code .iN} after. */
    private String label(String topic) {
        long incarnation = incarnation(topic);
        return incarnation == 0 ? "" : ".i" + (incarnation + 1);
    }

    /** How many times the topic was deleted: 0 for the first incarnation. */
    private long incarnation(String topic) {
        Long known = incarnations.get(topic);
        if (known != null) {
            return known;
        }
        Path file = root.resolve("topic=" + topic).resolve(INCARNATION);
        long stored = 0;
        try {
            if (Files.exists(file)) {
                stored = Long.parseLong(Files.readString(file).trim());
            }
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read " + file + ", the number of times topic '" + topic
                    + "' was deleted: " + e.getMessage() + "; nothing was archived", e);
        }
        incarnations.put(topic, stored);
        return stored;
    }


    /** Deletes the half-written files a crash left behind; their rows are still in the log. Returns how many. */
    public int removeUnfinished() {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> leftovers = files.filter(f -> f.getFileName().toString().endsWith(UNFINISHED)).toList();
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
            }
            return leftovers.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear unfinished files under " + root + ": " + e.getMessage(), e);
        }
    }

    /** True for a file name a reader should skip: half-written, hidden, or not CSV. */
    static boolean isUnfinishedOrHidden(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(".") || !name.endsWith(".csv");
    }

    @Override
    public String toString() {
        return "ArchiveDirectory[" + root + "]";
    }
}

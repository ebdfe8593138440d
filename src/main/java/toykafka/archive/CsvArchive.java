package toykafka.archive;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import toykafka.common.Directories;

/**
 * The archive as a CSV file: a header line once, then one row per event, appended.
 * <p>
 * Values keep commas, quotes, line breaks and any Unicode text exactly. A null key or value (a
 * tombstone's) is written as an empty unquoted field, an empty string as {@code ""}, so the two
 * read back apart.
 */
public final class CsvArchive implements Archive {

    private static final CsvMapper MAPPER = CsvMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(CsvGenerator.Feature.ALWAYS_QUOTE_EMPTY_STRINGS)
            .enable(CsvParser.Feature.EMPTY_UNQUOTED_STRING_AS_NULL)
            .build();
    private static final CsvSchema SCHEMA = MAPPER.schemaFor(ArchivedEvent.class);
    /** The header line, as written at the top of every archive file. */
    public static final String HEADER = String.join(",", SCHEMA.getColumnNames());

    static final ObjectWriter ROW_WRITER = MAPPER.writer(SCHEMA.withoutHeader());
    private static final ObjectReader READER = MAPPER.readerFor(ArchivedEvent.class).with(SCHEMA.withHeader());

    private final Path file;

    public CsvArchive(Path file) {
        this.file = Objects.requireNonNull(file, "an archive needs a file to write to");
    }

    public Path file() {
        return file;
    }

    // tag::append[]
    @Override
    public synchronized void append(List<ArchivedEvent> rows) {
        if (rows.isEmpty()) {
            return;
        }
        try {
            boolean fresh = !Files.exists(file) || Files.size(file) == 0;
            if (!fresh) {
                checkHeaderAndEnding();
            }
            String text = (fresh ? HEADER + "\n" : "") + ROW_WRITER.writeValueAsString(rows);
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            // One write, then force: when this returns the rows are on disk and the log may forget them.
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                long sizeBefore = channel.size();
                try {
                    ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                    while (bytes.hasRemaining()) {
                        channel.write(bytes, sizeBefore + bytes.position());
                    }
                    channel.force(true);
                } catch (IOException e) {
                    // Cut off what was written, so the file holds whole rows only and the retry does not repeat them.
                    channel.truncate(sizeBefore);
                    throw e;
                }
            }
            if (fresh) {
                Directories.syncDirectory(file.toAbsolutePath().getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append " + rows.size() + " row(s) to the archive " + file
                    + ": " + e.getMessage() + "; the events stay in the log", e);
        }
    }
    // end::append[]

    /** Refuses to append to a file that is not an archive, or whose last row was cut off. */
    private void checkHeaderAndEnding() throws IOException {
        try (RandomAccessFile existing = new RandomAccessFile(file.toFile(), "r")) {
            String firstLine = existing.readLine();
            if (!HEADER.equals(firstLine)) {
                throw new IllegalStateException(file + " is not a toykafka archive: its first line is '" + firstLine
                        + "', expected '" + HEADER + "'; nothing was written");
            }
            existing.seek(existing.length() - 1);
            if (existing.read() != '\n') {
                throw new IllegalStateException(file + " ends in a partial row (an earlier write was cut off at byte "
                        + existing.length() + "); repair or move the file; nothing was written");
            }
        }
    }

    @Override
    public String toString() {
        return "CsvArchive[" + file + "]";
    }

    /** Reads every row of an archive file back. */
    public static List<ArchivedEvent> read(Path file) {
        try (MappingIterator<ArchivedEvent> rows = READER.readValues(file.toFile())) {
            return rows.readAll();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the archive " + file + ": " + e.getMessage(), e);
        }
    }
}

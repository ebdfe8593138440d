package toykafka.archive;

import static tech.tablesaw.api.ColumnType.INSTANT;
import static tech.tablesaw.api.ColumnType.INTEGER;
import static tech.tablesaw.api.ColumnType.LONG;
import static tech.tablesaw.api.ColumnType.STRING;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * Loads a CSV archive into a Tablesaw table, with each column's type stated rather than guessed.
 * <p>
 * A Tablesaw string column has one "missing" value, the empty string, so a null key or value (a
 * tombstone's) and an empty one look the same in the table. {@link CsvArchive#read} keeps them apart.
 */
public final class ArchiveTable {

    // tag::types[]
    /** One type per column of {@link ArchivedEvent}, in the file's order. */
    static final ColumnType[] COLUMN_TYPES = {
        STRING,   // topic
        INTEGER,  // partition
        LONG,     // offset
        INSTANT,  // timestamp
        STRING,   // key
        STRING,   // value
        STRING,   // reason
        INSTANT,  // archived_at
    };
    // end::types[]

    private ArchiveTable() {
    }

    /** Loads an archive file; refuses a missing file, or one whose first line is not the archive's header. */
    public static Table read(Path file) {
        requireArchive(file);
        CsvReadOptions options = CsvReadOptions.builder(file.toFile())
                .tableName(file.getFileName().toString())
                .columnTypes(COLUMN_TYPES)
                // Only an empty field is missing: an order may well say "NA" or "null" and mean it.
                .missingValueIndicator("")
                .build();
        try {
            return Table.read().usingOptions(options);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot load the archive " + file + " into a table: " + e.getMessage(), e);
        }
    }

    private static void requireArchive(Path file) {
        Objects.requireNonNull(file, "an archive file is needed");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("cannot load the archive " + file + ": "
                    + (Files.exists(file) ? "it is not a file" : "there is no such file"));
        }
        String firstLine;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            firstLine = reader.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the archive " + file + ": " + e.getMessage(), e);
        }
        if (!CsvArchive.HEADER.equals(firstLine)) {
            throw new IllegalArgumentException(file + " is not a toykafka archive: its first line is "
                    + (firstLine == null ? "missing (the file is empty)" : "'" + firstLine + "'")
                    + ", and an archive's is '" + CsvArchive.HEADER + "'");
        }
    }

}

package toykafka.archive;

import static tech.tablesaw.api.ColumnType.INSTANT;
import static tech.tablesaw.api.ColumnType.INTEGER;
import static tech.tablesaw.api.ColumnType.LONG;
import static tech.tablesaw.api.ColumnType.STRING;

import java.nio.file.Path;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/** Loads a CSV archive into a Tablesaw table, with each column's type stated rather than guessed. */
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

    public static Table read(Path file) {
        CsvReadOptions options = CsvReadOptions.builder(file.toFile())
                .tableName(file.getFileName().toString())
                .columnTypes(COLUMN_TYPES)
                .build();
        try {
            return Table.read().usingOptions(options);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot load the archive " + file + " into a table: " + e.getMessage(), e);
        }
    }

}

package toykafka.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CsvArchiveTest {

    private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");

    @TempDir
    Path folder;

    private static ArchivedEvent row(long offset, String key, String value) {
        return new ArchivedEvent("orders", 0, offset, T0.plusSeconds(offset), key, value, ArchiveReason.RETENTION,
                T0.plusSeconds(3600));
    }

    @Test
    void awkward_values_round_trip_exactly() {
        List<ArchivedEvent> rows = List.of(
                row(0, "till-1", "cod, chips"),
                row(1, "till-\"2\"", "she said \"large\""),
                row(2, "multi\nline", "first line\nsecond line\r\nthird"),
                row(3, "café", "crème brûlée, 鱼和薯条, 🐟"),
                row(4, null, "no key"),
                row(5, "", "empty key is not a missing key"),
                row(6, "tombstone", null),
                row(7, "k", ""),
                row(8, " padded ", "  spaces kept  "));
        CsvArchive archive = new CsvArchive(folder.resolve("archive.csv"));
        archive.append(rows);
        assertEquals(rows, CsvArchive.read(archive.file()));
    }

    @Test
    void the_header_is_written_once_however_many_appends() throws IOException {
        CsvArchive archive = new CsvArchive(folder.resolve("sub/dir/archive.csv"));
        archive.append(List.of(row(0, "a", "1")));
        archive.append(List.of(row(1, "b", "2"), row(2, "c", "3")));
        List<String> lines = Files.readAllLines(archive.file());
        assertEquals(CsvArchive.HEADER, lines.get(0));
        assertEquals("topic,partition,offset,timestamp,key,value,reason,archived_at", CsvArchive.HEADER);
        assertEquals(1, lines.stream().filter(CsvArchive.HEADER::equals).count());
        assertEquals(4, lines.size());
        assertEquals("orders,0,0,2024-05-01T12:00:00Z,a,1,retention,2024-05-01T13:00:00Z", lines.get(1));
        assertEquals(3, CsvArchive.read(archive.file()).size());
    }

    @Test
    void a_file_that_is_not_an_archive_is_refused_and_left_alone() throws IOException {
        Path file = folder.resolve("notes.csv");
        Files.writeString(file, "name,age\nada,36\n");
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> new CsvArchive(file).append(List.of(row(0, "a", "1"))));
        assertEquals(file + " is not a toykafka archive: its first line is 'name,age', expected '"
                + CsvArchive.HEADER + "'; nothing was written", error.getMessage());
        assertEquals("name,age\nada,36\n", Files.readString(file));
    }

    @Test
    void an_archive_whose_last_row_was_cut_off_is_refused() throws IOException {
        CsvArchive archive = new CsvArchive(folder.resolve("archive.csv"));
        archive.append(List.of(row(0, "a", "1")));
        Files.writeString(archive.file(), "orders,0,1,2024", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        long size = Files.size(archive.file());
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> archive.append(List.of(row(2, "c", "3"))));
        assertTrue(error.getMessage().contains("ends in a partial row"), error.getMessage());
        assertEquals(size, Files.size(archive.file()), "nothing was written");
    }

    @Test
    void an_unknown_reason_in_a_file_is_named_when_reading() throws IOException {
        Path file = folder.resolve("archive.csv");
        Files.writeString(file, CsvArchive.HEADER + "\norders,0,0,2024-05-01T12:00:00Z,a,1,lost,2024-05-01T13:00:00Z\n");
        Exception error = assertThrows(RuntimeException.class, () -> CsvArchive.read(file));
        assertTrue(error.getMessage().contains("unknown archive reason 'lost'"), error.getMessage());
    }

    @Test
    void tablesaw_keeps_values_that_look_like_missing_markers() {
        CsvArchive archive = new CsvArchive(folder.resolve("archive.csv"));
        archive.append(List.of(row(0, "NA", "null"), row(1, "N/A", "NaN"), row(2, "-", "")));
        Table table = ArchiveTable.read(archive.file());
        assertEquals(List.of("NA", "N/A", "-"), table.stringColumn("key").asList());
        assertEquals(List.of("null", "NaN", ""), table.stringColumn("value").asList());
        assertEquals(1, table.stringColumn("value").countMissing(), "only the empty value is missing");
    }

    @Test
    void tablesaw_reads_the_archive_with_the_stated_column_types() {
        CsvArchive archive = new CsvArchive(folder.resolve("archive.csv"));
        archive.append(List.of(row(0, "a", "cod, chips"), row(1, null, "line\nbreak"), row(2, "c", "3")));
        Table table = ArchiveTable.read(archive.file());
        assertEquals(3, table.rowCount());
        assertEquals(List.of("topic", "partition", "offset", "timestamp", "key", "value", "reason", "archived_at"),
                table.columnNames());
        assertEquals(ColumnType.LONG, table.column("offset").type());
        assertEquals(ColumnType.INSTANT, table.column("timestamp").type());
        assertEquals(T0.plusSeconds(1), table.instantColumn("timestamp").get(1));
        assertEquals("line\nbreak", table.stringColumn("value").get(1));
        assertEquals(3.0, table.longColumn("offset").sum(), "offsets 0 + 1 + 2 read as numbers");
    }
}

package toykafka.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;

/** The broker's archive folder as written and read back: layout, crash safety, pruning, and bad files refused. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ArchiveReaderTest {

    private static final Instant MONDAY = Instant.parse("2026-11-23T23:59:00Z");
    private static final Instant TUESDAY = Instant.parse("2026-11-24T00:01:00Z");

    @TempDir
    Path folder;

    private static ArchivedEvent row(String topic, int partition, long offset, Instant timestamp, String value) {
        return new ArchivedEvent(topic, partition, offset, timestamp, "k" + offset, value, ArchiveReason.RETENTION,
                TUESDAY.plusSeconds(3600));
    }

    private List<String> filesUnder(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(f -> root.relativize(f).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }

    @Test
    void rows_are_laid_out_by_topic_partition_and_day_and_named_by_their_offsets() throws IOException {
        ArchiveDirectory archive = new ArchiveDirectory(folder);
        archive.append(List.of(row("orders", 1, 7, MONDAY, "cod"), row("orders", 1, 8, TUESDAY, "chips"),
                row("orders", 1, 9, TUESDAY, "peas"), row("payments", 0, 0, MONDAY, "£4")));
        assertEquals(List.of(
                "topic=orders/partition=1/date=2026-11-23/00000000000000000007-00000000000000000007.csv",
                "topic=orders/partition=1/date=2026-11-24/00000000000000000008-00000000000000000009.csv",
                "topic=payments/partition=0/date=2026-11-23/00000000000000000000-00000000000000000000.csv"),
                filesUnder(folder));
        Path tuesday = folder.resolve("topic=orders/partition=1/date=2026-11-24/00000000000000000008-00000000000000000009.csv");
        assertEquals(CsvArchive.HEADER, Files.readAllLines(tuesday).get(0), "every file has the archive's header");
    }

    @Test
    void values_round_trip_exactly_and_bytes_count_utf8() {
        List<ArchivedEvent> awkward = List.of(
                row("orders", 0, 0, MONDAY, "cod, chips"),
                row("orders", 0, 1, MONDAY, "she said \"large\""),
                row("orders", 0, 2, MONDAY, "two\nlines"),
                row("orders", 0, 3, MONDAY, "鱼和薯条 🐟"),
                row("orders", 0, 4, MONDAY, ""));
        new ArchiveDirectory(folder).append(awkward);
        Table table = ArchiveReader.of(folder).withValues().read();
        assertEquals(awkward.stream().map(ArchivedEvent::value).toList(), table.stringColumn("value").asList());
        assertEquals(List.of(2 + 10, 2 + 16, 2 + 9, 2 + 17, 2), table.intColumn("bytes").asList());
        assertEquals(ColumnType.INSTANT, table.column("timestamp").type());
        assertEquals(ColumnType.LONG, table.column("offset").type());
        assertEquals(ColumnType.INTEGER, table.column("partition").type());
    }

    @Test
    void without_values_the_table_has_the_documented_columns() {
        new ArchiveDirectory(folder).append(List.of(row("orders", 0, 0, MONDAY, "cod")));
        assertEquals(ArchiveReader.COLUMNS, ArchiveReader.of(folder).read().columnNames());
    }

    @Test
    void a_topic_or_a_time_range_opens_only_the_folders_that_can_hold_it() {
        new ArchiveDirectory(folder).append(List.of(row("orders", 1, 7, MONDAY, "cod"), row("orders", 1, 8, TUESDAY,
                "chips"), row("payments", 0, 0, MONDAY, "£4")));
        assertEquals(1, ArchiveReader.of(folder).topics("payments").files().size());
        assertEquals(1, ArchiveReader.of(folder).topics("orders").from(TUESDAY).files().size(), "Monday's folder is skipped");
        Instant tuesdayMidnight = Instant.parse("2026-11-24T00:00:00Z");
        assertEquals(2, ArchiveReader.of(folder).until(tuesdayMidnight).files().size(), "Tuesday's folder is skipped");
        Table tuesdayOrders = ArchiveReader.of(folder).topics("orders").from(TUESDAY).read();
        assertEquals(List.of(8L), tuesdayOrders.longColumn("offset").asList());
        Table beforeTuesday = ArchiveReader.of(folder).until(tuesdayMidnight).read();
        assertEquals(List.of("orders", "payments"), beforeTuesday.stringColumn("topic").asList());
    }

    @Test
    void archiving_the_same_records_again_replaces_their_file_rather_than_adding_a_copy() throws IOException {
        ArchiveDirectory archive = new ArchiveDirectory(folder);
        List<ArchivedEvent> rows = List.of(row("orders", 0, 0, MONDAY, "cod"), row("orders", 0, 1, MONDAY, "chips"));
        archive.append(rows);
        archive.append(rows);
        assertEquals(1, filesUnder(folder).size());
        assertEquals(2, ArchiveReader.of(folder).read().rowCount());
    }

    @Test
    void records_archived_twice_in_different_chunks_are_read_once() {
        ArchiveDirectory archive = new ArchiveDirectory(folder);
        List<ArchivedEvent> all = new ArrayList<>();
        for (long offset = 0; offset < 10; offset++) {
            all.add(row("orders", 0, offset, MONDAY, "order " + offset));
        }
        archive.append(all.subList(0, 6));   // archived, then a crash before the segment was deleted
        archive.append(all.subList(0, 4));   // after the restart: archived again, in other chunks
        archive.append(all.subList(4, 10));
        Table table = ArchiveReader.of(folder).read();
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), table.longColumn("offset").asList().stream().sorted().toList());
    }

    @Test
    void a_file_cut_off_by_a_crash_is_never_read_and_is_cleared_at_the_next_start() throws IOException {
        ArchiveDirectory archive = new ArchiveDirectory(folder);
        archive.append(List.of(row("orders", 0, 0, MONDAY, "cod")));
        Path day = folder.resolve("topic=orders/partition=0/date=2026-11-23");
        Path unfinished = day.resolve(".00000000000000000001-00000000000000000001.csv.unfinished");
        Files.writeString(unfinished, CsvArchive.HEADER + "\norders,0,1,2026-11-23T23:5");
        assertEquals(1, ArchiveReader.of(folder).read().rowCount());
        assertEquals(1, archive.removeUnfinished());
        assertFalse(Files.exists(unfinished));
    }

    @Test
    void a_topic_name_that_would_leave_the_archive_folder_is_refused_and_nothing_is_written() throws IOException {
        ArchiveDirectory archive = new ArchiveDirectory(folder.resolve("archive"));
        for (String name : List.of("../escape", "..", "a/b")) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> archive.append(List.of(row("orders", 0, 0, MONDAY, "ok"), row(name, 0, 0, MONDAY, "no"))));
            assertTrue(refused.getMessage().contains(name), refused.getMessage());
        }
        assertEquals(List.of(), filesUnder(folder));
    }

    @Test
    void lesson_3s_single_archive_file_reads_the_same_way() {
        CsvArchive single = new CsvArchive(folder.resolve("03-orders-archive.csv"));
        single.append(List.of(row("orders", 0, 0, MONDAY, "cod"), row("orders", 0, 1, MONDAY, "chips")));
        assertEquals(2, ArchiveReader.of(single.file()).read().rowCount());
    }

    @Test
    void progress_is_heard_at_the_end_of_every_file() {
        new ArchiveDirectory(folder).append(List.of(row("orders", 1, 7, MONDAY, "cod"), row("payments", 0, 0, MONDAY, "£4")));
        List<String> heard = new ArrayList<>();
        ArchiveReader.of(folder).onProgress((rows, bytes, total, done, files) -> heard.add(rows + " rows, file " + done
                + " of " + files + (bytes == total ? ", every byte" : ""))).read();
        assertEquals(List.of("1 rows, file 1 of 2", "2 rows, file 2 of 2, every byte"), heard);
    }

    @ParameterizedTest
    @CsvSource({"2026-11-23T12:00:00Z", "2026-11-23T12:00:00.5Z", "2026-11-23T12:00:00.120Z",
        "2026-11-23T12:00:00.123456789Z", "1969-12-31T23:59:59Z", "2024-02-29T00:00:00Z", "+12026-11-23T12:00:00Z"})
    void times_read_exactly_as_the_jdk_reads_them(String text) {
        assertEquals(Instant.parse(text), ArchiveReader.parseInstant(text));
    }

    @ParameterizedTest
    @CsvSource({"2026-02-30T00:00:00Z", "2026-11-23T12:60:00Z", "2026-11-23T12:00:61Z",
        "2026-11-23 12:00:00Z", "2026-1x-23T12:00:00Z"})
    void impossible_times_are_refused(String text) {
        assertThrows(java.time.DateTimeException.class, () -> ArchiveReader.parseInstant(text));
    }

    // Bad input: one line that names the file, the row and the column, and no table.

    @Test
    void a_missing_path_is_named() {
        Path missing = folder.resolve("nowhere");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ArchiveReader.of(missing).read());
        assertEquals("cannot read the archive " + missing + ": there is no such file or folder", refused.getMessage());
    }

    @Test
    void an_empty_folder_says_where_archives_come_from() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ArchiveReader.of(folder).read());
        assertTrue(refused.getMessage().startsWith("the folder " + folder + " holds no archive files (*.csv)"),
                refused.getMessage());
    }

    @Test
    void a_file_that_is_not_an_archive_is_named_with_its_first_line() throws IOException {
        Path orders = Files.writeString(folder.resolve("orders.csv"), "till,item\n1,cod\n");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ArchiveReader.of(orders).read());
        assertEquals(orders + " is not a toykafka archive: its first line is 'till,item', and an archive's is '"
                + CsvArchive.HEADER + "'", refused.getMessage());
        Path empty = Files.writeString(folder.resolve("empty.csv"), "");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ArchiveReader.of(empty).read()).getMessage()
                .startsWith(empty + " is not a toykafka archive: it is empty"));
    }

    @Test
    void a_row_with_the_wrong_number_of_columns_is_named_by_row_and_line() throws IOException {
        Path file = Files.writeString(folder.resolve("short.csv"), CsvArchive.HEADER + "\n"
                + "orders,0,0,2026-11-23T12:00:00Z,k,\"two\nlines\",retention,2026-11-23T13:00:00Z\n"
                + "orders,0,1,2026-11-23T12:00:00Z,k,v,retention\n");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ArchiveReader.of(file).read());
        assertEquals(file + ": row 2 (line 4) has 7 column(s); an archive row has 8: topic, partition, offset,"
                + " timestamp, key, value, reason, archived_at", refused.getMessage());
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
        "partition|orders,-1,0,2026-11-23T12:00:00Z,k,v,retention,2026-11-23T13:00:00Z|'-1' is not a whole number from 0 to 2147483647",
        "partition|orders,one,0,2026-11-23T12:00:00Z,k,v,retention,2026-11-23T13:00:00Z|'one' is not a whole number from 0 to 2147483647",
        "offset|orders,0,1.5,2026-11-23T12:00:00Z,k,v,retention,2026-11-23T13:00:00Z|'1.5' is not a whole number from 0 to 9223372036854775807",
        "timestamp|orders,0,0,yesterday,k,v,retention,2026-11-23T13:00:00Z|'yesterday' is not a UTC time such as 2024-05-01T12:00:00Z",
        "reason|orders,0,0,2026-11-23T12:00:00Z,k,v,deleted,2026-11-23T13:00:00Z|unknown archive reason 'deleted': expected one of retention, archive, compaction",
        "archived_at|orders,0,0,2026-11-23T12:00:00Z,k,v,retention,|is empty, and every archive row names its archived_at",
        "topic|,0,0,2026-11-23T12:00:00Z,k,v,retention,2026-11-23T13:00:00Z|is empty, and every archive row names its topic",
    })
    void a_field_of_the_wrong_type_is_named_by_file_row_and_column(String column, String badRow, String problem)
            throws IOException {
        Path file = Files.writeString(folder.resolve("bad.csv"), CsvArchive.HEADER + "\n"
                + "orders,0,0,2026-11-23T12:00:00Z,k,v,retention,2026-11-23T13:00:00Z\n" + badRow + "\n");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ArchiveReader.of(file).read());
        assertEquals(file + ": row 2 (line 3), column " + column + ": " + problem, refused.getMessage());
    }
}

package toykafka.lesson03;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;
import toykafka.archive.ArchiveTable;
import toykafka.archive.ArchivedEvent;
import toykafka.archive.CsvArchive;
import toykafka.clock.ManualClock;
import toykafka.data.Order;
import toykafka.data.SampleOrders;

/** The bounded log spilling real orders to a real CSV file, read back by Jackson and by Tablesaw. */
class BoundedLogCsvTest {

    @TempDir
    Path folder;

    @Test
    void spilled_orders_read_back_exactly_with_jackson_and_tablesaw() {
        ManualClock clock = new ManualClock(Instant.parse("2024-05-01T11:30:00Z"));
        CsvArchive archive = new CsvArchive(folder.resolve("orders-archive.csv"));
        BoundedLog<String> log = new BoundedLog<>("orders", Retention.byCount(20, 10), clock, archive);
        List<String> sent = SampleOrders.generate(45).stream().map(Order::toJson).toList();
        for (String order : sent) {
            log.append(order);
            clock.advance(Duration.ofMinutes(1));
        }
        log.append("note, with \"quotes\"\nand a second line: café");

        List<ArchivedEvent> rows = CsvArchive.read(archive.file());
        assertEquals(log.earliest(), rows.size(), "every offset before the log start offset is in the file");
        for (ArchivedEvent row : rows) {
            assertEquals(sent.get((int) row.offset()), row.value(), "offset " + row.offset());
        }
        log.archiveBefore(log.endOffset());
        List<ArchivedEvent> all = CsvArchive.read(archive.file());
        assertEquals("note, with \"quotes\"\nand a second line: café", all.get(all.size() - 1).value());

        Table table = ArchiveTable.read(archive.file());
        assertEquals(46, table.rowCount());
        assertEquals(30, table.stringColumn("reason").isEqualTo("retention").size());
        assertEquals(16, table.stringColumn("reason").isEqualTo("archive").size());
    }
}

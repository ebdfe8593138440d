package toykafka.lesson03;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import tech.tablesaw.api.Table;
import toykafka.archive.ArchiveTable;
import toykafka.archive.CsvArchive;
import toykafka.clock.ManualClock;
import toykafka.narration.Narrator;
import toykafka.data.Order;
import toykafka.data.SampleOrders;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.lesson02.EventConsumer;
import toykafka.common.OffsetReset;
import toykafka.lesson02.PollingConsumer;

/** Lesson 3, narrated: a log that keeps 20 orders, spills the rest to CSV, and keeps every offset. */
public final class Lesson03Demo {

    /** Where the demo's archive goes; git ignores data/generated. */
    public static final Path ARCHIVE_FILE = Path.of("data", "generated", "03-orders-archive.csv");

    public static void main(String[] args) {
        narrate(Narrator.toStandardOut());
    }

    public static void narrate(Narrator story) {
        narrate(story, ARCHIVE_FILE);
    }

    /** The demo, archiving to {@code archiveFile}: the README's {@code analyse} example reads what it writes. */
    public static void narrate(Narrator story, Path archiveFile) {
        story.title("Lesson 3: the bounded log");
        ManualClock clock = new ManualClock(Instant.parse("2024-05-01T11:30:00Z"));
        CsvArchive archive = new CsvArchive(freshFile(archiveFile));
        BoundedLog<String> log = new BoundedLog<>("orders", Retention.byCount(20, 10).andMaxAge(Duration.ofHours(1)),
                clock, archive);
        List<String> orders = SampleOrders.load().stream().map(Order::toJson).toList();

        story.say("The log keeps at most 20 orders; past that, the oldest 10 move to " + archiveFile + "."
                + " The tills send one order a minute.");
        for (int i = 0; i < 20; i++) {
            log.append(orders.get(i));
            clock.advance(Duration.ofMinutes(1));
        }
        story.show("after 20 orders", log);
        story.predict("what are the earliest offset and the size after the 21st order?");
        story.show("append(21st order)", log.append(orders.get(20)));
        story.show("earliest(), size()", log.earliest() + ", " + log.size());
        story.show("rows in the archive", CsvArchive.read(archive.file()).size());

        story.say("Offsets never change. Offset 12 is now the third element of the queue, and still offset 12.");
        story.show("read(12)", log.read(12));
        try {
            log.read(3);
        } catch (OffsetOutOfRangeException e) {
            story.showRefusal("read(3)", e);
        }

        story.say("A consumer that was at offset 3 has fallen off the front. auto.offset.reset decides.");
        for (OffsetReset reset : OffsetReset.values()) {
            EventConsumer<String> slow = new PollingConsumer<>(log, reset, 2);
            slow.seek(3);
            try {
                story.show("poll() with auto.offset.reset=" + reset.configValue(), slow.poll());
            } catch (OffsetOutOfRangeException e) {
                story.showRefusal("poll() with auto.offset.reset=" + reset.configValue(), e);
            }
        }

        story.say("Retention by age: 55 quiet minutes pass, and the log is asked to expire old ones.");
        clock.advance(Duration.ofMinutes(55));
        story.predict("which orders are now over an hour old?");
        story.show("expireOld()", log.expireOld());
        story.show("log", log);

        story.say("Archiving on request, as Kaf (a small log server the course grew from; see lessons/origins.adoc)"
                + " does it: everything before offset 18 moves out.");
        story.show("archiveBefore(18)", log.archiveBefore(18));
        story.show("read(18)", log.read(18));

        Table table = ArchiveTable.read(archive.file());
        story.say("The archive, read back with Tablesaw: " + table.rowCount() + " rows. How many left, and why:");
        story.out().println(table.xTabCounts("reason").printAll().indent(2).stripTrailing());
    }

    private static Path freshFile(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + file + ": " + e.getMessage(), e);
        }
    }

    private Lesson03Demo() {
    }
}

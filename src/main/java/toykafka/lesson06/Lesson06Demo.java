package toykafka.lesson06;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import toykafka.archive.ArchivedEvent;
import toykafka.archive.CsvArchive;
import toykafka.clock.ManualClock;
import toykafka.narration.Narrator;
import toykafka.common.Record;

/** Lesson 6, narrated: the kitchen's order board as a compacted log, and the table it replays to. */
public final class Lesson06Demo {

    /** Where the tour leaves the records that compaction removed. */
    public static final Path ARCHIVE_FILE = Path.of("data", "generated", "06-order-status-archive.csv");

    public static void main(String[] args) {
        narrate(Narrator.toStandardOut());
    }

    public static void narrate(Narrator story) {
        story.title("Lesson 6: the compacted log");
        ManualClock clock = new ManualClock(Instant.parse("2024-05-01T12:00:00Z"));
        CsvArchive archive = freshArchive();
        CompactedLog log = new TreeMapCompactedLog("order-status", 0, CompactionConfig.segmentsOf(4), clock, archive);

        story.say("The order board: every change of an order's status, keyed by order number. Segments hold 4"
                + " offsets; the newest one, the head, is never compacted. Collected orders get a tombstone.");
        List<String[]> changes = List.of(
                new String[] {"271", "placed"}, new String[] {"272", "placed"}, new String[] {"271", "frying"},
                new String[] {"273", "placed"}, new String[] {"272", "frying"}, new String[] {"271", "ready"},
                new String[] {"273", "frying"}, new String[] {"272", "ready"}, new String[] {"271", null},
                new String[] {"274", "placed"});
        List<Record> stream = changes.stream().map(c -> Record.of(c[0], c[1], clock.instant())).toList();
        stream.forEach(log::append);
        story.show("log", log);
        story.show("dirty ratio (dirty records / records before the head)", ratio(log));

        story.predict("which offsets does compaction remove, and which offsets do the survivors have?");
        story.show("compactIfDirty()", log.compactIfDirty().orElseThrow());
        story.show("log", log);
        story.show("size() (records held) vs endOffset()", log.size() + " vs " + log.endOffset());

        story.say("Offsets never change, so compaction leaves gaps. read(offset) keeps lesson 1's promise for"
                + " offsets the log holds; readFrom(offset) steps over a gap, as a Kafka fetch does.");
        story.show("read(5)", log.read(5));
        try {
            log.read(2);
        } catch (NoSuchElementException e) {
            story.showRefusal("read(2)", e);
        }
        story.show("readFrom(2)", log.readFrom(2).orElseThrow());

        story.say("Table-stream duality: replay the full stream or the compacted log into a table; same table.");
        story.show("table from all 10 changes", Tables.replay(stream));
        story.show("table from the compacted log", Tables.replay(log));

        story.say("Without a key there is nothing to keep the latest of, so the log refuses the record.");
        try {
            log.append(Record.of(null, "cod and chips", clock.instant()));
        } catch (IllegalArgumentException e) {
            story.showRefusal("append(no key)", e);
        }

        story.say("The tombstone for 271 stays for delete.retention (a day) so slow readers still see the delete.");
        for (String[] c : List.of(new String[] {"273", "ready"}, new String[] {"274", "frying"},
                new String[] {"272", null}, new String[] {"275", "placed"})) {
            log.append(Record.of(c[0], c[1], clock.instant()));
        }
        story.show("log", log);
        story.show("dirty ratio", ratio(log));
        story.show("compactIfDirty() at 12:00", log.compactIfDirty().orElseThrow());
        clock.advance(Duration.ofDays(1));
        story.say("A day later nothing new is dirty, so the cleaner would not run; compact() runs it anyway.");
        story.show("compactIfDirty()", log.compactIfDirty());
        story.predict("what does compaction remove now, and why does 7:272=ready stay?");
        story.show("compact()", log.compact());
        story.show("log", log);
        story.show("table from the compacted log", Tables.replay(log));

        List<ArchivedEvent> rows = CsvArchive.read(archive.file());
        story.say("Every removed record went to the CSV archive first, with the reason it left.");
        story.show("archive", ARCHIVE_FILE + ": " + rows.size() + " rows, reasons " + rows.stream()
                .map(row -> row.reason().csvValue()).distinct().toList());
        story.show("first row", CsvArchive.HEADER + " / " + row(rows.get(0)));
    }

    private static String ratio(CompactedLog log) {
        return String.format(java.util.Locale.ROOT, "%.2f (compaction runs from min.cleanable.dirty.ratio %.2f)",
                log.dirtyRatio(), log.config().minCleanableDirtyRatio());
    }

    private static String row(ArchivedEvent row) {
        return String.join(",", row.topic(), String.valueOf(row.partition()), String.valueOf(row.offset()),
                row.timestamp().toString(), row.key(), row.value(), row.reason().csvValue(), row.archivedAt().toString());
    }

    private static CsvArchive freshArchive() {
        try {
            Files.deleteIfExists(ARCHIVE_FILE); // each run tells the same story
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + ARCHIVE_FILE + ": " + e.getMessage(), e);
        }
        return new CsvArchive(ARCHIVE_FILE);
    }

    private Lesson06Demo() {
    }
}

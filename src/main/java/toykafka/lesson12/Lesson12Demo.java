package toykafka.lesson12;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import toykafka.archive.ArchiveDirectory;
import toykafka.archive.ArchiveReader;
import toykafka.clock.ManualClock;
import toykafka.common.OffsetRecord;
import toykafka.common.Record;
import toykafka.common.TopicConfig;
import toykafka.lesson09.FileLog;
import toykafka.lesson08.SegmentInfo;
import toykafka.lesson09.SegmentSwap;
import toykafka.narration.Narrator;
import toykafka.narration.Telling;

/**
 * Lesson 12, narrated: the shop's price list as a compacted log on disk. The prices change all day, so the
 * log grows, while the table it stands for (one price per dish) stays small. The cleaner rewrites the old
 * segments keeping each dish's latest price at its offset; replaying the log before and after cleaning,
 * and after a restart, gives the same price list.
 */
public final class Lesson12Demo {

    private static final Path DATA = Path.of("data", "generated", "12-cleaner");
    private static final String[] DISHES = {"cod", "haddock", "plaice", "scampi", "pie", "saveloy", "fishcake",
        "mushy-peas"};
    private static final TopicConfig PRICES = TopicConfig.of(Map.of(TopicConfig.CLEANUP_POLICY, "compact",
            TopicConfig.SEGMENT_BYTES, "1024", TopicConfig.DELETE_RETENTION_MS, "3600000"));

    private Lesson12Demo() {
    }

    public static void main(String[] args) {
        narrate(Narrator.toStandardOut());
    }

    public static void narrate(Narrator story) {
        Telling.runAfresh(story, 12, "the log cleaner", DATA, () -> tell(story));
    }

    private static void tell(Narrator story) {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-23T11:00:00Z"));
        ArchiveDirectory archive = new ArchiveDirectory(DATA.resolve("archive"));
        Map<String, String> before;
        try (FileLog log = FileLog.open(DATA, "prices", 0, PRICES, clock, archive)) {
            story.say("The price list is a compacted log: each record is a dish (the key) and its price in pence"
                    + " (the value). The prices change all day; a dish taken off the menu gets a tombstone.");
            changePricesAllDay(log, clock);
            List<SegmentInfo> segments = log.segments();
            story.show("records in the log", readAll(log).size());
            story.show("segments", segments.size() + ", the last one active, from offset "
                    + segments.get(segments.size() - 1).baseOffset());
            before = table(log);
            story.show("the price list they add up to", before);
            CleaningPlan plan = CleaningPlan.of(segments, SegmentSwap.cleanedUpTo(log), clock.instant(), PRICES);
            story.show("dirty ratio", String.format("%.2f (min.cleanable.dirty.ratio is %.1f)", plan.dirtyRatio(),
                    PRICES.minCleanableDirtyRatio()));

            story.predict("the cleaner keeps each dish's latest price. How many records stay, and at which offsets?"
                    + " Which segment does it leave alone?");
            LogCleaner cleaner = new LogCleaner(new OffsetMap(1 << 20), archive, clock);
            LogCleaner.Pass pass = cleaner.clean(log, "prices", 0, false);
            story.show("records read and removed", pass.recordsRead() + " read, " + pass.recordsRemoved() + " removed");
            story.show("bytes before and after", pass.bytesBefore() + " -> " + pass.bytesAfter());
            List<OffsetRecord> after = readAll(log);
            story.show("records in the log", after.size());
            story.show("offsets kept", after.stream().map(OffsetRecord::offset).toList());
            story.show("the price list now", table(log));
            story.say("Only each dish's latest price stayed in the rewritten segments, at the offset it always had:"
                    + " a consumer's position still means what it meant. The active segment was left alone, because"
                    + " it is still being written. The removed records went to the archive first:");
            story.show("archived rows, reason compaction", ArchiveReader.of(archive.root()).read().rowCount());
            story.show("a second pass right away", cleaner.clean(log, "prices", 0, false).cleaned()
                    ? "cleaned again" : "nothing dirty enough to clean");
        }
        try (FileLog log = FileLog.open(DATA, "prices", 0, PRICES, clock, archive)) {
            story.show("after a restart, the same price list", table(log).equals(before));
            story.show("cleaned up to (cleaner-offset-checkpoint)", SegmentSwap.cleanedUpTo(log));
        }
    }

    // tag::day[]
    /** Four hundred price changes, a minute apart; pie comes off the menu for the last hundred. */
    private static void changePricesAllDay(FileLog log, ManualClock clock) {
        Random random = new Random(11);
        for (int change = 0; change < 400; change++) {
            String dish = DISHES[random.nextInt(DISHES.length)];
            boolean offTheMenu = dish.equals("pie") && change >= 300;
            String pence = offTheMenu ? null : String.valueOf(250 + 10 * random.nextInt(40));
            log.append(Record.of(dish, pence, clock.instant()));
            clock.advance(Duration.ofMinutes(1));
        }
    }
    // end::day[]

    private static List<OffsetRecord> readAll(FileLog log) {
        List<OffsetRecord> all = new ArrayList<>();
        long offset = log.earliest();
        while (offset < log.endOffset()) {
            List<OffsetRecord> next = log.readBatchWithOffsets(offset, 1000);
            all.addAll(next);
            offset = next.get(next.size() - 1).offset() + 1;
        }
        return all;
    }

    /** Replays the log: each dish's latest price, a tombstone taking it off. */
    private static Map<String, String> table(FileLog log) {
        Map<String, String> prices = new TreeMap<>();
        for (OffsetRecord next : readAll(log)) {
            if (next.record().isTombstone()) {
                prices.remove(next.record().keyText());
            } else {
                prices.put(next.record().keyText(), next.record().valueText());
            }
        }
        return prices;
    }
}

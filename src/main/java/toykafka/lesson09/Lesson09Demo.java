package toykafka.lesson09;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import toykafka.archive.CsvArchive;
import toykafka.clock.ManualClock;
import toykafka.common.Compression;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.TopicConfig;
import toykafka.narration.Narrator;
import toykafka.narration.Telling;

/** Lesson 9, narrated: a clean close and a crash, what opening finds after each, fsyncs shared, and retention. */
public final class Lesson09Demo {

    private static final Path DATA = Path.of("data", "generated", "09-durable-log");
    private static final Path ARCHIVE = Path.of("data", "generated", "09-retention-archive.csv");
    private static final Instant NOON = Instant.parse("2024-03-01T12:00:00Z");
    private static final List<String> ORDERS = List.of("cod", "chips", "haddock", "mushy peas", "plaice",
            "curry sauce", "pie", "scampi", "cod", "chips", "saveloy", "fishcake");
    /** Lesson 8's small segments, an fsync per append (Kafka's flush.messages=1), and an hour's retention. */
    private static final TopicConfig CONFIG = TopicConfig.defaults().with(TopicConfig.SEGMENT_BYTES, 256)
            .with(TopicConfig.INDEX_INTERVAL_BYTES, 100).with(TopicConfig.FLUSH_MESSAGES, 1)
            .with(TopicConfig.RETENTION_MS, Duration.ofHours(1).toMillis());

    public static void main(String[] args) {
        narrate(Narrator.toStandardOut());
    }

    public static void narrate(Narrator story) {
        Telling.runAfresh(story, 9, "the durable log", DATA, () -> tell(story));
    }

    private static void tell(Narrator story) throws IOException {
        Files.deleteIfExists(ARCHIVE);
        ManualClock clock = new ManualClock(NOON.plus(Duration.ofMinutes(12)));
        FileLog log = open(clock);

        story.say("The tills append twelve orders to a FileLog. Each append waits for its fsync: flush.messages=1.");
        for (int i = 0; i < ORDERS.size(); i++) {
            log.append(order(i % 3 + 1, ORDERS.get(i), i));
        }
        story.show("log", log);
        story.show("fsyncs()", log.fsyncs());
        story.show("files", files(log.directory()));

        story.say("A clean close flushes, writes the recovery point and leaves the clean-shutdown marker.");
        log.close();
        story.show("files after close", files(log.directory()));
        story.predict("the marker is there. How many records does opening the log read?");
        log = open(clock);
        story.show("recoveryReport()", log.recoveryReport());

        story.say("Retention deletes whole segments, oldest first, once their newest record is older than"
                + " retention.ms (an hour here), archiving their records before it deletes them.");
        clock.advance(Duration.ofMinutes(55));
        story.predict("it is now 13:07. Which segments go, and where does the log start afterwards?");
        log.applyRetention().forEach(segment -> story.show("deleted", segment));
        story.show("earliest()", log.earliest());
        story.show("rows in " + ARCHIVE.getFileName(), CsvArchive.read(ARCHIVE).size());

        story.say("The process dies in the middle of a write: only half of the next record reaches the file.");
        log.simulateCrash();
        Path active = log.directory().resolve(log.segments().get(log.segments().size() - 1).name());
        ByteBuffer batch = RecordBatch.of(List.of(order(1, "rock salmon", 12)), 12, Compression.NONE).buffer();
        byte[] half = new byte[batch.limit() / 2];
        batch.get(half);
        Files.write(active, half, StandardOpenOption.APPEND);
        story.predict("there was no clean shutdown. What does opening the log do with the half record?");
        FileLog recovered = open(clock);
        story.show("recoveryReport()", recovered.recoveryReport());
        story.show("append(rock salmon)", recovered.append(order(1, "rock salmon", 12)));
        story.show("read(-1)", recovered.read(-1));

        story.say("A second log on the same directory would write over the first one's files: the .lock refuses it.");
        try {
            open(clock);
        } catch (RuntimeException e) {
            story.showRefusal("open(orders-0) again", e);
        }
        recovered.close();
    }

    private static FileLog open(ManualClock clock) {
        return FileLog.open(DATA, "orders", 0, CONFIG, clock, new CsvArchive(ARCHIVE));
    }

    private static Record order(int till, String food, int minute) {
        return Record.of("till-" + till, food, NOON.plus(Duration.ofMinutes(minute)));
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    private Lesson09Demo() {
    }
}

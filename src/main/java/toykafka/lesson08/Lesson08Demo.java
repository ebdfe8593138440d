package toykafka.lesson08;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import toykafka.archive.CsvArchive;
import toykafka.clock.ManualClock;
import toykafka.narration.Narrator;
import toykafka.common.ApiException;
import toykafka.common.Record;
import toykafka.common.CorruptRecordException;
import toykafka.common.TopicConfig;

/** Lesson 8, narrated: a partition on disk, its segments and indexes, retention, a crash and a flipped bit. */
public final class Lesson08Demo {

    private static final Path DATA = Path.of("data", "generated", "08-file-log");
    private static final Path ARCHIVE = Path.of("data", "generated", "08-retention-archive.csv");
    private static final Instant NOON = Instant.parse("2024-03-01T12:00:00Z");
    private static final List<String> ORDERS = List.of("cod", "chips", "haddock", "mushy peas", "plaice",
            "curry sauce", "pie", "scampi", "cod", "chips", "saveloy", "fishcake");
    /** Small numbers, so that a dozen orders show every part: 256-byte segments, an index entry per 100 bytes. */
    private static final TopicConfig CONFIG = TopicConfig.defaults().with(TopicConfig.SEGMENT_BYTES, 256)
            .with(TopicConfig.INDEX_INTERVAL_BYTES, 100).with(TopicConfig.RETENTION_MS, Duration.ofHours(1).toMillis()).with(TopicConfig.MAX_MESSAGE_BYTES, 200);

    public static void main(String[] args) {
        narrate(Narrator.toStandardOut());
    }

    public static void narrate(Narrator story) {
        try {
            tell(story);
        } catch (IOException e) {
            throw new UncheckedIOException("the lesson 8 demo could not write under " + DATA + ": " + e.getMessage(), e);
        }
    }

    private static void tell(Narrator story) throws IOException {
        story.title("Lesson 8: the file-backed log");
        PartitionDirectory.deleteTree(DATA);
        Files.deleteIfExists(ARCHIVE);
        ManualClock clock = new ManualClock(NOON.plus(Duration.ofMinutes(12)));
        FileLog log = open(clock);

        story.say("Partition 0 of topic orders is a directory. The tills append twelve orders, one a minute"
                + " from noon; a segment here holds 256 bytes, so the log rolls as it grows.");
        for (int i = 0; i < ORDERS.size(); i++) {
            log.append(order(i % 3 + 1, ORDERS.get(i), i));
        }
        story.show("log", log);
        story.show("files", files(log.directory()));
        log.segments().forEach(segment -> story.show("segment", segment));

        story.say("Each record is a frame: length, offset, CRC-32C, then timestamp, key, value and headers."
                + " The first frame of the first segment, byte by byte (./toykafka dump prints a segment as text):");
        showFirstFrame(story, log.directory().resolve(log.segments().get(0).name()));

        story.say("The index is sparse: an entry every 100 bytes of records, not one per record.");
        story.predict("to read offset 9, which segment does the log open, and where does it start reading?");
        story.show("locate(9)", log.locate(9));
        story.show("read(9)", log.read(9));
        story.show("offsetForTime(12:04:30)", log.offsetForTime(NOON.plusSeconds(270)));

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
        ByteBuffer frame = ByteBuffer.allocate(RecordCodec.frameSize(order(1, "rock salmon", 12)));
        RecordCodec.encode(order(1, "rock salmon", 12), 12, frame);
        Files.write(active, Arrays.copyOf(frame.array(), frame.capacity() / 2), StandardOpenOption.APPEND);
        story.predict("there was no clean shutdown. What does opening the log do with the half record?");
        FileLog recovered = open(clock);
        story.show("recoveryReport()", recovered.recoveryReport());
        story.show("append(rock salmon)", recovered.append(order(1, "rock salmon", 12)));

        story.say("A bit flips on the disk, inside an older segment that recovery trusts and does not read.");
        Location victim = recovered.locate(recovered.earliest() + 1);
        recovered.close();
        flipBit(log.directory().resolve(victim.segment()), victim.position() + 30);
        FileLog damaged = open(clock);
        story.show("read(" + (victim.offset() - 1) + ")", damaged.read(victim.offset() - 1).valueText());
        try {
            damaged.read(victim.offset());
        } catch (CorruptRecordException e) {
            story.showRefusal("read(" + victim.offset() + ")", e);
        }
        story.say("Offset 8 has an index entry of its own, so reading it never passes the damaged frame.");
        story.show("read(" + (victim.offset() + 2) + ")", damaged.read(victim.offset() + 2).valueText());
        story.say("./toykafka verify " + DATA.resolve("orders-0") + " finds the damaged frame without opening the log.");

        story.say("Bad input is refused before a byte is written.");
        refuse(story, "append(no key, no value)", () -> damaged.append(Record.of(null, null, NOON)));
        refuse(story, "append(a 300-character order)", () -> damaged.append(Record.of("till-2", "x".repeat(300), NOON)));
        refuse(story, "open(topic \"../etc\")", () -> FileLog.open(DATA, "../etc", 0, CONFIG));
        damaged.close();
    }

    private static FileLog open(ManualClock clock) {
        return FileLog.open(DATA, "orders", 0, CONFIG, clock, new CsvArchive(ARCHIVE));
    }

    private static Record order(int till, String food, int minute) {
        return Record.of("till-" + till, food, NOON.plus(Duration.ofMinutes(minute)));
    }

    /** The first frame's bytes, one field a line, in the order RecordCodec writes them. */
    private static void showFirstFrame(Narrator story, Path segment) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(segment));
        int length = bytes.getInt(0);
        HexFormat hex = HexFormat.ofDelimiter(" ");
        story.show("length (4 bytes)", length + "  [" + hex.formatHex(bytes.array(), 0, 4) + "]");
        story.show("offset (8 bytes)", bytes.getLong(4) + "  [" + hex.formatHex(bytes.array(), 4, 12) + "]");
        story.show("CRC-32C (4 bytes)", "[" + hex.formatHex(bytes.array(), 12, 16) + "]");
        story.show("the rest (" + (length - 12) + " bytes)", "[" + hex.formatHex(bytes.array(), 16, 4 + length) + "]");
    }

    private static void refuse(Narrator story, String what, Runnable attempt) {
        try {
            attempt.run();
        } catch (ApiException | IllegalArgumentException e) {
            story.showRefusal(what, e);
        }
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    private static void flipBit(Path file, long position) throws IOException {
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.seek(position);
            int original = raw.read();
            raw.seek(position);
            raw.write(original ^ 1);
        }
    }

    private Lesson08Demo() {
    }
}

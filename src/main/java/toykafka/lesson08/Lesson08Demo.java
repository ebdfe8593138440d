package toykafka.lesson08;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import toykafka.narration.Narrator;
import toykafka.narration.Telling;
import toykafka.common.ApiException;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.CorruptRecordException;
import toykafka.common.TopicConfig;

/** Lesson 8, narrated: a partition on disk, its segments and indexes, a batch byte by byte, and a flipped bit. */
public final class Lesson08Demo {

    private static final Path DATA = Path.of("data", "generated", "08-file-log");
    private static final Instant NOON = Instant.parse("2024-03-01T12:00:00Z");
    private static final List<String> ORDERS = List.of("cod", "chips", "haddock", "mushy peas", "plaice",
            "curry sauce", "pie", "scampi", "cod", "chips", "saveloy", "fishcake");
    /** Small numbers, so that a dozen orders show every part: 256-byte segments, an index entry per 100 bytes. */
    private static final TopicConfig CONFIG = TopicConfig.defaults().with(TopicConfig.SEGMENT_BYTES, 256)
            .with(TopicConfig.INDEX_INTERVAL_BYTES, 100).with(TopicConfig.MAX_MESSAGE_BYTES, 200);

    public static void main(String[] args) {
        narrate(Narrator.toStandardOut());
    }

    public static void narrate(Narrator story) {
        Telling.runAfresh(story, 8, "the file-backed log", DATA, () -> tell(story));
    }

    private static void tell(Narrator story) throws IOException {
        LocalLog log = LocalLog.create(DATA, "orders", 0, CONFIG);

        story.say("Partition 0 of topic orders is a directory. The tills append twelve orders, one a minute"
                + " from noon; a segment here holds 256 bytes, so the log rolls as it grows.");
        for (int i = 0; i < ORDERS.size(); i++) {
            log.append(order(i % 3 + 1, ORDERS.get(i), i));
        }
        story.show("log", log);
        story.show("files", files(log.directory()));
        log.segments().forEach(segment -> story.show("segment", segment));

        story.say("Each append is a record batch, Kafka's own format v2: a 61-byte header (offsets, a CRC-32C,"
                + " timestamps), then the records. The first batch of the first segment, field by field"
                + " (./toykafka dump prints a segment as text):");
        showFirstBatch(story, log.directory().resolve(log.segments().get(0).name()));

        story.say("The index is sparse: an entry every 100 bytes of records, not one per record.");
        story.predict("to read offset 9, which segment does the log open, and where does it start reading?");
        story.show("locate(9)", log.locate(9));
        story.show("read(9)", log.read(9));
        story.show("offsetForTime(12:04:30)", log.offsetForTime(NOON.plusSeconds(270)));

        story.say("While the log runs, a bit flips on the disk inside an older segment, which no append touches.");
        Location victim = log.locate(4);
        flipBit(log.directory().resolve(victim.segment()), victim.position() + 30);
        story.show("read(" + (victim.offset() - 1) + ")", log.read(victim.offset() - 1).valueText());
        try {
            log.read(victim.offset());
        } catch (CorruptRecordException e) {
            story.showRefusal("read(" + victim.offset() + ")", e);
        }
        story.say("The batch of offset " + (victim.offset() + 1) + " has an index entry of its own, so reading it never"
                + " passes the damaged batch.");
        story.show("read(" + (victim.offset() + 1) + ")", log.read(victim.offset() + 1).valueText());
        story.say("./toykafka verify " + DATA.resolve("orders-0") + " finds the damaged batch without opening the"
                + " log. What a crash leaves, and how a log opens after one, is lesson 9.");

        story.say("Bad input is refused before a byte is written.");
        refuse(story, "append(a 300-character order)", () -> log.append(Record.of("till-2", "x".repeat(300), NOON)));
        refuse(story, "create(topic \"../etc\")", () -> LocalLog.create(DATA, "../etc", 0, CONFIG));
        log.close();
    }

    private static Record order(int till, String food, int minute) {
        return Record.of("till-" + till, food, NOON.plus(Duration.ofMinutes(minute)));
    }

    /** The first batch's header, one field a line, in the order Kafka's RecordBatch v2 lays them out. */
    private static void showFirstBatch(Narrator story, Path segment) throws IOException {
        byte[] bytes = Files.readAllBytes(segment);
        ByteBuffer header = ByteBuffer.wrap(bytes);
        HexFormat hex = HexFormat.ofDelimiter(" ");
        String[] names = {"baseOffset", "batchLength", "partitionLeaderEpoch", "magic", "crc", "attributes",
                "lastOffsetDelta", "baseTimestamp", "maxTimestamp", "producerId", "producerEpoch", "baseSequence",
                "recordsCount"};
        int[] sizes = {8, 4, 4, 1, 4, 2, 4, 8, 8, 8, 2, 4, 4};
        int at = 0;
        for (int i = 0; i < names.length; i++) {
            long value = switch (sizes[i]) {
                case 8 -> header.getLong(at);
                case 4 -> header.getInt(at);
                case 2 -> header.getShort(at);
                default -> header.get(at);
            };
            String shown = names[i].equals("crc") ? "" : value + "  ";
            story.show(names[i] + " (" + sizes[i] + (sizes[i] == 1 ? " byte)" : " bytes)"),
                    shown + "[" + hex.formatHex(bytes, at, at + sizes[i]) + "]");
            at += sizes[i];
        }
        int end = RecordBatch.LOG_OVERHEAD + header.getInt(RecordBatch.LENGTH_AT);
        story.show("the record (" + (end - at) + " bytes)", "[" + hex.formatHex(bytes, at, end) + "]");
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

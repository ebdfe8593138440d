package toykafka.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What Kafka's kafka-dump-log (run by {@code toykafka.kafka.StoredBatches#dump}) prints of a segment file, read
 * line by line against the batches and records we wrote there.
 */
public final class KafkaDumpLog {

    private KafkaDumpLog() {
    }

    /** A batch line of kafka-dump-log: "baseOffset: 0 lastOffset: 1 count: 2 ... CreateTime: 2000 ... isvalid: true". */
    public static final Pattern BATCH_LINE = Pattern.compile("baseOffset: (\\d+) lastOffset: (\\d+) count: (\\d+) .*"
            + " (CreateTime|LogAppendTime): (-?\\d+) size: (\\d+) magic: (\\d+) compresscodec: (\\w+) crc: (\\d+)"
            + " isvalid: (\\w+)");
    /** A record line of kafka-dump-log --deep-iteration --print-data-log. */
    public static final Pattern RECORD_LINE = Pattern.compile("\\| offset: (\\d+) (CreateTime|LogAppendTime): (-?\\d+)"
            + " keySize: (-?\\d+) valueSize: (-?\\d+) sequence: -?\\d+ headerKeys: \\[([^]]*)](?: key: (.*?))?"
            + "(?: payload: (.*))?");

    /** Kafka's reading of a batch's header, from its batch line, against ours. */
    public static void assertBatchLine(RecordBatch ours, Matcher theirs, String where) {
        where = where + ": " + theirs.group();
        assertEquals(ours.baseOffset(), Long.parseLong(theirs.group(1)), where);
        assertEquals(ours.lastOffset(), Long.parseLong(theirs.group(2)), where);
        assertEquals(ours.count(), Integer.parseInt(theirs.group(3)), where);
        assertEquals(ours.isLogAppendTime() ? "LogAppendTime" : "CreateTime", theirs.group(4), where);
        assertEquals(ours.maxTimestamp(), Long.parseLong(theirs.group(5)), where);
        assertEquals(ours.sizeInBytes(), Integer.parseInt(theirs.group(6)), where);
        assertEquals("2", theirs.group(7), where);
        assertEquals(ours.compression().configName(), theirs.group(8), where);
        assertEquals(Integer.toUnsignedLong(ours.storedCrc()), Long.parseLong(theirs.group(9)), where);
        assertEquals("true", theirs.group(10), where + ": Kafka's own CRC check");
        assertTrue(theirs.group().contains(" baseSequence: " + ours.baseSequence() + " ")
                && theirs.group().contains(" producerId: " + ours.producerId() + " producerEpoch: " + ours.producerEpoch()
                + " partitionLeaderEpoch: " + ours.partitionLeaderEpoch() + " "), where);
    }

    /** Kafka's reading of a record, from its record line, against ours; keys and values must be printable text. */
    public static void assertRecordLine(Record ours, Matcher theirs) {
        String where = theirs.group();
        assertEquals(ours.timestamp().toEpochMilli(), Long.parseLong(theirs.group(3)), where);
        assertEquals(ours.keyLength(), Integer.parseInt(theirs.group(4)), where);
        assertEquals(ours.valueLength(), Integer.parseInt(theirs.group(5)), where);
        assertEquals(ours.headers().stream().map(Header::key).collect(Collectors.joining(",")), theirs.group(6), where);
        assertEquals(ours.key() == null ? null : ours.keyText(), theirs.group(7), where);
        assertEquals(ours.value() == null ? null : ours.valueText(), theirs.group(8), where);
    }

    public static List<Matcher> matching(Pattern pattern, List<String> lines) {
        return lines.stream().map(pattern::matcher).filter(Matcher::matches).toList();
    }

    /** Writes batches back to back to a segment file, as a log would; kafka-dump-log reads it by its name. */
    public static Path writeSegment(Path dir, List<RecordBatch> batches) throws IOException {
        Path segment = dir.resolve("00000000000000000000.log");
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (RecordBatch batch : batches) {
                channel.write(batch.buffer().duplicate());
            }
        }
        return segment;
    }
}

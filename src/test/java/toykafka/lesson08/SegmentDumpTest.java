package toykafka.lesson08;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.lesson08.TestRecords.START;
import static toykafka.lesson08.TestRecords.order;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.common.Record;
import toykafka.tools.SegmentDump;
import toykafka.common.TopicConfig;
import toykafka.lesson09.FileLog;

/** The dump tool shows a segment as text, and verify finds what is wrong with one. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SegmentDumpTest {

    @TempDir
    Path dataDir;
    private Path segment;

    @BeforeEach
    void writeASegment() {
        try (FileLog log = FileLog.open(dataDir, "orders", 0, TopicConfig.defaults().with(TopicConfig.INDEX_INTERVAL_BYTES, 100))) {
            for (int i = 0; i < 5; i++) {
                log.append(order(i));
            }
            log.append(Record.of("cod", null, START.plusSeconds(5)));
            log.append(new Record(null, new byte[] {0, 1, 2, (byte) 0xff}, START.plusSeconds(6),
                    List.of(toykafka.common.Header.of("trace", "t-1"))));
            segment = log.directory().resolve("00000000000000000000.log");
        }
    }

    private String dump(long maxRecords) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        SegmentDump.dump(segment, new PrintStream(text, true, StandardCharsets.UTF_8), maxRecords);
        return text.toString(StandardCharsets.UTF_8);
    }

    @Test
    void dump_prints_every_record_with_its_position_size_crc_and_fields() {
        String text = dump(Long.MAX_VALUE);
        List<String> lines = text.lines().toList();
        assertTrue(lines.get(0).matches("Segment 00000000000000000000.log: base offset 0, \\d+ bytes"), lines.get(0));
        assertTrue(lines.get(1).matches("  baseOffset=0 lastOffset=0 count=1 position=0 size=81 crc=[0-9a-f]{8}"
                + " compression=none timestampType=CreateTime maxTimestamp=2024-03-01T12:00:00Z"), lines.get(1));
        assertEquals("  | offset=0 timestamp=2024-03-01T12:00:00Z key=\"till-0\" value=\"order-0\"", lines.get(2));
        assertTrue(lines.get(3).startsWith("  baseOffset=1 lastOffset=1 count=1 position=81 size=81 "), lines.get(3));
        assertTrue(text.contains("| offset=5 ") && text.contains("key=\"cod\" value=none (a tombstone)"), text);
        assertTrue(text.contains("key=none value=hex:000102ff headers=[trace=\"t-1\"]"), text);
        assertTrue(text.contains("Index 00000000000000000000.index: 3 entries (a batch's last offset @ the byte it starts"
                + " at)\n  2@162\n  4@324\n"), text);
        assertTrue(text.contains("Time index 00000000000000000000.timeindex: 3 entries"), text);
    }

    @Test
    void dump_can_stop_after_a_few_records() {
        String text = dump(2);
        assertTrue(text.contains("offset=1 ") && !text.contains("offset=2 "), text);
        assertTrue(text.contains("  ... and 5 more record(s)"), text);
    }

    @Test
    void verify_passes_a_good_segment() {
        SegmentDump.Verification verification = SegmentDump.verify(segment);
        assertTrue(verification.ok(), verification.toString());
        assertEquals(7, verification.records());
        assertTrue(verification.toString().startsWith("00000000000000000000.log: ok, 7 records in "),
                verification.toString());
    }

    @Test
    void verify_reports_a_flipped_byte_with_its_position() throws IOException {
        long third = Damage.positionOfOrder(3);
        Damage.flipByte(segment, third + 20);
        SegmentDump.Verification verification = SegmentDump.verify(segment);
        assertFalse(verification.ok());
        assertEquals(6, verification.records(), "every record but the damaged one: it reads on from the next entry");
        assertEquals(1, verification.problems().size(), verification.toString());
        assertTrue(verification.problems().get(0).startsWith("00000000000000000000.log at byte " + third
                + ": CRC-32C mismatch"), verification.toString());
        assertTrue(verification.problems().get(0).endsWith("; reading on from index entry 4@324"),
                verification.toString());
        assertTrue(dump(Long.MAX_VALUE).contains("  !! 00000000000000000000.log at byte " + third + ": CRC-32C mismatch"),
                "dump marks the bad frame and stops there");
    }

    @Test
    void verify_reports_an_index_entry_that_points_at_the_wrong_byte() throws IOException {
        Path index = dataDir.resolve("orders-0/00000000000000000000.index");
        ByteBuffer entry = ByteBuffer.allocate(8).putInt(2).putInt(150); // offset 2's batch starts at 162, not 150
        Files.write(index, entry.array());
        SegmentDump.Verification verification = SegmentDump.verify(segment);
        assertEquals(List.of("index entry 2@150 does not point at the start of its batch (offsets 2..2 start at byte 162)"),
                verification.problems());
    }

    @Test
    void damage_with_no_index_entry_after_it_leaves_the_rest_unread() throws IOException {
        long last = Damage.positionOfOrder(5) + Damage.frame(Record.of("cod", null, START.plusSeconds(5)), 5).length;
        Damage.flipByte(segment, last + 20);
        SegmentDump.Verification verification = SegmentDump.verify(segment);
        assertEquals(6, verification.records(), "all but the last record");
        assertTrue(verification.problems().get(0).endsWith("; no index entry follows, so nothing after it can be"
                + " read safely"), verification.toString());
    }

    @Test
    void a_damaged_index_file_is_reported_and_the_records_still_checked() throws IOException {
        Files.write(dataDir.resolve("orders-0/00000000000000000000.index"), new byte[] {1, 2, 3});
        SegmentDump.Verification verification = SegmentDump.verify(segment);
        assertEquals(7, verification.records());
        assertEquals(List.of("00000000000000000000.index is damaged: the index is 3 bytes, not a whole number of"
                + " 8-byte entries"), verification.problems());
    }

    @Test
    void verify_checks_every_segment_of_a_directory() {
        List<SegmentDump.Verification> all = SegmentDump.verifyAll(segment.getParent());
        assertEquals(1, all.size());
        assertTrue(all.get(0).ok());
    }

    @Test
    void a_file_that_is_not_a_segment_is_refused_with_what_a_segment_is_called() throws IOException {
        Path notes = Files.writeString(dataDir.resolve("notes.txt"), "hello");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> SegmentDump.verify(notes));
        assertTrue(error.getMessage().endsWith("is not a segment: a segment file is named by its base offset in 20"
                + " digits, then .log, such as 00000000000000000000.log"), error.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> SegmentDump.verify(dataDir.resolve("00000000000000000042.log")));
        assertTrue(missing.getMessage().startsWith("there is no segment file "), missing.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> SegmentDump.verifyAll(dataDir));
        assertTrue(empty.getMessage().endsWith("holds no segment (no 20-digit .log file)"), empty.getMessage());
    }

    @Test
    void a_good_index_entry_at_a_damaged_record_is_not_blamed_for_the_damage() throws IOException {
        long third = Damage.positionOfOrder(2); // index entry 2@162 points here, rightly
        Damage.flipByte(segment, third + 20);
        SegmentDump.Verification verification = SegmentDump.verify(segment);
        assertEquals(1, verification.problems().size(), "only the damaged record: " + verification);
        assertTrue(verification.problems().get(0).contains("CRC-32C mismatch"), verification.toString());
    }

    @Test
    void an_index_entry_inside_the_record_before_damage_is_still_reported() throws IOException {
        Path index = dataDir.resolve("orders-0/00000000000000000000.index");
        Files.write(index, ByteBuffer.allocate(8).putInt(0).putInt(40).array()); // inside offset 0's batch
        Damage.flipByte(segment, Damage.positionOfOrder(1) + 20);
        List<String> problems = SegmentDump.verify(segment).problems();
        assertTrue(problems.stream().anyMatch(problem -> problem.startsWith("index entry 0@40 does not point")),
                problems.toString());
    }

    @Test
    void a_path_that_does_not_exist_is_named_as_missing() {
        Path missing = dataDir.resolve("no-such-topic-0");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> SegmentDump.verifyAll(missing));
        assertTrue(error.getMessage().startsWith(missing + " does not exist"), error.getMessage());
    }

    @Test
    void an_index_that_is_a_pipe_is_reported_not_waited_on() throws Exception {
        Path index = dataDir.resolve("orders-0/00000000000000000000.index");
        Files.delete(index);
        Process mkfifo = new ProcessBuilder("mkfifo", index.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor(), "mkfifo made the pipe");
        SegmentDump.Verification verification = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(30), () -> SegmentDump.verify(segment), "reading a pipe would wait for ever");
        assertEquals(7, verification.records());
        assertTrue(verification.problems().get(0).startsWith("00000000000000000000.index is damaged: it is not a regular"
                + " file"), verification.toString());
        String text = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30),
                () -> dump(Long.MAX_VALUE));
        assertTrue(text.contains("not a regular file"), text);
    }
}

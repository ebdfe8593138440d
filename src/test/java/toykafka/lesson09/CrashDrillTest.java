package toykafka.lesson09;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.Record;
import toykafka.testing.Drill;
import toykafka.testing.StallWatch;
import toykafka.tools.SegmentDump;
import toykafka.lesson08.Damage;

/**
 * Kill -9 drills: a child JVM appends with fsync per append and reports every acknowledged offset; the
 * test kills it at a random moment, reopens the log, and checks that recovery kept every promise. Run
 * more cycles with {@code -Dtoykafka.crashCycles=200}, other kill points with {@code -Dtoykafka.crashSeed=N}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CrashDrillTest {

    @RegisterExtension
    static final Drill DRILL = Drill.seeded("toykafka.crashSeed", 8)
            .cycles("toykafka.crashCycles", 20);
    private static final int THREADS = 3;
    /** A net for a child that hangs: killed when it has written no line for this long, however slow it runs. */
    private static final Duration STALL = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    /** An acknowledged append: the child's append of this record returned this offset. */
    private record Ack(long offset, int cycle, int thread, int seq) {
    }

    @Test
    void every_acknowledged_record_survives_kill_minus_9_byte_for_byte() throws Exception {
        Random random = new Random(DRILL.seed());
        Map<Long, Ack> acknowledged = new HashMap<>();
        long endOffset = 0;
        for (int cycle = 0; cycle < DRILL.cycles(); cycle++) {
            DRILL.cycle(cycle);
            int killAfter = 1 + random.nextInt(150);
            String where = "cycle " + cycle + " (seed " + DRILL.seed() + ", killed after " + killAfter + " acks)";
            List<Ack> acks = runAndKill(cycle, killAfter, endOffset, where);
            acks.forEach(ack -> acknowledged.put(ack.offset(), ack));
            endOffset = checkRecovered(acknowledged, cycle, where);
        }
        DRILL.at("the checks after the last cycle");
        System.out.printf("log crash drill: %d kill -9 cycles, %d records acknowledged, every one found byte for byte"
                + " after each recovery; log end offset %d (seed %d)%n", DRILL.cycles(), acknowledged.size(), endOffset,
                DRILL.seed());
        assertTrue(acknowledged.size() >= DRILL.cycles(), "each cycle acknowledged at least one append");
    }

    /** Starts the child, reads its acknowledgements, kills it after {@code killAfter} of them. */
    private List<Ack> runAndKill(int cycle, int killAfter, long expectedStart, String where)
            throws IOException, InterruptedException {
        Path errors = dataDir.resolve("child-" + cycle + ".err");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                CrashDrillChild.class.getName(), dataDir.toString(), String.valueOf(cycle), String.valueOf(THREADS))
                .redirectError(errors.toFile())
                .start();
        List<Ack> acks = new java.util.ArrayList<>();
        StallWatch watch = StallWatch.of(child, STALL);
        try (watch; BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String ready = lines.readLine();
            if (ready == null) {
                fail(where + ": the child died before it opened the log: " + Files.readString(errors));
            }
            assertEquals("ready " + expectedStart, ready, where + ": the child reopened the log at the wrong offset");
            String line;
            while ((line = lines.readLine()) != null) { // after the kill, the lines already written still arrive
                watch.progress();
                String[] words = line.split(" ");
                acks.add(new Ack(Long.parseLong(words[1]), cycle, Integer.parseInt(words[2]), Integer.parseInt(words[3])));
                if (acks.size() == killAfter) {
                    // SIGKILL: no shutdown hook, no close, no marker. Through the handle, so that the pipe stays
                    // open for the lines the child wrote before it died (Process.destroyForcibly closes it).
                    child.toHandle().destroyForcibly();
                }
            }
        } finally {
            child.destroyForcibly();
            child.waitFor();
        }
        assertTrue(acks.size() >= killAfter, where + ": the child stopped early"
                + (watch.fired() ? ", silent for " + STALL.toSeconds() + " s: " : ": ") + Files.readString(errors));
        return acks;
    }

    /** Reopens the log after a kill and checks every promise; returns the end offset after one more append. */
    private long checkRecovered(Map<Long, Ack> acknowledged, int cycle, String where) {
        try (FileLog log = FileLog.open(dataDir, CrashDrillChild.TOPIC, 0, CrashDrillChild.CONFIG)) {
            assertFalse(log.recoveryReport().cleanShutdown(), where + ": a killed process leaves no marker");
            long end = log.endOffset();
            Map<String, Integer> lastSeq = new HashMap<>();
            long offset = 0;
            while (offset < end) { // contiguous: reading batch after batch reaches the end without a gap
                for (Record record : log.readBatch(offset, 500)) {
                    int[] id = CrashDrillChild.identify(record);
                    assertArrayEquals(bytes(CrashDrillChild.record(id[0], id[1], id[2])), bytes(record),
                            where + ": offset " + offset + " is not byte for byte what was appended");
                    Ack ack = acknowledged.get(offset);
                    if (ack != null) {
                        assertArrayEquals(new int[] {ack.cycle(), ack.thread(), ack.seq()}, id,
                                where + ": offset " + offset + " holds another record than was acknowledged");
                    }
                    String appender = id[0] + "/" + id[1];
                    int expectedSeq = lastSeq.getOrDefault(appender, -1) + 1;
                    assertEquals(expectedSeq, id[2], where + ": appender " + appender + " lost or repeated a record");
                    lastSeq.put(appender, id[2]);
                    offset++;
                }
            }
            for (Ack ack : acknowledged.values()) {
                assertTrue(ack.offset() < end, where + ": acknowledged offset " + ack.offset() + " is gone; the log"
                        + " ends at " + end + "; " + log.recoveryReport());
            }
            assertThrows(OffsetOutOfRangeException.class, () -> log.read(end), where + ": nothing past the end");
            SegmentDump.verifyAll(log.directory()).forEach(check ->
                    assertTrue(check.ok(), where + ": after recovery, " + check));
            int testsOwn = 1000 + cycle; // the test appends as an appender of its own, once per cycle
            assertEquals(end, log.append(CrashDrillChild.record(testsOwn, 0, 0)),
                    where + ": the next append takes the end offset");
            acknowledged.put(end, new Ack(end, testsOwn, 0, 0));
            return end + 1;
        }
    }

    private static byte[] bytes(Record record) {
        return Damage.frame(record, 0);
    }
}

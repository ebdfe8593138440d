package toykafka.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.Partitions.Acks;
import toykafka.clock.ManualClock;
import toykafka.common.Errors;
import toykafka.common.ProducerBatches;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.lesson08.KafkaReadsOurSegmentsTest;
import toykafka.lesson08.SegmentInfo;
import toykafka.storage.producers.AbortedTxn;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * Each segment's aborted-transaction index ({@code .txnindex}), as Kafka keeps it: an entry for each transaction
 * whose ABORT marker the segment holds, read back by Kafka's DumpLogSegments (once: the other cases read the
 * files with our own reader, held to the same bytes); written again whole from the log's
 * markers after a start, whatever became of the files; gone with retention's segments and carried over by the
 * cleaner to the segments that replace the ones it rewrote.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TransactionIndexFilesTest {

    private static final Instant NOON = Instant.parse("2024-05-01T12:00:00Z");
    private static final Pattern DUMPED_ENTRY = Pattern.compile(
            "version: 0 producerId: (\\d+) firstOffset: (\\d+) lastOffset: (\\d+) lastStableOffset: (\\d+)");

    private final ManualClock clock = new ManualClock(NOON);
    @StartedBroker(clock = "clock")
    RunningBroker running;

    private TopicPartition topic(String name, Map<String, String> config) {
        running.broker().createTopic(name, 1, config, OnDuplicate.FAIL);
        running.broker().partitions().verifyTransactionsWith((partition, producerId, epoch) -> { });
        return new TopicPartition(name, 0);
    }

    private void write(TopicPartition partition, long producerId, int sequence, String value) {
        ByteBuffer batch = ProducerBatches.transactional(producerId, (short) 0, sequence,
                Record.of("key-" + value, value, NOON));
        AppendResult result = running.broker().partitions().append(Map.of(partition, batch), Acks.ALL)
                .get(partition);
        assertEquals(Errors.NONE, result.error(), result.message());
    }

    private void end(TopicPartition partition, long producerId, boolean commit) {
        assertEquals(Errors.NONE, running.broker().partitions()
                .writeMarker(partition, producerId, (short) 0, commit, 0, clock.instant()).error());
    }

    /** Transactions of three producers, one record each, every third committed: the aborts it made, in order. */
    private List<AbortedTxn> transactions(TopicPartition partition, int count) {
        List<AbortedTxn> aborted = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long producerId = 100 + i % 3;
            long first = running.broker().partitions().listOffsets(partition, Partitions.LATEST, false).offset();
            write(partition, producerId, i / 3, "order-" + i);
            boolean commit = i % 3 == 0;
            end(partition, producerId, commit);
            if (!commit) {
                aborted.add(new AbortedTxn(producerId, first, first + 1, first + 2));
            }
        }
        return aborted;
    }

    private void plain(TopicPartition partition, String key, String value) {
        ByteBuffer batch = ProducerBatches.plain(Record.of(key, value, NOON));
        assertEquals(Errors.NONE, running.broker().partitions().append(Map.of(partition, batch), Acks.ALL).get(partition)
                .error());
    }

    private Path dir(TopicPartition partition) {
        return running.dataDir().resolve(partition.topic() + "-" + partition.partition());
    }

    private static Map<String, byte[]> indexFiles(Path dir) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (Stream<Path> listed = Files.list(dir)) {
            for (Path file : listed.filter(f -> f.toString().endsWith(".txnindex")).sorted().toList()) {
                files.put(file.getFileName().toString(), Files.readAllBytes(file));
            }
        }
        return files;
    }

    /** What Kafka's DumpLogSegments reads in the partition's {@code .txnindex} files, oldest segment first. */
    private List<AbortedTxn> dumped(Path dir) throws Exception {
        List<String> files = indexFiles(dir).keySet().stream().map(name -> dir.resolve(name).toString()).toList();
        List<AbortedTxn> entries = new ArrayList<>();
        for (String line : KafkaReadsOurSegmentsTest.dumpLogSegments(running.dataDir(), files)) {
            Matcher entry = DUMPED_ENTRY.matcher(line);
            if (entry.find()) {
                entries.add(new AbortedTxn(Long.parseLong(entry.group(1)), Long.parseLong(entry.group(2)),
                        Long.parseLong(entry.group(3)), Long.parseLong(entry.group(4))));
            }
        }
        return entries;
    }

    @Test
    void each_segment_indexes_the_aborts_whose_marker_it_holds_and_kafka_reads_them_back() throws Exception {
        TopicPartition orders = topic("orders", Map.of("segment.bytes", "400"));
        List<AbortedTxn> aborted = transactions(orders, 12);
        Path dir = dir(orders);

        Map<String, byte[]> files = indexFiles(dir);
        assertTrue(files.size() >= 2, "the aborts are spread over several segments: " + files.keySet());
        for (String name : files.keySet()) {
            long base = Long.parseLong(name.substring(0, 20));
            assertTrue(Files.exists(dir.resolve(name.replace(".txnindex", ".log"))), name + " sits beside its segment");
            assertEquals(0, files.get(name).length % 34, name + " holds whole 34-byte entries");
            assertTrue(running.broker().logFiles("orders", 0).segments().stream()
                    .anyMatch(segment -> segment.baseOffset() == base), name);
        }
        assertEquals(aborted, dumped(dir), "Kafka's DumpLogSegments reads our entries as we meant them");
        assertEquals(aborted, running.broker().logFiles("orders", 0).indexedAborted());
    }

    @Test
    void after_a_restart_the_indexes_are_written_again_from_the_markers() throws Exception {
        TopicPartition orders = topic("orders", Map.of("segment.bytes", "400"));
        List<AbortedTxn> aborted = transactions(orders, 12);
        Path dir = dir(orders);
        Map<String, byte[]> before = indexFiles(dir);
        String lost = before.keySet().iterator().next();
        running.close();
        Files.delete(dir.resolve(lost));
        Files.write(dir.resolve(before.keySet().stream().skip(1).findFirst().orElseThrow()), new byte[] {0, 0, 7});
        Files.write(dir.resolve("00000000000000999999.txnindex"), new byte[34]); // of no segment

        running.restart();
        Partitions partitions = running.broker().partitions();
        assertEquals(partitions.listOffsets(orders, Partitions.LATEST, false).offset(),
                partitions.listOffsets(orders, Partitions.LATEST, true).offset(), "every transaction was decided");

        Map<String, byte[]> after = indexFiles(dir);
        assertEquals(before.keySet(), after.keySet(), "the lost file is back, the stray one gone");
        before.forEach((name, bytes) -> assertArrayEquals(bytes, after.get(name), name + ", byte for byte"));
        assertEquals(aborted, running.broker().logFiles("orders", 0).indexedAborted());
    }

    @Test
    void retention_takes_a_segments_index_with_it_and_the_cleaner_carries_its_entries_over() throws Exception {
        TopicPartition orders = topic("orders", Map.of("segment.bytes", "400", "retention.ms", "3600000"));
        transactions(orders, 9);
        Path dir = dir(orders);
        Map<String, byte[]> indexedBefore = indexFiles(dir);
        clock.advance(Duration.ofHours(2));
        write(orders, 200, 0, "late");
        end(orders, 200, false);
        running.broker().jobs().applyRetention();
        List<Long> bases = running.broker().logFiles("orders", 0).segments().stream()
                .map(SegmentInfo::baseOffset).toList();
        assertTrue(indexFiles(dir).keySet().stream().allMatch(name -> bases.contains(Long.parseLong(name.substring(0, 20)))),
                "no index outlives its segment: " + indexFiles(dir).keySet() + " beside segments at " + bases);
        assertTrue(indexedBefore.keySet().stream().anyMatch(name -> !bases.contains(Long.parseLong(name.substring(0, 20)))),
                "retention removed segments that had indexes: " + indexedBefore.keySet() + ", now " + bases);

        TopicPartition menu = topic("menu", Map.of("segment.bytes", "400", "cleanup.policy", "compact",
                "min.cleanable.dirty.ratio", "0.01", "segment.ms", "1000"));
        List<AbortedTxn> aborted = new ArrayList<>();
        for (int round = 0; round < 8; round++) {
            for (int i = 0; i < 4; i++) { // the same dish again and again, for the cleaner to remove
                plain(menu, "dish", "v" + round + "-" + i);
            }
            long producerId = 300 + round;
            long first = running.broker().partitions().listOffsets(menu, Partitions.LATEST, false).offset();
            write(menu, producerId, 0, "special-" + round);
            end(menu, producerId, false);
            aborted.add(new AbortedTxn(producerId, first, first + 1, first + 2));
        }
        plain(menu, "dish", "last");
        long bytesBefore = running.broker().logFiles("menu", 0).segments().stream().mapToLong(SegmentInfo::bytes).sum();
        assertFalse(running.broker().jobs().cleanLogs().isEmpty(), "the cleaner ran a pass");
        assertTrue(running.broker().logFiles("menu", 0).segments().stream().mapToLong(SegmentInfo::bytes).sum()
                < bytesBefore / 2, "the cleaner rewrote the segments, the dishes' old values gone");
        assertEquals(aborted, running.broker().logFiles("menu", 0).indexedAborted(),
                "every abort is still indexed, beside the segment that replaced the one holding its marker");
    }
}

package toykafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static toykafka.testing.RunningBroker.TOPICS;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import toykafka.common.Record;
import toykafka.testing.Drill;
import toykafka.testing.RunningBroker;
import toykafka.testing.StallWatch;

/**
 * Kill -9 drills of the whole broker, over HTTP. A child JVM runs the broker with
 * log.flush.interval.messages=1; the test produces random binary records from several threads and commits
 * a group's offsets, kills the child with SIGKILL at a random moment, starts it again on the same data
 * directory, and checks over HTTP what the new broker serves: every acknowledged record at its offset byte
 * for byte, offsets dense and never reused, nothing that was not sent, and every acknowledged commit.
 * A killed process leaves what it wrote in the operating system's cache, so this drill proves that the
 * broker writes before it acknowledges and that recovery keeps what was written; that fsync puts it on
 * the disk itself is lesson 8's to show, with a disk that fails on purpose. Run more cycles with {@code -Dtoykafka.drill.cycles=200}, other kill points with {@code -Dtoykafka.drill.seed=N}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BrokerCrashDrillTest {

    @RegisterExtension
    static final Drill DRILL = Drill.seeded("toykafka.drill.seed", 9)
            .cycles("toykafka.drill.cycles", 20);
    private static final String TOPIC = "drill";
    private static final String GROUP = "drill-group";
    private static final int PARTITIONS = 4;
    private static final int PRODUCERS = 3;
    /** Each cycle's kill comes after 0 to this many acknowledged produce requests. */
    private static final int MOST_ACKS_BEFORE_KILL = 30;
    /**
     * A net for hangs, never a clock on a slow machine: a child that has not said it listens after this long is
     * killed, and a wait for acknowledgements fails only when none came for this long.
     */
    private static final Duration STALL = Duration.ofSeconds(60);
    /**
     * The child's JVM flags. For a fast start of a short life: C1 only, the simplest collector, the JDK's class
     * archive. And TCP_NODELAY on the JDK's HTTP server, which leaves Nagle's algorithm on: each reply's body
     * then waits for the client's delayed ACK of its headers, some 40 ms a request (measured: a read of the
     * drill's partitions took a median 52 ms without it, 12 ms with it).
     */
    private static final List<String> CHILD_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-Xshare:auto", "-Dsun.net.httpserver.nodelay=true");

    @TempDir
    Path work;
    private final Ledger ledger = new Ledger();

    @Test
    void every_acknowledged_record_and_commit_survives_kill_minus_9_of_the_broker() throws Exception {
        long started = System.nanoTime();
        Random random = new Random(DRILL.seed());
        ChildBroker broker = new ChildBroker(0);
        int cycles = 0;
        try {
            createTopic(broker.client);
            for (int cycle = 0; cycle < DRILL.cycles(); cycle++) {
                DRILL.cycle(cycle);
                int killAfter = random.nextInt(MOST_ACKS_BEFORE_KILL + 1);
                String where = "cycle " + cycle + " (seed " + DRILL.seed() + ", killed after " + killAfter
                        + " acknowledged requests)";
                Round round = new Round(cycle, broker.client, random.nextLong());
                round.awaitAcks(killAfter, where);
                broker.kill();
                round.awaitEnd(where);
                broker.assertNoFaults(where);
                broker = new ChildBroker(cycle + 1);
                ledger.checkLogs(broker.client, cycle, where);
                ledger.checkCommits(broker.client, where);
                cycles++;
            }
        } finally {
            broker.kill();
        }
        DRILL.at("the checks after the last cycle");
        broker.assertNoFaults("the last broker");
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("broker crash drill: %d kill -9 cycles, %d records and %d commits acknowledged, every one"
                + " of them found after each restart; %.1f s (seed %d)%n", cycles, ledger.acknowledged.size(),
                ledger.commitsAcknowledged.get(), seconds, DRILL.seed());
        assertEquals(DRILL.cycles(), cycles);
        assertTrue(ledger.acknowledged.size() >= DRILL.cycles() / 2, "the cycles acknowledged records to check: "
                + ledger.acknowledged.size());
        assertTrue(ledger.commitsAcknowledged.get() > 0, "the cycles acknowledged commits to check");
    }

    private static void createTopic(BrokerClient client) {
        var created = client.post(TOPICS, "{\"topic_name\":\"" + TOPIC + "\",\"partitions_count\":" + PARTITIONS
                + ",\"configs\":[{\"name\":\"segment.bytes\",\"value\":\"16384\"},"
                + "{\"name\":\"retention.ms\",\"value\":\"-1\"}]}");
        assertEquals(201, created.status(), created.text());
        JsonNode flush = client.get(TOPICS + "/" + TOPIC + "/configs/flush.messages").json();
        assertEquals("1", flush.get("value").asText(), "the broker's topics fsync before they acknowledge");
    }

    // ---- the child JVM ----

    /** The broker in a child JVM: started on the drill's data directory, then killed with SIGKILL. */
    private final class ChildBroker {

        final Process process;
        final Path errors;
        final BrokerClient client;

        ChildBroker(int incarnation) throws IOException, InterruptedException {
            errors = work.resolve("broker-" + incarnation + ".err");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(CHILD_FLAGS);
            // The test's whole class path: the JVM opens its jars lazily as it looks for classes, so the jars the
            // broker never uses add nothing measurable to its start, and the broker finds every jar it does use.
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), BrokerCrashDrillChild.class.getName(),
                    work.resolve("data").toString()));
            process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
            String line;
            try (StallWatch starting = StallWatch.of(process, STALL)) {
                line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
            }
            if (line == null || !line.startsWith("listening ")) {
                kill();
                fail("broker " + incarnation + " did not start: " + line + " " + Files.readString(errors));
            }
            client = new BrokerClient("http://127.0.0.1:" + line.substring("listening ".length()));
        }

        /** SIGKILL: no shutdown hook, no clean close of the logs, no marker; then waits until it is gone. */
        void kill() throws IOException, InterruptedException {
            process.toHandle().destroyForcibly();
            process.waitFor();
            process.getInputStream().close();
        }

        void assertNoFaults(String where) throws IOException {
            assertEquals("", Files.readString(errors), where + ": the broker printed faults of its own");
        }
    }

    // ---- what the drill sent and what the broker acknowledged ----

    /** A produce request: its records, each with the partition it names (null: the partitioner's choice). */
    private record Request(int cycle, List<Integer> partitions, List<Record> records) {
    }

    /** Where a record is: a partition and an offset. */
    private record Place(int partition, long offset) {
    }

    /** One record of a request, and where the broker acknowledged it, if it did. */
    private static final class Sent {
        final Request request;
        final int index;
        volatile Place acknowledgedAt;

        Sent(Request request, int index) {
            this.request = request;
            this.index = index;
        }
    }

    /**
     * Everything the drill knows, across cycles: every record sent, every acknowledgement, the logs as the
     * last check found them, and the commits.
     */
    private static final class Ledger {
        final Map<Record, Sent> sent = new ConcurrentHashMap<>();
        final Map<Place, Record> acknowledged = new ConcurrentHashMap<>();
        final List<String> problems = Collections.synchronizedList(new ArrayList<>());
        /** Per partition, the records a reader has seen after a restart: they may never change. */
        final List<List<Record>> seen = new ArrayList<>();
        final Map<Record, Place> found = new HashMap<>();
        /** Per partition, an offset the log is known to reach, so that a commit of it is in range. */
        final AtomicLongArray knownEnd = new AtomicLongArray(PARTITIONS);
        /** Per partition, the offset committed last and acknowledged (or found after a restart). */
        final Map<Integer, Long> committed = new ConcurrentHashMap<>();
        /** The commit in flight when the broker died, if any: it may or may not have been written. */
        volatile Map<Integer, Long> commitInFlight = Map.of();
        final AtomicInteger commitsAcknowledged = new AtomicInteger();

        Ledger() {
            for (int p = 0; p < PARTITIONS; p++) {
                seen.add(List.of());
            }
        }

        void sending(Request request) {
            for (int i = 0; i < request.records().size(); i++) {
                if (sent.putIfAbsent(request.records().get(i), new Sent(request, i)) != null) {
                    throw new IllegalStateException("random records came out alike: make them longer");
                }
            }
        }

        void acknowledged(Request request, List<JsonNode> replies) {
            for (int i = 0; i < replies.size(); i++) {
                Record record = request.records().get(i);
                Place place = new Place(replies.get(i).get("partition_id").asInt(), replies.get(i).get("offset").asLong());
                Integer named = request.partitions().get(i);
                if (named != null && named != place.partition()) {
                    problems.add("a record sent to partition " + named + " was acknowledged in " + place);
                }
                Record before = acknowledged.putIfAbsent(place, record);
                if (before != null) {
                    problems.add(place + " was acknowledged twice: for " + BinaryRecords.describe(before)
                            + " and for " + BinaryRecords.describe(record));
                }
                sent.get(record).acknowledgedAt = place;
                knownEnd.accumulateAndGet(place.partition(), place.offset() + 1, Math::max);
            }
        }

        /**
         * Reads every partition from offset 0 with format=binary and checks it against the ledger: what a reader
         * saw before is still there, every acknowledged record is at its offset, and every other record is one
         * sent in the cycle just ended, found once, in the partition it named, its request all there or not at all.
         */
        void checkLogs(BrokerClient client, int cycle, String where) {
            Set<Request> newlyFound = Collections.newSetFromMap(new IdentityHashMap<>());
            for (int p = 0; p < PARTITIONS; p++) {
                List<Record> log = readAll(client, p, where);
                List<Record> before = seen.get(p);
                assertTrue(log.size() >= before.size(), where + ": partition " + p + " is shorter (" + log.size()
                        + ") than readers have seen it (" + before.size() + ")");
                for (int offset = 0; offset < log.size(); offset++) {
                    Record record = log.get(offset);
                    Place place = new Place(p, offset);
                    if (offset < before.size()) {
                        assertEquals(before.get(offset), record, where + ": " + place + " changed since a reader saw it");
                    }
                    Record acked = acknowledged.get(place);
                    if (acked != null) {
                        assertEquals(acked, record, where + ": " + place + " is not byte for byte the record"
                                + " acknowledged there");
                    }
                    if (offset >= before.size()) {
                        newlyFound.add(placeNew(record, place, cycle, where).request);
                    }
                }
                for (Place place : acknowledged.keySet()) {
                    assertTrue(place.partition() != p || place.offset() < log.size(), where + ": the acknowledged "
                            + BinaryRecords.describe(acknowledged.get(place)) + " at " + place + " is gone; partition "
                            + p + " ends at " + log.size());
                }
                seen.set(p, log);
                knownEnd.set(p, log.size());
            }
            newlyFound.forEach(request -> checkAllOrNothing(request, where));
        }

        private Sent placeNew(Record record, Place place, int cycle, String where) {
            Sent sent = this.sent.get(record);
            assertNotNull(sent, where + ": " + place + " holds " + BinaryRecords.describe(record) + ", which was never sent");
            Place before = found.putIfAbsent(record, place);
            assertTrue(before == null, where + ": " + BinaryRecords.describe(record) + " is at " + place + " and at " + before);
            assertTrue(sent.acknowledgedAt == null || sent.acknowledgedAt.equals(place), where + ": the record"
                    + " acknowledged at " + sent.acknowledgedAt + " is also at " + place);
            assertEquals(cycle, sent.request.cycle(), where + ": " + place + " holds a record of cycle "
                    + sent.request.cycle() + " that no reader found after that cycle's restart");
            Integer named = sent.request.partitions().get(sent.index);
            assertTrue(named == null || named == place.partition(), where + ": a record sent to partition " + named
                    + " is at " + place);
            return sent;
        }

        /** A request's records for one partition are one batch: after a crash they are all there, in order, or none. */
        private void checkAllOrNothing(Request request, String where) {
            Map<Integer, List<Record>> byPartition = new TreeMap<>();
            for (int i = 0; i < request.records().size(); i++) {
                Integer named = request.partitions().get(i);
                if (named != null) {
                    byPartition.computeIfAbsent(named, p -> new ArrayList<>()).add(request.records().get(i));
                }
            }
            byPartition.forEach((partition, batch) -> {
                Place first = found.get(batch.get(0));
                for (int k = 0; k < batch.size(); k++) {
                    Place place = found.get(batch.get(k));
                    Place expected = first == null ? null : new Place(partition, first.offset() + k);
                    assertEquals(expected, place, where + ": record " + k + " of a " + batch.size() + "-record batch"
                            + " to partition " + partition + " is not where the batch's all-or-nothing puts it");
                }
            });
        }

        private static List<Record> readAll(BrokerClient client, int partition, String where) {
            List<Record> log = new ArrayList<>();
            long end;
            do {
                var read = client.get("/topics/" + TOPIC + "/partitions/" + partition + "/records?offset=" + log.size()
                        + "&max_records=10000&timeout=0&format=binary");
                assertEquals(200, read.status(), where + ": " + read.text());
                end = Long.parseLong(read.header("X-End-Offset"));
                assertTrue(read.json().size() > 0 || log.size() == end, where + ": a read of partition " + partition
                        + " at offset " + log.size() + " returned nothing, before the end offset " + end);
                for (JsonNode json : read.json()) {
                    assertEquals(log.size(), json.get("offset").asLong(), where + ": offsets of partition " + partition
                            + " are dense");
                    log.add(BinaryRecords.fromJson(json));
                }
                assertEquals(log.size(), Long.parseLong(read.header("X-Next-Offset")), where + ": next offset");
            } while (log.size() < end);
            return log;
        }

        // ---- commits ----

        void committing(Map<Integer, Long> offsets) {
            commitInFlight = offsets;
        }

        void commitAcknowledged(Map<Integer, Long> offsets) {
            committed.putAll(offsets);
            commitInFlight = Map.of();
            commitsAcknowledged.incrementAndGet();
        }

        /**
         * The group's offsets after the restart: each partition's last acknowledged commit, or the one that was
         * in flight when the broker died; and that one counts for all its partitions or for none.
         */
        void checkCommits(BrokerClient client, String where) {
            Map<Integer, Long> now = new TreeMap<>();
            // instances do not outlive the broker: a new one, not subscribed, reads what the group committed
            var made = client.post("/consumers/" + GROUP, "{\"name\":\"checker\"}");
            assertTrue(made.status() == 200 || made.status() == 409, where + ": " + made.text());
            var reply = client.get("/consumers/" + GROUP + "/instances/checker/offsets");
            assertEquals(200, reply.status(), where + ": " + reply.text());
            reply.json().get("offsets").forEach(entry -> now.put(entry.get("partition").asInt(), entry.get("offset").asLong()));
            Map<Integer, Long> inFlight = commitInFlight;
            int written = 0;
            int changing = 0;
            for (int p = 0; p < PARTITIONS; p++) {
                Long acked = committed.get(p);
                Long maybe = inFlight.get(p);
                Long found = now.get(p);
                assertTrue(Objects.equals(found, acked) || (maybe != null && maybe.equals(found)),
                        where + ": partition " + p + " has committed offset " + found + "; the last acknowledged"
                                + " commit was " + acked + (maybe == null ? "" : " and " + maybe + " was in flight"));
                if (maybe != null && !maybe.equals(acked)) {
                    changing++;
                    written += maybe.equals(found) ? 1 : 0;
                }
            }
            assertTrue(written == 0 || written == changing, where + ": the commit in flight " + inFlight
                    + " is one batch, yet only part of it was kept: " + now);
            committed.clear();
            committed.putAll(now);
            commitInFlight = Map.of();
        }
    }

    // ---- one cycle's clients ----

    /** The producers and the committer of one cycle, running until the broker stops answering. */
    private final class Round {

        final int cycle;
        final BrokerClient client;
        final Semaphore acks = new Semaphore(0);
        final List<Thread> threads = new ArrayList<>();

        Round(int cycle, BrokerClient client, long seed) {
            this.cycle = cycle;
            this.client = client;
            Random committing = new Random(seed - 1);
            threads.add(new Thread(() -> commit(committing), "drill-committer")); // first: it has a member to create
            for (int i = 0; i < PRODUCERS; i++) {
                Random random = new Random(seed + i);
                threads.add(new Thread(() -> produce(random), "drill-producer-" + i));
            }
            for (Thread thread : threads) {
                thread.setUncaughtExceptionHandler((failed, e) -> ledger.problems.add(failed.getName() + " failed: " + e));
                thread.start();
            }
        }

        /**
         * Waits for {@code count} acknowledged produce requests, failing if every producer stopped first or none was
         * acknowledged for {@link #STALL}.
         */
        void awaitAcks(int count, String where) throws InterruptedException {
            long lastAck = System.nanoTime();
            int received = 0;
            while (received < count) {
                if (acks.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    received++;
                    lastAck = System.nanoTime();
                } else if (threads.stream().noneMatch(Thread::isAlive) || System.nanoTime() - lastAck > STALL.toNanos()) {
                    fail(where + ": the producers stopped after " + received + " of " + count + " acknowledgements: "
                            + ledger.problems);
                }
            }
        }

        void awaitEnd(String where) throws InterruptedException {
            for (Thread thread : threads) {
                thread.join(STALL.toMillis());
                assertTrue(!thread.isAlive(), where + ": " + thread.getName() + " still runs after the broker died");
            }
            assertEquals(List.of(), ledger.problems, where);
        }

        /** Sends requests until one gets no reply: half single records, half batches across partitions. */
        private void produce(Random random) {
            while (true) {
                int size = random.nextBoolean() ? 1 : 2 + random.nextInt(4);
                List<Integer> partitions = new ArrayList<>();
                List<Record> records = new ArrayList<>();
                List<Object> json = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    // a single record sometimes leaves the partition to the partitioner
                    Integer partition = size == 1 && random.nextInt(4) == 0 ? null : random.nextInt(PARTITIONS);
                    Record record = BinaryRecords.random(random);
                    partitions.add(partition);
                    records.add(record);
                    json.add(BinaryRecords.toJson(partition, record));
                }
                Request request = new Request(cycle, partitions, records);
                ledger.sending(request);
                RunningBroker.Response reply;
                try {
                    reply = client.post(TOPICS + "/" + TOPIC + "/records", write(size == 1 ? json.get(0) : json));
                } catch (UncheckedIOException brokerDied) {
                    return; // this request may or may not have been written
                }
                if (reply.status() != 200) {
                    ledger.problems.add("a produce request got " + reply.status() + ": " + reply.text());
                    return;
                }
                List<JsonNode> replies = new ArrayList<>();
                if (size == 1) {
                    replies.add(reply.json());
                } else {
                    reply.json().forEach(replies::add);
                }
                ledger.acknowledged(request, replies);
                acks.release();
            }
        }

        /** Joins the group as its only member, then commits random offsets of random partitions until no reply. */
        private void commit(Random random) {
            String member = "committer-" + cycle;
            String base = "/consumers/" + GROUP + "/instances/" + member;
            try {
                if (!expect(200, client.post("/consumers/" + GROUP, "{\"name\":\"" + member + "\"}"), "create a member")
                        || !expect(204, client.post(base + "/subscription", "{\"topics\":[\"" + TOPIC + "\"]}"), "subscribe")) {
                    return;
                }
                while (true) {
                    Map<Integer, Long> offsets = new TreeMap<>();
                    for (int p = 0; p < PARTITIONS; p++) {
                        if (random.nextBoolean() || offsets.isEmpty() && p == PARTITIONS - 1) {
                            offsets.put(p, (long) random.nextInt((int) ledger.knownEnd.get(p) + 1));
                        }
                    }
                    // REST Proxy's commit names the last record processed: one before the offset to resume at
                    String body = offsets.entrySet().stream().map(entry -> "{\"topic\":\"" + TOPIC + "\",\"partition\":"
                            + entry.getKey() + ",\"offset\":" + (entry.getValue() - 1) + "}")
                            .collect(Collectors.joining(",", "{\"offsets\":[", "]}"));
                    ledger.committing(offsets);
                    if (!expect(200, client.post(base + "/offsets", body), "commit " + offsets)) {
                        return;
                    }
                    ledger.commitAcknowledged(offsets);
                }
            } catch (UncheckedIOException brokerDied) {
                // the commit in flight may or may not have been written
            }
        }

        private boolean expect(int status, RunningBroker.Response reply, String what) {
            if (reply.status() != status) {
                ledger.problems.add(what + " got " + reply.status() + ": " + reply.text());
                return false;
            }
            return true;
        }
    }

    private static String write(Object json) {
        try {
            return RunningBroker.JSON.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

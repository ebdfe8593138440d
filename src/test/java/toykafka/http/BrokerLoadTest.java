package toykafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static toykafka.testing.RunningBroker.TOPICS;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.config.BrokerConfig;
import toykafka.testing.RunningBroker;

/**
 * Many clients at once on one broker, over HTTP: producers with a key each, readers of single partitions,
 * and a consumer group whose members join, leave and go silent while it consumes and commits. The work is
 * fixed (so many records from so many producers); when it is done, every acknowledged record is in the log
 * once and in order, the group has processed every record at least once, and the committed offsets, watched
 * all along, never went backwards.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BrokerLoadTest {

    private static final String TOPIC = "load";
    private static final String GROUP = "load-group";
    private static final int PARTITIONS = 4;
    private static final int PRODUCERS = 8;
    private static final int RECORDS_PER_PRODUCER = 300;
    private static final int READERS = 6;
    private static final int TOTAL = PRODUCERS * RECORDS_PER_PRODUCER;
    private static final int PER_PARTITION = TOTAL / PARTITIONS;
    /**
     * How long a member may be silent, as the group and the REST instance see it: short enough that the member
     * that goes silent is dropped within the run, long beside the slow member's 300 ms pauses even when a busy
     * machine starves a client thread or the broker's heartbeats for seconds, which 1.5 s did not allow. The
     * ghost's check does not race it: the broker tells an instance silent too long by its clock, at the call.
     */
    private static final long SESSION_TIMEOUT_MS = 10_000;
    /** How far past the session timeout the ghost stays silent: room for the broker's clock to differ. */
    private static final long SILENCE_MARGIN_MS = 1000;
    /** A safety net, not a measure: every wait ends at what it waits for; one this long has found a bug. */
    private static final long GIVE_UP_MS = 300_000;

    @TempDir
    Path dataDir;
    private RunningBroker broker;
    private BrokerClient client;

    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    /** Each producer's value -> where the broker acknowledged it. */
    private final Map<String, Place> acknowledged = new ConcurrentHashMap<>();
    /** What the group processed, by place: a record processed twice must be the same record both times. */
    private final Map<Place, String> processed = new ConcurrentHashMap<>();
    private final AtomicInteger polls = new AtomicInteger();
    /** Records the group was given again (at-least-once: after a rebalance, from the last commit). */
    private final AtomicInteger redelivered = new AtomicInteger();
    private volatile boolean producersDone;
    private volatile boolean groupDone;

    private record Place(int partition, long offset) {
    }

    @BeforeEach
    void start() {
        broker = RunningBroker.overHttp(dataDir, Map.of(BrokerConfig.SESSION_TIMEOUT_MS, String.valueOf(SESSION_TIMEOUT_MS),
                BrokerConfig.CONSUMER_INSTANCE_TIMEOUT_MS, String.valueOf(SESSION_TIMEOUT_MS)));
        client = new BrokerClient(broker.address());
        var created = client.post(TOPICS, "{\"topic_name\":\"" + TOPIC + "\",\"partitions_count\":" + PARTITIONS + "}");
        assertEquals(201, created.status(), created.text());
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void many_producers_readers_and_a_changing_group_lose_nothing_duplicate_nothing_and_never_commit_backwards()
            throws Exception {
        long started = System.nanoTime();
        List<Thread> producers = startAll("producer", PRODUCERS, this::produce);
        List<Thread> readers = new ArrayList<>();
        List<List<String>> readerLogs = new ArrayList<>();
        for (int r = 0; r < READERS; r++) {
            List<String> log = Collections.synchronizedList(new ArrayList<>());
            readerLogs.add(log);
            int partition = r % PARTITIONS;
            int maxRecords = 1 + 13 * r;
            readers.add(start("reader-" + r, () -> read(partition, maxRecords, log)));
        }
        CommitWatcher watcher = new CommitWatcher();
        Thread watching = start("commit-watcher", watcher);

        // The group: two members for the whole run, and others that come and go. The range assignor deals the
        // partitions out in member-name order, so "z-slow", named last, gives a partition up to each newcomer
        // and gets it back when the newcomer leaves, often while it is busy processing and not calling.
        List<Member> members = new ArrayList<>();
        members.add(new Member("steady", Plan.STAYS, 0, 0));
        members.add(new Member("z-slow", Plan.STAYS, 0, 300));
        members.forEach(Member::start);
        awaitProcessed(TOTAL / 10);
        members.add(new Member("visitor-1", Plan.LEAVES, 2, 5).start());
        awaitProcessed(TOTAL / 4);
        Member ghost = new Member("ghost", Plan.GOES_SILENT, 4, 5).start();
        members.add(ghost);
        awaitProcessed(TOTAL * 45 / 100);
        members.add(new Member("visitor-2", Plan.LEAVES, 2, 5).start());
        awaitProcessed(TOTAL * 65 / 100);
        members.add(new Member("latecomer", Plan.STAYS, 0, 10).start());

        joinAll(producers);
        producersDone = true;
        awaitUntil("the group commits the end of every partition", () -> watcher.committedEverything());
        groupDone = true;
        for (Member member : members) {
            member.thread.join(GIVE_UP_MS);
        }
        joinAll(readers);
        watcher.stop = true;
        watching.join(GIVE_UP_MS);
        double seconds = (System.nanoTime() - started) / 1e9;

        assertEquals(List.of(), problems, "what went wrong while the clients ran");
        Map<Integer, List<JsonNode>> logs = checkLogs();
        for (int r = 0; r < READERS; r++) {
            List<String> expected = logs.get(r % PARTITIONS).stream().map(json -> json.get("value").asText()).toList();
            assertEquals(expected, readerLogs.get(r), "reader " + r + " read partition " + r % PARTITIONS
                    + " as it is, in order");
        }
        for (Map.Entry<Integer, List<JsonNode>> log : logs.entrySet()) {
            for (JsonNode record : log.getValue()) {
                Place place = new Place(log.getKey(), record.get("offset").asLong());
                assertEquals(record.get("value").asText(), processed.get(place), "the group processed " + place);
            }
        }
        assertTrue(ghost.droppedAfterSilence, "the group dropped the member that went silent past session.timeout.ms");
        assertEquals("", broker.faults(), "no request hit a fault of the broker's own");
        System.out.printf("broker load test: %d records from %d producers, read by %d readers and by a group that had"
                + " %d members over the run (%d polls, %d records given again, %d snapshots of its commits); %.1f s%n",
                TOTAL, PRODUCERS, READERS, members.size(), polls.get(), redelivered.get(), watcher.snapshots, seconds);
    }

    // ---- producers ----

    /** Producer {@code i} sends its own key to its own partition, in batches of 1 to 5, each after the last is acknowledged. */
    private void produce(int i) {
        int partition = i % PARTITIONS;
        int seq = 0;
        while (seq < RECORDS_PER_PRODUCER) {
            int size = Math.min(1 + (seq * 7 + i) % 5, RECORDS_PER_PRODUCER - seq);
            StringBuilder batch = new StringBuilder("[");
            List<String> values = new ArrayList<>();
            for (int k = 0; k < size; k++) {
                String value = "p" + i + "/" + (seq + k);
                values.add(value);
                batch.append(k == 0 ? "" : ",").append("{\"partition_id\":").append(partition)
                        .append(",\"key\":\"producer-").append(i).append("\",\"value\":\"").append(value).append("\"}");
            }
            var reply = client.post(TOPICS + "/" + TOPIC + "/records", batch.append("]").toString());
            if (reply.status() != 200) {
                problems.add("producer " + i + " got " + reply.status() + ": " + reply.text());
                return;
            }
            for (int k = 0; k < size; k++) {
                JsonNode ack = reply.json().get(k);
                acknowledged.put(values.get(k), new Place(ack.get("partition_id").asInt(), ack.get("offset").asLong()));
            }
            seq += size;
        }
    }

    // ---- readers ----

    /** Reads one partition from its start with long polls until it has every record, checking each offset. */
    private void read(int partition, int maxRecords, List<String> log) {
        long next = 0;
        while (log.size() < PER_PARTITION) {
            var reply = client.get("/topics/" + TOPIC + "/partitions/" + partition + "/records?offset=" + next
                    + "&max_records=" + maxRecords + "&timeout=500");
            if (reply.status() != 200) {
                problems.add("reader of partition " + partition + " got " + reply.status() + ": " + reply.text());
                return;
            }
            if (reply.json().isEmpty() && producersDone) {
                return; // nothing more will come: the checks afterwards say what is missing
            }
            for (JsonNode record : reply.json()) {
                if (record.get("offset").asLong() != next) {
                    problems.add("reader of partition " + partition + " expected offset " + next + ", got " + record);
                    return;
                }
                log.add(record.get("value").asText());
                next++;
            }
        }
    }

    // ---- the group ----

    /** How a member's time in the group ends. */
    private enum Plan {
        /** It stays until the group has committed everything, then leaves. */
        STAYS,
        /** It leaves after so many polls, as a consumer that closes does. */
        LEAVES,
        /** It stops calling after so many polls, as a consumer that hangs does, until the group drops it. */
        GOES_SILENT
    }

    /** One member of the group: polls, processes (takes its time), commits what it processed, until its plan ends. */
    private final class Member implements Runnable {
        final String name;
        final Plan plan;
        final int pollsBeforeEnd;
        final long processingMs;
        final String path;
        Thread thread;
        volatile boolean droppedAfterSilence;

        Member(String name, Plan plan, int pollsBeforeEnd, long processingMs) {
            this.name = name;
            this.plan = plan;
            this.pollsBeforeEnd = pollsBeforeEnd;
            this.processingMs = processingMs;
            this.path = "/consumers/" + GROUP + "/instances/" + name;
        }

        Member start() {
            thread = BrokerLoadTest.this.start("member-" + name, this);
            return this;
        }

        @Override
        public void run() {
            try {
                expect(200, client.post("/consumers/" + GROUP, "{\"name\":\"" + name + "\",\"auto.offset.reset\":\"earliest\"}"));
                expect(204, client.post(path + "/subscription", "{\"topics\":[\"" + TOPIC + "\"]}"));
                for (int done = 0; plan == Plan.STAYS ? !groupDone : done < pollsBeforeEnd; done++) {
                    var polled = client.get(path + "/records?max_records=25&timeout=200");
                    expect(200, polled);
                    for (JsonNode record : polled.json()) {
                        Place place = new Place(record.get("partition").asInt(), record.get("offset").asLong());
                        // a binary instance, REST Proxy's default: values in base64
                        String value = new String(Base64.getDecoder().decode(record.get("value").asText()),
                                StandardCharsets.UTF_8);
                        String before = processed.putIfAbsent(place, value);
                        if (before != null) {
                            redelivered.incrementAndGet();
                            if (!before.equals(value)) {
                                problems.add(name + " was given " + value + " at " + place + ", where " + before + " was");
                            }
                        }
                    }
                    polls.incrementAndGet();
                    Thread.sleep(processingMs);
                    expect(200, client.post(path + "/offsets", null)); // no body: commit the positions, past what was processed
                }
                if (plan == Plan.GOES_SILENT) {
                    Thread.sleep(SESSION_TIMEOUT_MS + SILENCE_MARGIN_MS); // silent past the timeout, by any clock
                    var late = client.get(path + "/records?timeout=0");
                    droppedAfterSilence = late.status() == 404 && "UNKNOWN_MEMBER_ID".equals(late.error());
                } else {
                    expect(204, client.delete(path));
                }
            } catch (Unexpected | InterruptedException e) {
                problems.add("member " + name + ": " + e.getMessage());
            }
        }

        private void expect(int status, RunningBroker.Response reply) throws Unexpected {
            if (reply.status() != status) {
                throw new Unexpected("expected " + status + ", got " + reply.status() + ": " + reply.text());
            }
        }
    }

    /** A reply a member did not expect: it stops, and the test reports it. */
    private static final class Unexpected extends Exception {
        Unexpected(String message) {
            super(message);
        }
    }

    /** Reads the group's committed offsets again and again while the group works: none may ever go back. */
    private final class CommitWatcher implements Runnable {
        final Map<Integer, Long> highest = new ConcurrentHashMap<>();
        volatile boolean stop;
        volatile int snapshots;

        @Override
        public void run() {
            var made = client.post("/consumers/" + GROUP, "{\"name\":\"watcher\"}"); // not subscribed: no member
            if (made.status() != 200) {
                problems.add("making the watcher's instance got " + made.status() + ": " + made.text());
                return;
            }
            while (!stop) {
                var reply = client.get("/consumers/" + GROUP + "/instances/watcher/offsets");
                if (reply.status() != 200) {
                    problems.add("reading the committed offsets got " + reply.status() + ": " + reply.text());
                    return;
                }
                for (JsonNode entry : reply.json().get("offsets")) {
                    int partition = entry.get("partition").asInt();
                    long offset = entry.get("offset").asLong();
                    Long before = highest.put(partition, offset);
                    if (before != null && offset < before) {
                        problems.add("the committed offset of partition " + partition + " went back from " + before
                                + " to " + offset);
                    }
                }
                snapshots++;
            }
        }

        boolean committedEverything() {
            for (int p = 0; p < PARTITIONS; p++) {
                if (highest.getOrDefault(p, -1L) < PER_PARTITION) {
                    return false;
                }
            }
            return true;
        }
    }

    // ---- the checks afterwards ----

    /**
     * Reads every partition whole: offsets dense, each record the one acknowledged there, each value once,
     * each producer's records in the order it sent them.
     */
    private Map<Integer, List<JsonNode>> checkLogs() {
        Map<Integer, List<JsonNode>> logs = new TreeMap<>();
        Map<String, Place> found = new TreeMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            var reply = client.get("/topics/" + TOPIC + "/partitions/" + p + "/records?offset=0&max_records=10000&timeout=0");
            List<JsonNode> log = new ArrayList<>();
            reply.json().forEach(log::add);
            Map<String, Integer> nextSeq = new TreeMap<>();
            for (int offset = 0; offset < log.size(); offset++) {
                JsonNode record = log.get(offset);
                assertEquals(offset, record.get("offset").asLong(), "offsets of partition " + p + " are dense");
                String value = record.get("value").asText();
                Place place = new Place(p, offset);
                assertEquals(acknowledged.get(value), place, value + " is where it was acknowledged");
                assertEquals(null, found.put(value, place), value + " is in the log once");
                String key = record.get("key").asText();
                int seq = Integer.parseInt(value.substring(value.indexOf('/') + 1));
                assertEquals(nextSeq.getOrDefault(key, 0), seq, "the records of " + key + " are in the order sent");
                nextSeq.put(key, seq + 1);
            }
            assertEquals(PER_PARTITION, log.size(), "partition " + p + " holds what its producers sent");
            logs.put(p, log);
        }
        assertEquals(TOTAL, acknowledged.size(), "every record was acknowledged");
        assertEquals(acknowledged.keySet(), found.keySet(), "every acknowledged record is in the log");
        return logs;
    }

    // ---- threads ----

    private interface Work {
        void run(int index);
    }

    private List<Thread> startAll(String name, int count, Work work) {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            threads.add(start(name + "-" + i, () -> work.run(index)));
        }
        return threads;
    }

    private Thread start(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setUncaughtExceptionHandler((failed, e) -> problems.add(failed.getName() + " failed: " + e));
        thread.start();
        return thread;
    }

    private void joinAll(List<Thread> threads) throws InterruptedException {
        for (Thread thread : threads) {
            thread.join(GIVE_UP_MS);
            assertTrue(!thread.isAlive(), thread.getName() + " is still running");
        }
    }

    private void awaitProcessed(int count) throws InterruptedException {
        awaitUntil("the group processes " + count + " records", () -> processed.size() >= count);
    }

    private void awaitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GIVE_UP_MS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline || !problems.isEmpty()) {
                fail("waited in vain for " + what + "; problems: " + problems);
            }
            Thread.sleep(5);
        }
    }
}

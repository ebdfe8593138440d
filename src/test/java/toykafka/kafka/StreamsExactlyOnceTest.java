package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.txn.Transaction;
import toykafka.broker.txn.TransactionState;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * Kafka Streams 4.4 on our broker: a word count ({@link StreamsWordCount}) over four partitions, two instances in
 * JVMs of their own, one killed with SIGKILL while it counts. At {@code exactly_once_v2} a {@code read_committed}
 * reader of the output sees each word's counts go 1, 2, 3… to its number of occurrences, each once: the killed
 * instance's open transaction is aborted, and the survivor takes its partitions from the last committed offsets
 * and counts. The same app at {@code at_least_once} runs too.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StreamsExactlyOnceTest {

    /**
     * Streams' producers time out after 5 s; the broker looks for them every half second. A streams group's member is
     * fenced after 6 s of silence, not Kafka's 45 s, as the classic protocol's are (see {@link StreamsApp}), so a
     * killed instance's tasks move as soon on either protocol.
     */
    @StartedBroker(value = FrontEnd.KAFKA, trace = true, settings = {
            @StartedBroker.Setting(name = BrokerConfig.TRANSACTION_ABORT_INTERVAL_MS, value = "500"),
            @StartedBroker.Setting(name = BrokerConfig.GROUP_STREAMS_SESSION_TIMEOUT_MS, value = "6000"),
            @StartedBroker.Setting(name = BrokerConfig.GROUP_STREAMS_HEARTBEAT_INTERVAL_MS, value = "1000")})
    static RunningBroker broker;

    private static final List<String> WORDS = List.of("apple", "bread", "cheese", "dates", "eggs", "figs", "grapes",
            "honey", "jam", "kale", "leeks", "milk");
    /** Counts read before the kill, and words sent after it. */
    private static final int BEFORE_THE_KILL = 600;
    private static final int AFTER_THE_KILL = 1500;
    /** A bound on a hang, not a figure: a run ends when every count has arrived. */
    private static final Duration LIMIT = Duration.ofMinutes(4);

    @TempDir
    Path state;

    @Test
    void a_word_count_at_exactly_once_v2_counts_each_word_once_though_an_instance_is_killed() throws Exception {
        countThroughAKill("classic", "eos");
    }

    /**
     * The same with KIP-1071's streams group protocol: the broker assigns the tasks, makes the repartition and
     * changelog topics, and fences the killed member when its session (6 s here, the broker's
     * {@code group.streams.session.timeout.ms}) runs out. Before the kill, {@code kafka-streams-groups} lists the group
     * and describes its two members and their tasks.
     */
    @Test
    void with_group_protocol_streams_a_word_count_at_exactly_once_v2_counts_each_word_once_though_an_instance_is_killed()
            throws Exception {
        countThroughAKill("streams", "sgp");
    }

    private void countThroughAKill(String protocol, String prefix) throws Exception {
        String words = prefix + "-words";
        String output = prefix + "-counts";
        String application = prefix + "-count";
        broker.broker().createTopic(words, 4, Map.of(), OnDuplicate.FAIL);
        broker.broker().createTopic(output, 4, Map.of(), OnDuplicate.FAIL);
        try (ChildProcess.Running first = start("exactly_once_v2", application, prefix + "-first", words, output,
                protocol);
             ChildProcess.Running second = start("exactly_once_v2", application, prefix + "-second", words, output,
                protocol);
             Counts counts = new Counts(output, "read_committed")) {
            first.awaitLine("state RUNNING", LIMIT);
            second.awaitLine("state RUNNING", LIMIT);
            Map<String, Integer> expected;
            Transaction killed;
            try (Feeder feeder = new Feeder(words)) {
                counts.awaitAtLeast(BEFORE_THE_KILL, first, second);
                if (protocol.equals("streams")) {
                    kafkaStreamsGroupsShows(application);
                }
                killed = killInTheMiddleOfATransaction(second, transactionalIdOf(prefix + "-second"), output);
                feeder.awaitSent(feeder.sent() + AFTER_THE_KILL);
                expected = feeder.stop();
            }
            counts.awaitFinal(expected, first);

            for (String word : WORDS) {
                List<Long> seen = counts.of(word);
                List<Long> once = new ArrayList<>();
                for (long n = 1; n <= expected.get(word); n++) {
                    once.add(n);
                }
                assertEquals(once, seen, word + ": every count once, in order, none lost or doubled");
            }
            Transaction ended = transaction(killed.transactionalId());
            assertEquals(TransactionState.COMPLETE_ABORT, ended.state(), "the coordinator aborted it: " + ended);
            assertEquals(killed.epoch() + 1, ended.epoch(), "under a new epoch, which fences the killed producer");
            try (Counts all = new Counts(output, "read_uncommitted")) {
                int uncommitted = all.readToEnd();
                assertTrue(uncommitted > counts.records(), "the aborted transaction wrote counts that read_uncommitted "
                        + "sees (" + uncommitted + ") and read_committed does not (" + counts.records() + ")");
            }
        }
    }

    /** Kafka's kafka-streams-groups lists the group, and describes it with both members and every task. */
    private static void kafkaStreamsGroupsShows(String application) {
        ChildProcess.Result listed = KafkaTool.STREAMS_GROUPS.run(null, "--bootstrap-server",
                broker.bootstrapServers(), "--list").assertSucceeded();
        assertTrue(listed.lines().stream().anyMatch(line -> line.strip().startsWith(application)), listed.describe());
        ChildProcess.Result members = KafkaTool.STREAMS_GROUPS.run(null, "--bootstrap-server",
                broker.bootstrapServers(), "--describe", "--members", "--group", application).assertSucceeded();
        List<String> memberLines = members.lines().stream().filter(line -> line.strip().startsWith(application))
                .toList();
        assertEquals(2, memberLines.size(), members.describe());
        // each line ends "ACTIVE: 0:[0,2]; 1:[0,2]; ": a subtopology and its partitions
        List<String> tasks = new ArrayList<>();
        for (String line : memberLines) {
            Matcher subtopology = Pattern.compile("(\\d+):\\[([\\d,]*)]")
                    .matcher(line.substring(line.indexOf("ACTIVE:")));
            while (subtopology.find()) {
                for (String partition : subtopology.group(2).split(",")) {
                    tasks.add(subtopology.group(1) + "_" + partition);
                }
            }
        }
        tasks.sort(null);
        assertEquals(List.of("0_0", "0_1", "0_2", "0_3", "1_0", "1_1", "1_2", "1_3"), tasks,
                "every task active on one member: " + members.describe());
    }

    /** With the DSL's default store, RocksDB, as a learner's own app on the course's class path has it. */
    @Test
    void the_same_word_count_at_least_once_runs_too_on_the_default_store() throws Exception {
        broker.broker().createTopic("alo-words", 4, Map.of(), OnDuplicate.FAIL);
        broker.broker().createTopic("alo-counts", 4, Map.of(), OnDuplicate.FAIL);
        try (ChildProcess.Running only = start("at_least_once", "alo-count", "only", "alo-words", "alo-counts",
                "classic", "default");
             Counts counts = new Counts("alo-counts", "read_uncommitted")) {
            only.awaitLine("state RUNNING", LIMIT);
            Map<String, Integer> expected = produce("alo-words", 0, 240);
            counts.awaitFinal(expected, only);
        }
    }

    /**
     * Freezes the instance (SIGSTOP) until it is caught with counts written in a transaction still open, then kills it
     * (SIGKILL); between its transactions it is let go on (SIGCONT) and caught again. Returns the transaction.
     */
    private static Transaction killInTheMiddleOfATransaction(ChildProcess.Running instance, String transactionalId,
                                                             String output) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            signal("STOP", instance);
            Transaction now = settled(transactionalId);
            if (now.state() == TransactionState.ONGOING && now.partitions().stream()
                    .filter(p -> p.topic().equals(output))
                    .flatMap(p -> broker.broker().partitions().activeProducers(p).stream())
                    .anyMatch(p -> p.producerId() == now.producerId() && p.transactionStartOffset() >= 0)) {
                instance.kill();
                return now;
            }
            signal("CONT", instance);
            Thread.sleep(15);
        }
        return fail("never caught " + transactionalId + " with a transaction open: " + transaction(transactionalId));
    }

    /** The transaction once the requests the frozen instance sent before it stopped have been answered. */
    private static Transaction settled(String transactionalId) throws InterruptedException {
        Transaction before = transaction(transactionalId);
        while (true) {
            Thread.sleep(100);
            Transaction now = transaction(transactionalId);
            if (now.equals(before)) {
                return now;
            }
            before = now;
        }
    }

    private static void signal(String signal, ChildProcess.Running instance) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(instance.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + signal);
    }

    /** The transactional id Kafka Streams gave the instance's producer, from the broker's trace of InitProducerId. */
    private static String transactionalIdOf(String instance) {
        Matcher id = Pattern.compile("InitProducerId v\\d+ #\\d+ from \\S+ " + instance
                + "-StreamThread-1-producer: transactional id (\\S+),").matcher(broker.log());
        assertTrue(id.find(), "the broker traced the instance's InitProducerId");
        return id.group(1);
    }

    private static Transaction transaction(String transactionalId) {
        return broker.broker().transactionCoordinator().transactions().stream()
                .filter(t -> t.transactionalId().equals(transactionalId)).findFirst().orElseThrow();
    }

    private ChildProcess.Running start(String guarantee, String applicationId, String instance, String input,
                                       String output, String protocol) {
        return start(guarantee, applicationId, instance, input, output, protocol, "in-memory");
    }

    private ChildProcess.Running start(String guarantee, String applicationId, String instance, String input,
                                       String output, String protocol, String store) {
        return ChildJvm.start(ChildJvm.testClassPath(), StreamsWordCount.class.getName(), List.of(broker.bootstrapServers(),
                guarantee, applicationId, instance, state.resolve(instance).toString(), input,
                output, protocol, store));
    }

    /** Writes records {@code from} to {@code from + count} of the input, word i being WORDS[i % 12]; the totals. */
    private static Map<String, Integer> produce(String topic, int from, int count) throws Exception {
        Properties config = new Properties();
        config.put("bootstrap.servers", broker.bootstrapServers());
        config.put("linger.ms", "5");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            for (int i = from; i < from + count; i++) {
                producer.send(new ProducerRecord<>(topic, "line-" + i, WORDS.get(i % WORDS.size())));
            }
            producer.flush();
        }
        Map<String, Integer> totals = new TreeMap<>();
        for (int i = 0; i < from + count; i++) {
            totals.merge(WORDS.get(i % WORDS.size()), 1, Integer::sum);
        }
        return totals;
    }

    /** A producer of words, one a millisecond or so, from a thread of its own until stopped. */
    private static final class Feeder implements AutoCloseable {
        private final KafkaProducer<String, String> producer;
        private final Thread thread;
        private final java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
        private volatile boolean stopping;
        private volatile Exception failure;

        Feeder(String topic) {
            Properties config = new Properties();
            config.put("bootstrap.servers", broker.bootstrapServers());
            producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
            thread = new Thread(() -> {
                try {
                    while (!stopping) {
                        int i = sent.get();
                        producer.send(new ProducerRecord<>(topic, "line-" + i, WORDS.get(i % WORDS.size()))).get();
                        sent.incrementAndGet();
                        Thread.sleep(1);
                    }
                } catch (Exception e) {
                    failure = e;
                }
            }, "feeder");
            thread.start();
        }

        int sent() {
            return sent.get();
        }

        void awaitSent(int wanted) throws InterruptedException {
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (sent.get() < wanted && failure == null && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }

        /** Stops sending; each word's number of occurrences in what was sent. */
        Map<String, Integer> stop() throws InterruptedException {
            stopping = true;
            thread.join();
            if (failure != null) {
                fail("the feeder could not send", failure);
            }
            Map<String, Integer> totals = new TreeMap<>();
            for (int i = 0; i < sent.get(); i++) {
                totals.merge(WORDS.get(i % WORDS.size()), 1, Integer::sum);
            }
            return totals;
        }

        @Override
        public void close() throws InterruptedException {
            stopping = true;
            thread.join();
            producer.close();
        }
    }

    /** The output topic read from its start at one isolation level: each word's counts in the order they came. */
    private static final class Counts implements AutoCloseable {
        private final StreamsOutput output;

        Counts(String topic, String isolation) {
            output = new StreamsOutput(broker.bootstrapServers(), topic, isolation);
        }

        List<Long> of(String word) {
            return output.of(word);
        }

        int records() {
            return output.records();
        }

        void awaitAtLeast(int wanted, ChildProcess.Running... instances) throws InterruptedException {
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (output.records() < wanted) {
                poll(deadline, instances);
            }
        }

        /** Reads until every word's latest count is its total. */
        void awaitFinal(Map<String, Integer> expected, ChildProcess.Running... instances) throws InterruptedException {
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (!expected.entrySet().stream().allMatch(e -> {
                List<Long> seen = of(e.getKey());
                return !seen.isEmpty() && seen.get(seen.size() - 1) == e.getValue().longValue();
            })) {
                poll(deadline, instances);
            }
        }

        /** Reads to the ends the topic has now; the number of records read. */
        int readToEnd() {
            Map<TopicPartition, Long> ends = output.endsNow();
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (!output.reached(ends)) {
                poll(deadline);
            }
            return output.records();
        }

        private void poll(long deadline, ChildProcess.Running... instances) {
            output.poll();
            for (ChildProcess.Running instance : instances) {
                if (!instance.alive()) {
                    fail("an instance stopped before the counts arrived: " + instance.describe());
                }
            }
            StreamsOutput.failPast(deadline, () -> "the counts did not arrive: " + output.records() + " read, last of each "
                    + lastOfEach(), instances);
        }

        private Map<String, Long> lastOfEach() {
            Map<String, Long> last = new TreeMap<>();
            output.byKey.forEach((word, seen) -> last.put(word, seen.get(seen.size() - 1)));
            return last;
        }

        @Override
        public void close() {
            output.close();
        }
    }
}

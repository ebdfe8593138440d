package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static toykafka.kafka.ProxiedDrillBroker.PATIENCE;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import toykafka.testing.Drill;

/**
 * The kill -9 drill for a streams group: a child JVM runs the broker; a Kafka Streams 4.4 word count runs in the
 * test's JVM with Streams' own defaults ({@code group.protocol=streams}, and nothing shortened: the broker's 45 s
 * session and 5 s heartbeat, a commit every 30 s at at-least-once), regrouping the words through a repartition topic
 * and counting them in a RocksDB store with a changelog; a producer writes numbered words all the while. Once the
 * app has committed (its topology asks for one commit, so the drill need not wait out the 30 s), each cycle kills the
 * broker with SIGKILL when the count has taken in a random number of words past those sent before the last restart,
 * starts it again on the same data directory, and waits until the restarted broker has answered one of the app's
 * heartbeats; clients reach it through {@link KafkaProxy}, so the app outlives the kill. The app never goes to
 * {@code PENDING_ERROR} or {@code ERROR}, no stream thread dies, and every word sent is counted: at least once at
 * Streams' default guarantee, exactly once at {@code exactly_once_v2}. A broker that forgot the streams group at a
 * restart made a group of another type of its offsets, and answered the app's next heartbeat with "is not a streams
 * group", which ended its thread.
 *
 * <p>More cycles with {@code -Dtoykafka.kafka.streamsDrill.cycles=20}, other kill points with
 * {@code -Dtoykafka.kafka.streamsDrill.seed=N}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StreamsCrashDrillTest {

    @RegisterExtension
    static final Drill DRILL = Drill.seeded("toykafka.kafka.streamsDrill.seed", 31)
            .cycles("toykafka.kafka.streamsDrill.cycles", 2);

    @TempDir
    Path work;

    private static final String APP = "drill-count";
    private static final String INPUT = "drill-words";
    private static final String OUTPUT = "drill-counts";
    private static final List<String> WORDS = List.of("apple", "bread", "cheese", "dates", "eggs", "figs", "grapes",
            "honey", "jam", "kale", "leeks", "milk");
    /**
     * Each kill comes once the count, through the last restart, has taken in a word numbered up to this many past the
     * highest it had then: up to a second or two of counting.
     */
    private static final int MOST_WORDS_BEFORE_KILL = 1000;
    /** Words counted after the last restart before the producer stops. */
    private static final int WORDS_AFTER_THE_LAST_RESTART = 100;

    @Test
    void a_streams_app_at_its_defaults_counts_every_word_at_least_once_across_kill_minus_9s_of_the_broker()
            throws Exception {
        Map<String, Long> counts = countThroughKills(StreamsConfig.AT_LEAST_ONCE, "read_uncommitted");
        Map<String, Long> shortOfSent = new TreeMap<>();
        sent.forEach((word, number) -> {
            if (counts.getOrDefault(word, 0L) < number) {
                shortOfSent.put(word, counts.getOrDefault(word, 0L));
            }
        });
        assertEquals(Map.of(), shortOfSent, "words whose last count is short of the number sent, " + sent);
    }

    @Test
    void at_exactly_once_v2_the_same_app_counts_every_word_exactly_once_across_kill_minus_9s_of_the_broker()
            throws Exception {
        Map<String, Long> counts = countThroughKills(StreamsConfig.EXACTLY_ONCE_V2, "read_committed");
        assertEquals(longs(sent), counts, "each word's last committed count is the number of it sent");
    }

    /** Each word's number of occurrences in what the producer sent, once it has stopped. */
    private Map<String, Integer> sent = Map.of();

    /**
     * Runs the drill with the app at {@code guarantee}, closes the app once it has counted every word sent, and returns
     * each word's last count, read at {@code isolation} once it is at least the number sent, or past the patience.
     */
    private Map<String, Long> countThroughKills(String guarantee, String isolation) throws Exception {
        long started = System.nanoTime();
        Random random = new Random(DRILL.seed());
        try (ProxiedDrillBroker broker = new ProxiedDrillBroker(work.resolve("data"), INPUT, 2)) {
            String bootstrap = broker.bootstrap();
            createOutput(bootstrap);
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
                 WordCount app = new WordCount(bootstrap, guarantee, work.resolve("state"));
                 Feeder feeder = new Feeder(bootstrap)) {
                // offsets committed: a broker that lost the streams group would replay them into a group of another
                // type, on which the app's next heartbeat fails
                app.commitAsked.set(true);
                app.await(() -> committed(admin) > 0, () -> "the app's first commit", feeder);
                int restartedAt = 0;
                for (int cycle = 0; cycle < DRILL.cycles(); cycle++) {
                    DRILL.cycle(cycle);
                    int through = restartedAt;
                    app.await(() -> app.highestCounted.get() >= through, () -> "word " + through + ", sent since"
                            + " the last restart, counted", feeder);
                    int killAt = app.highestCounted.get() + 1 + random.nextInt(MOST_WORDS_BEFORE_KILL);
                    app.await(() -> app.highestCounted.get() >= killAt, () -> "word " + killAt + " counted, to kill"
                            + " the broker", feeder);
                    broker.kill();
                    broker.restart();
                    restartedAt = feeder.next();
                    int heartbeats = broker.answered(ApiKeys.STREAMS_GROUP_HEARTBEAT.id);
                    // where the broker had lost the group, its answer to the first heartbeat ends the app's thread
                    app.await(() -> broker.answered(ApiKeys.STREAMS_GROUP_HEARTBEAT.id) > heartbeats,
                            () -> "a heartbeat of the app answered by the restarted broker", feeder);
                }
                DRILL.at("the counts after the last restart");
                int last = restartedAt + WORDS_AFTER_THE_LAST_RESTART;
                app.await(() -> app.highestCounted.get() >= last, () -> "word " + last + " counted", feeder);
                sent = feeder.stop();
                int words = feeder.next();
                app.await(() -> app.counted.size() >= words, () -> "all " + words + " words counted, "
                        + app.counted.size() + " are", feeder);
                app.closeAndCheck();
                System.out.printf("streams crash drill (%s): %d kill -9 cycles, %d words counted, %.1f s (seed %d)%n",
                        guarantee, DRILL.cycles(), words, (System.nanoTime() - started) / 1e9, DRILL.seed());
            }
            Map<String, Long> counts = lastCounts(bootstrap, isolation);
            broker.kill();
            broker.assertNoFaults("the last broker");
            return counts;
        }
    }

    /** How many partitions the app has committed an offset of. */
    private static int committed(Admin admin) {
        try {
            return admin.listConsumerGroupOffsets(APP).partitionsToOffsetAndMetadata()
                    .get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).size();
        } catch (Exception e) {
            throw new IllegalStateException("could not read the app's offsets", e);
        }
    }

    private static void createOutput(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(OUTPUT, 4, (short) 1))).all()
                    .get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Each word's last count in the output, once every word sent has a count at least its number sent. */
    private Map<String, Long> lastCounts(String bootstrap, String isolation) {
        try (StreamsOutput output = new StreamsOutput(bootstrap, OUTPUT, isolation)) {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (!sent.entrySet().stream().allMatch(word -> last(output, word.getKey()) >= word.getValue())
                    && System.nanoTime() < deadline) {
                output.poll();
            }
            Map<String, Long> counts = new TreeMap<>();
            output.byKey.keySet().forEach(word -> counts.put(word, last(output, word)));
            return counts;
        }
    }

    private static long last(StreamsOutput output, String word) {
        List<Long> seen = output.of(word);
        return seen.isEmpty() ? 0 : seen.get(seen.size() - 1);
    }

    private static Map<String, Long> longs(Map<String, Integer> counts) {
        Map<String, Long> longs = new TreeMap<>();
        counts.forEach((word, count) -> longs.put(word, (long) count));
        return longs;
    }

    /**
     * The word count, with Streams' defaults but for the guarantee: each input record is a word keyed by its number;
     * the words are regrouped by word (through a repartition topic), and the numbers reaching the count are noted, so
     * the drill knows what the app has taken in through the broker. Every state it goes to and every thread that dies
     * is kept.
     */
    private static final class WordCount implements AutoCloseable {
        final KafkaStreams streams;
        final Set<Integer> counted = ConcurrentHashMap.newKeySet();
        final AtomicInteger highestCounted = new AtomicInteger(-1);
        /** Set, the app asks Kafka Streams to commit once it has counted its next word. */
        final AtomicBoolean commitAsked = new AtomicBoolean();
        final List<String> transitions = Collections.synchronizedList(new ArrayList<>());
        final List<Throwable> died = Collections.synchronizedList(new ArrayList<>());

        WordCount(String bootstrap, String guarantee, Path stateDir) {
            StreamsBuilder builder = new StreamsBuilder();
            builder.<String, String>stream(INPUT)
                    .map((number, word) -> KeyValue.pair(word, number))
                    .repartition()
                    .processValues(() -> new FixedKeyProcessor<String, String, String>() {
                        private FixedKeyProcessorContext<String, String> context;

                        @Override
                        public void init(FixedKeyProcessorContext<String, String> context) {
                            this.context = context;
                        }

                        @Override
                        public void process(FixedKeyRecord<String, String> record) {
                            int n = Integer.parseInt(record.value());
                            counted.add(n);
                            highestCounted.accumulateAndGet(n, Math::max);
                            if (commitAsked.compareAndSet(true, false)) {
                                context.commit();
                            }
                            context.forward(record);
                        }
                    })
                    .groupByKey()
                    .count()
                    .toStream()
                    .to(OUTPUT, Produced.with(Serdes.String(), Serdes.Long()));
            Properties settings = new Properties();
            settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            settings.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
            settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            settings.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
            settings.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
            settings.put(StreamsConfig.GROUP_PROTOCOL_CONFIG, "streams");
            settings.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
            streams = new KafkaStreams(builder.build(), settings);
            streams.setStateListener((now, before) -> transitions.add(before + " -> " + now));
            streams.setUncaughtExceptionHandler(exception -> {
                died.add(exception);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            streams.start();
        }

        /**
         * Waits until {@code done}, failing at once if the app has gone to an error state or a thread has died, or the
         * producer failed, and past the patience.
         */
        void await(BooleanSupplier done, Supplier<String> what, Feeder feeder) throws InterruptedException {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (!done.getAsBoolean()) {
                assertNoTrouble(what.get());
                feeder.assertSending();
                assertTrue(System.nanoTime() < deadline, "still not " + what.get() + " after " + PATIENCE + "; app "
                        + streams.state() + ", states " + transitions);
                Thread.sleep(20);
            }
        }

        /**
         * Closes the app, which flushes its cache and commits: at-least-once commits only every 30 s by default, and
         * the drill waits on the counts, not on that clock.
         */
        void closeAndCheck() {
            assertTrue(streams.close(PATIENCE), "the app closed; states " + transitions);
            assertNoTrouble("closed");
        }

        private void assertNoTrouble(String what) {
            List<String> errors = transitions.stream().filter(t -> t.endsWith("ERROR")).toList();
            if (!errors.isEmpty() || !died.isEmpty()) {
                fail("waiting for " + what + ", the app went " + transitions + ", threads died of " + died,
                        died.isEmpty() ? null : died.get(0));
            }
        }

        @Override
        public void close() {
            streams.close(PATIENCE);
        }
    }

    /**
     * Sends word {@code i % 12} keyed by its number {@code i}, until stopped, with the producer's defaults
     * (idempotent, acks=all), so what is in flight at a kill is sent again to the restarted broker and written once;
     * at most {@link #IN_FLIGHT} sends wait for their acknowledgement at a time.
     */
    private static final class Feeder implements AutoCloseable {
        private static final int IN_FLIGHT = 50;
        private final KafkaProducer<String, String> producer;
        private final Semaphore window = new Semaphore(IN_FLIGHT);
        private final Thread thread;
        private final AtomicInteger next = new AtomicInteger();
        private volatile boolean stopping;
        private volatile Exception failure;

        Feeder(String bootstrap) {
            producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap), new StringSerializer(),
                    new StringSerializer());
            thread = new Thread(() -> {
                try {
                    while (!stopping) {
                        window.acquire();
                        int i = next.getAndIncrement();
                        producer.send(new ProducerRecord<>(INPUT, String.valueOf(i), WORDS.get(i % WORDS.size())),
                                (metadata, exception) -> {
                                    if (exception != null) {
                                        failure = exception;
                                    }
                                    window.release();
                                });
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "drill-feeder");
            thread.start();
        }

        /** The number the next word sent will have. */
        int next() {
            return next.get();
        }

        void assertSending() {
            if (failure != null) {
                fail("the producer could not send a word", failure);
            }
        }

        /** Stops sending once every word sent is acknowledged; each word's number of occurrences in what was sent. */
        Map<String, Integer> stop() throws InterruptedException {
            stopping = true;
            thread.join();
            producer.flush();
            assertSending();
            return IntStream.range(0, next.get()).mapToObj(i -> WORDS.get(i % WORDS.size()))
                    .collect(Collectors.groupingBy(word -> word, TreeMap::new, Collectors.summingInt(word -> 1)));
        }

        @Override
        public void close() throws InterruptedException {
            stopping = true;
            thread.interrupt(); // it may be waiting for room in the window
            thread.join();
            producer.close(Duration.ofSeconds(5));
        }
    }
}

package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static toykafka.kafka.ProxiedDrillBroker.PATIENCE;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import toykafka.testing.Drill;

/**
 * The kill -9 drill with kafka-clients 3.9: a child JVM runs the broker with its Kafka front end and
 * {@code log.flush.interval.messages=1}; the test runs a {@link KafkaProducer} with its defaults (idempotent,
 * acks=all) sending numbered records to two partitions, kills the child with SIGKILL after a random number
 * of acknowledgements, and starts it again on the same data directory. Clients reach the broker through
 * {@link KafkaProxy}, whose port the broker advertises, so the producer of the cycle outlives the kill: what
 * it had in flight it sends again to the restarted broker, which must know a batch it wrote before the kill
 * by the producer id and sequences in the log, and answer it without writing it again. Then the producer is
 * closed and a consumer reads every partition: every acknowledged record is at the offset it was acknowledged
 * at, no number is there twice, nothing is there that was not sent, and what was read before is still there.
 * Each cycle's producer is a new one, which must get a producer id the restarted broker has never handed out.
 *
 * <p>Run more cycles with {@code -Dtoykafka.kafka.drill.cycles=50}, other kill points with
 * {@code -Dtoykafka.kafka.drill.seed=N}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaCrashDrillTest {

    @RegisterExtension
    static final Drill DRILL = Drill.seeded("toykafka.kafka.drill.seed", 21)
            .cycles("toykafka.kafka.drill.cycles", 5);
    private static final String TOPIC = "drill";
    private static final int PARTITIONS = 2;
    /** Each cycle's kill comes after 0 to this many acknowledged records. */
    private static final int MOST_ACKS_BEFORE_KILL = 600;
    /** How many sends the producer has outstanding at most: enough for several batches in flight per partition. */
    private static final int MOST_IN_FLIGHT = 300;

    @TempDir
    Path work;

    @Test
    void every_acknowledged_record_survives_kill_minus_9_once_at_its_offset() throws Exception {
        long started = System.nanoTime();
        Random random = new Random(DRILL.seed());
        Ledger ledger = new Ledger();
        int killsMidProduce = 0;
        try (ProxiedDrillBroker broker = new ProxiedDrillBroker(work.resolve("data"), TOPIC, PARTITIONS)) {
            String bootstrap = broker.bootstrap();
            for (int cycle = 0; cycle < DRILL.cycles(); cycle++) {
                DRILL.cycle(cycle);
                int killAfter = random.nextInt(MOST_ACKS_BEFORE_KILL + 1);
                String where = "cycle " + cycle + " (seed " + DRILL.seed() + ", killed after " + killAfter
                        + " acknowledgements)";
                try (CycleProducer producer = new CycleProducer(bootstrap, ledger)) {
                    producer.awaitAcks(killAfter, where);
                    killsMidProduce += producer.inFlight() > 0 ? 1 : 0;
                    broker.kill();
                    producer.stopSending();
                    broker.assertNoFaults(where);
                    broker.restart(ledger::restarted);
                    producer.finish(where);
                }
                ledger.check(ConsumedPartition.readAllPartitions(bootstrap, TOPIC, PARTITIONS), where);
            }
            broker.kill();
            DRILL.at("the checks after the last cycle");
            broker.assertNoFaults("the last broker");
        }
        int producerIds = assertEachProducerHadANewId();
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("kafka crash drill: %d kill -9 cycles (%d with sends in flight), %d records acknowledged"
                + " by %d producer ids, each found once at its offset after every restart; %d written before a kill"
                + " were acknowledged by the restarted broker without a second copy; %.1f s (seed %d)%n",
                DRILL.cycles(), killsMidProduce, ledger.acknowledged.size(), producerIds,
                ledger.retriesRecognised.get(), seconds, DRILL.seed());
        assertTrue(ledger.acknowledged.size() >= DRILL.cycles() * 10, "the cycles acknowledged records to check: "
                + ledger.acknowledged.size());
    }

    /**
     * Reads the batch headers on disk with Kafka's own reader: in each partition producer ids only grow, so the
     * producer of a later cycle never got an id an earlier one had, across every restart; and each cycle's
     * producer wrote under an id of its own. Returns how many ids wrote.
     */
    private int assertEachProducerHadANewId() {
        Set<Long> ids = new TreeSet<>();
        for (int p = 0; p < PARTITIONS; p++) {
            long last = -1;
            for (StoredBatches.Batch batch : StoredBatches.of(work.resolve("data"), TOPIC, p)) {
                assertTrue(batch.producerId() >= last, "partition " + p + ": " + batch + " follows a batch of producer "
                        + last + ", from a later cycle: an id was handed out twice");
                last = batch.producerId();
                ids.add(last);
            }
        }
        assertTrue(ids.size() >= DRILL.cycles(), "each cycle's producer got an id of its own: " + ids);
        return ids.size();
    }

    /** Where a record is. */
    private record Place(int partition, long offset) {
    }

    /**
     * Everything the drill knows across cycles: how many numbers were sent, where each acknowledged one is,
     * the sends that failed, and the log as the last check read it.
     */
    private static final class Ledger {
        final AtomicInteger sent = new AtomicInteger();
        final Map<Integer, Place> acknowledged = new ConcurrentHashMap<>();
        final Map<Integer, String> failed = new ConcurrentHashMap<>();
        final AtomicInteger retriesRecognised = new AtomicInteger();
        /** The end offsets the broker recovered to at its last restart; null until the first kill of a cycle. */
        volatile long[] endsAtRestart;
        /** The log as the last check read it: what a reader saw may never change. */
        Map<Place, Integer> seen = Map.of();

        int nextNumber() {
            return sent.getAndIncrement();
        }

        void acknowledged(int number, RecordMetadata metadata) {
            Place place = new Place(metadata.partition(), metadata.offset());
            acknowledged.put(number, place);
            long[] ends = endsAtRestart;
            if (ends != null && place.offset() < ends[place.partition()]) {
                retriesRecognised.incrementAndGet(); // written before the kill, acknowledged after it
            }
        }

        void failed(int number, Exception e) {
            failed.put(number, e.getClass().getSimpleName() + ": " + e.getMessage());
        }

        void restarted(long[] ends) {
            endsAtRestart = ends;
        }

        /**
         * Checks the log as a consumer read it: dense offsets from 0, each number sent and there once, every
         * acknowledged number at its place, and everything a reader saw before still there unchanged.
         */
        void check(List<ConsumedPartition.Read> log, String where) {
            assertEquals(Map.of(), failed, where + ": sends failed");
            Map<Integer, Place> found = new HashMap<>();
            Map<Place, Integer> now = new HashMap<>();
            long[] next = new long[PARTITIONS];
            for (ConsumedPartition.Read read : log) {
                Place place = new Place(read.partition(), read.offset());
                assertEquals(next[read.partition()]++, read.offset(), where + ": offsets of partition " + read.partition()
                        + " are dense from 0");
                int number = Integer.parseInt(read.value());
                assertTrue(number >= 0 && number < sent.get(), where + ": " + place + " holds " + number
                        + ", which was never sent");
                Place before = found.putIfAbsent(number, place);
                assertTrue(before == null, where + ": record " + number + " is at " + before + " and again at " + place);
                now.put(place, number);
            }
            acknowledged.forEach((number, place) -> assertEquals(place, found.get(number), where + ": record "
                    + number + " was acknowledged at " + place));
            seen.forEach((place, number) -> assertEquals(number, now.get(place), where + ": " + place
                    + " changed since a reader saw it"));
            seen = now;
            endsAtRestart = null;
        }
    }

    /**
     * One cycle's producer: a new {@link KafkaProducer} with its defaults, sending numbered records from a
     * thread of its own, up to {@link #MOST_IN_FLIGHT} outstanding, until told to stop.
     */
    private static final class CycleProducer implements AutoCloseable {
        final KafkaProducer<String, String> producer;
        final Ledger ledger;
        final Semaphore outstanding = new Semaphore(MOST_IN_FLIGHT);
        final Semaphore acks = new Semaphore(0);
        final List<String> problems = Collections.synchronizedList(new ArrayList<>());
        final Thread sender;
        volatile boolean stopped;

        CycleProducer(String bootstrap, Ledger ledger) {
            Properties config = new Properties();
            config.put("bootstrap.servers", bootstrap);
            config.put("key.serializer", StringSerializer.class.getName());
            config.put("value.serializer", StringSerializer.class.getName());
            config.put("client.id", "drill");
            // A dead broker shows as a closed connection at once; these only bound a connection that hangs.
            config.put("request.timeout.ms", "10000");
            config.put("delivery.timeout.ms", String.valueOf(PATIENCE.toMillis()));
            config.put("max.block.ms", String.valueOf(PATIENCE.toMillis()));
            // While the broker restarts, try again every 100 ms rather than backing off to a second.
            config.put("reconnect.backoff.max.ms", "100");
            config.put("retry.backoff.max.ms", "100");
            this.producer = new KafkaProducer<>(config);
            this.ledger = ledger;
            this.sender = new Thread(this::send, "drill-producer");
            sender.setUncaughtExceptionHandler((thread, e) -> problems.add("the sending thread failed: " + e));
            sender.start();
        }

        private void send() {
            try {
                while (!stopped) {
                    if (!outstanding.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    int number = ledger.nextNumber();
                    String text = String.valueOf(number);
                    producer.send(new ProducerRecord<>(TOPIC, text, text), (metadata, e) -> {
                        if (e == null) {
                            ledger.acknowledged(number, metadata);
                            acks.release();
                        } else {
                            ledger.failed(number, e);
                        }
                        outstanding.release();
                    });
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Waits for {@code count} acknowledgements in this cycle. */
        void awaitAcks(int count, String where) throws InterruptedException {
            if (!acks.tryAcquire(count, PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                fail(where + ": " + acks.availablePermits() + " acknowledgements in " + PATIENCE + ", not " + count
                        + "; failures " + ledger.failed + " " + problems);
            }
        }

        /** How many sends are waiting for their answer now. */
        int inFlight() {
            return MOST_IN_FLIGHT - outstanding.availablePermits();
        }

        /** Stops sending new records; those already sent are still waiting for their answers. */
        void stopSending() throws InterruptedException {
            stopped = true;
            sender.join(PATIENCE.toMillis());
        }

        /** Waits until every send has its answer: acknowledged by the restarted broker, or failed. */
        void finish(String where) throws InterruptedException {
            producer.flush();
            if (!outstanding.tryAcquire(MOST_IN_FLIGHT, PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                fail(where + ": " + (MOST_IN_FLIGHT - outstanding.availablePermits()) + " sends never completed");
            }
            assertEquals(List.of(), problems, where);
        }

        @Override
        public void close() throws InterruptedException {
            stopped = true;
            sender.join(PATIENCE.toMillis());
            producer.close(Duration.ZERO); // after finish() nothing is left; after a failure, nothing waits
        }
    }
}

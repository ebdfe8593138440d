package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.kafka.ProxiedDrillBroker.PATIENCE;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import toykafka.testing.Drill;

/**
 * The kill -9 drill for transactions, with kafka-clients 3.9: a child JVM runs the broker ({@link
 * KafkaCrashDrillChild}, every append fsynced); one {@code transactional.id} runs transaction after transaction, each
 * writing numbered records to both partitions and the offset past its number for a group, and the broker is killed
 * with SIGKILL at a random moment of one of them: after its records, after its offsets, or while it commits, before,
 * between or after the markers. A new instance of the producer then starts on the restarted broker, which must
 * finish or abort what was left. At the end a {@code read_committed} consumer reads both partitions: every
 * transaction whose commit returned is there whole, a transaction cut off by a kill is there whole or not at all,
 * none twice; every transaction has ended and no partition's last stable offset is held; and the group's offset is
 * the one the last transaction there wrote, no other.
 *
 * <p>Run more cycles with {@code -Dtoykafka.kafka.txn.drill.cycles=20}, other kill points with
 * {@code -Dtoykafka.kafka.txn.drill.seed=N}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaTransactionsCrashDrillTest {

    @RegisterExtension
    static final Drill DRILL = Drill.seeded("toykafka.kafka.txn.drill.seed", 15)
            .cycles("toykafka.kafka.txn.drill.cycles", 3);
    private static final String TOPIC = "drill";
    private static final int PARTITIONS = 2;
    private static final String GROUP = "drill-group";
    /** Where the transactions' offsets go: the drill's own topic, as a consume-transform-produce loop's input. */
    private static final TopicPartition INPUT = new TopicPartition(TOPIC, 0);

    @TempDir
    Path work;

    private enum Outcome { COMMITTED, CUT_OFF }

    @Test
    void a_transaction_cut_off_by_kill_minus_9_is_there_whole_or_not_at_all_and_a_committed_one_always() throws Exception {
        Random random = new Random(DRILL.seed());
        Map<Integer, Outcome> outcomes = new TreeMap<>();
        Map<Integer, Integer> sizes = new HashMap<>();
        int next = 0;
        List<String> kills = new ArrayList<>();
        try (ProxiedDrillBroker broker = new ProxiedDrillBroker(work.resolve("data"), TOPIC, PARTITIONS)) {
            String bootstrap = broker.bootstrap();
            for (int cycle = 0; cycle <= DRILL.cycles(); cycle++) {
                DRILL.cycle(cycle);
                boolean last = cycle == DRILL.cycles();
                KafkaProducer<String, String> producer = producer(bootstrap);
                producer.initTransactions(); // finishes or aborts what the killed instance left
                int committedFirst = last ? 2 : random.nextInt(4);
                for (int i = 0; i < committedFirst; i++, next++) {
                    sizes.put(next, 1 + random.nextInt(6));
                    assertTrue(run(producer, next, sizes.get(next), Kill.NEVER, null, 0));
                    outcomes.put(next, Outcome.COMMITTED);
                }
                if (last) {
                    producer.close(PATIENCE);
                    break;
                }
                Kill kill = Kill.values()[1 + random.nextInt(Kill.values().length - 1)];
                int delayMicros = random.nextInt(60_000);
                DrillChildBroker dying = broker.child();
                sizes.put(next, 1 + random.nextInt(6));
                boolean committed;
                try {
                    committed = run(producer, next, sizes.get(next), kill, dying, delayMicros);
                } catch (KafkaException cutOff) {
                    committed = false;
                }
                dying.kill(); // whatever happened, the broker is killed now if it was not
                producer.close(Duration.ZERO);
                outcomes.put(next, committed ? Outcome.COMMITTED : Outcome.CUT_OFF);
                kills.add("transaction " + next + " " + kill.name().toLowerCase() + (committed ? ", committed" : ""));
                next++;
                dying.assertNoFaults("cycle " + cycle + " (seed " + DRILL.seed() + ")");
                broker.restart();
            }
            DRILL.at("the read of what the cycles left");
            check(bootstrap, outcomes, sizes, kills);
            broker.kill();
            broker.assertNoFaults("the last broker");
        }
    }

    /** When, in a transaction, the broker is killed; a commit here writes its decision and three markers, fsyncing each. */
    private enum Kill {
        NEVER,
        /** the records are written, the transaction open */
        AFTER_THE_RECORDS,
        /** the offsets are written too, the commit never asked */
        AFTER_THE_OFFSETS,
        /** a few milliseconds into the commit: before the decision, between the markers or after them */
        DURING_THE_COMMIT
    }

    /**
     * Transaction {@code number}: its records to both partitions, its offset, its commit, with the broker killed at
     * {@code kill}. Whether the commit returned; a commit the kill cut off throws as soon as the broker is gone.
     */
    private static boolean run(KafkaProducer<String, String> producer, int number, int records, Kill kill,
                               DrillChildBroker broker, int delayMicros) {
        producer.beginTransaction();
        for (int i = 0; i < records; i++) {
            producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, "t" + number, number + "-" + i));
        }
        producer.flush();
        if (kill == Kill.AFTER_THE_RECORDS) {
            broker.kill();
            return false;
        }
        producer.sendOffsetsToTransaction(Map.of(INPUT, new OffsetAndMetadata(number + 1L)),
                new ConsumerGroupMetadata(GROUP));
        if (kill == Kill.AFTER_THE_OFFSETS) {
            broker.kill();
            return false;
        }
        if (kill != Kill.DURING_THE_COMMIT) {
            producer.commitTransaction();
            return true;
        }
        // The commit cannot finish once its broker is dead: the kill interrupts it (an InterruptException, a
        // KafkaException) rather than leave it waiting out max.block.ms, which is long for a busy machine's sake.
        Thread committer = Thread.currentThread();
        AtomicBoolean committing = new AtomicBoolean(true);
        CompletableFuture.delayedExecutor(delayMicros, TimeUnit.MICROSECONDS).execute(() -> {
            broker.kill();
            synchronized (committing) {
                if (committing.get()) {
                    committer.interrupt();
                }
            }
        });
        try {
            producer.commitTransaction();
            return true;
        } finally {
            synchronized (committing) {
                committing.set(false);
                Thread.interrupted(); // an interrupt that came as the commit returned is spent here
            }
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrap);
        config.put("transactional.id", "drill");
        // generous: every wait ends at its answer, and a commit cut off by the kill ends at the kill (run)
        config.put("max.block.ms", String.valueOf(PATIENCE.toMillis()));
        config.put("request.timeout.ms", String.valueOf(PATIENCE.toMillis() / 2));
        config.put("delivery.timeout.ms", String.valueOf(PATIENCE.toMillis()));
        config.put("linger.ms", "0");
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static void check(String bootstrap, Map<Integer, Outcome> outcomes, Map<Integer, Integer> sizes,
                              List<String> kills) throws Exception {
        Map<Integer, Integer> seen = new TreeMap<>();
        TreeSet<String> values = new TreeSet<>();
        for (String value : readCommitted(bootstrap)) {
            assertTrue(values.add(value), value + " is read twice");
            seen.merge(Integer.parseInt(value.substring(0, value.indexOf('-'))), 1, Integer::sum);
        }
        String story = "kills: " + kills + "; transactions read " + seen + " (seed " + DRILL.seed() + ")";
        int lastPresent = -1;
        List<String> cutOff = new ArrayList<>();
        for (Map.Entry<Integer, Outcome> transaction : outcomes.entrySet()) {
            int number = transaction.getKey();
            int read = seen.getOrDefault(number, 0);
            if (transaction.getValue() == Outcome.COMMITTED) {
                assertEquals(sizes.get(number), read, "transaction " + number + " committed: all of it; " + story);
            } else {
                assertTrue(read == 0 || sizes.containsKey(number) && read == sizes.get(number),
                        "transaction " + number + " was cut off: all of it or none; " + story);
            }
            lastPresent = read > 0 ? number : lastPresent;
            if (transaction.getValue() == Outcome.CUT_OFF) {
                cutOff.add(number + (read > 0 ? " whole" : " none"));
            }
        }
        assertTrue(seen.keySet().stream().allMatch(outcomes::containsKey), "nothing read that no transaction wrote; "
                + story);

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            TransactionDescription drill = admin.describeTransactions(List.of("drill")).all()
                    .get(PATIENCE.toSeconds(), TimeUnit.SECONDS).get("drill");
            assertTrue(List.of("CompleteCommit", "CompleteAbort", "Empty").contains(drill.state().toString()),
                    "every transaction ended: " + drill.state());
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                latest.put(new TopicPartition(TOPIC, p), OffsetSpec.latest());
            }
            var stable = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            var ends = admin.listOffsets(latest).all().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            for (TopicPartition partition : latest.keySet()) {
                assertEquals(ends.get(partition).offset(), stable.get(partition).offset(),
                        partition + ": no transaction holds the last stable offset");
            }
            OffsetAndMetadata committed = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata()
                    .get(PATIENCE.toSeconds(), TimeUnit.SECONDS).get(INPUT);
            assertEquals(lastPresent + 1L, committed.offset(), "the group's offset is the last visible transaction's; "
                    + story);
        }
        System.out.printf("transactions crash drill: %d kill -9 cycles (%s); %d transactions, %d committed for sure,"
                + " the cut-off ones read %s (seed %d)%n", DRILL.cycles(), String.join("; ", kills), outcomes.size(),
                outcomes.values().stream().filter(outcome -> outcome == Outcome.COMMITTED).count(), cutOff,
                DRILL.seed());
    }

    private static List<String> readCommitted(String bootstrap) {
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrap);
        config.put("isolation.level", "read_committed");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(TOPIC, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, PATIENCE);
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, PATIENCE) < ends.get(p))) {
                assertTrue(System.nanoTime() < deadline, "read to " + ends + " within " + PATIENCE);
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}

package toykafka.lesson15;

import static toykafka.lesson13.KafkaDemos.OPENING;
import static toykafka.lesson13.KafkaDemos.PATIENCE;
import static toykafka.lesson13.KafkaDemos.PATIENCE_ON_A_CLUSTER;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import toykafka.broker.PartitionData;
import toykafka.broker.FetchPartition;
import toykafka.broker.FetchParams;
import toykafka.broker.Broker;
import toykafka.broker.config.BrokerConfig;
import toykafka.common.ControlRecord;
import toykafka.common.RecordBatch;
import toykafka.lesson10.DemoBroker;
import toykafka.lesson13.KafkaDemos;
import toykafka.narration.Narrator;
import toykafka.narration.Telling;

/**
 * Lesson 15, narrated: the shop's cashier reads each meal the tills sold and writes its bill, Kafka's
 * consume-transform-produce loop. Killed between writing the bills and committing its offsets, a plain cashier
 * bills every meal twice. A transactional one writes the bills and the offsets in one transaction: killed in the
 * middle, its bills stay invisible to {@code read_committed} readers until the next cashier with its
 * {@code transactional.id} starts, fences it and aborts them; the meals are billed again, once. A cashier that was
 * only stalled, not dead, is fenced when it tries to commit.
 *
 * <p>The story is watched through Kafka's public clients only (consumers at both isolation levels, Admin's
 * offsets, transactions and producers), so {@link #narrateOn} runs it unchanged on any cluster; on our own broker,
 * {@link #narrate} also shows the markers in the log and runs the lesson's {@link AbortedTransactionFilter} on the
 * broker's own fetch.
 */
public final class Lesson15Demo {

    private static final Path DATA = Path.of("data", "generated", "15-exactly-once");
    static final String MEALS = "meals";
    static final String BILLS_TWICE = "bills-at-least-once";
    public static final String BILLS = "bills";
    static final String TRANSACTIONAL_ID = "cashier";
    public static final int PARTITIONS = 3;
    private static final String[] DISHES = {"cod and chips", "haddock and mushy peas", "plaice and chips",
            "pie and curry sauce", "scampi and chips", "battered sausage"};

    private Lesson15Demo() {
    }

    /** With no argument, on our broker started in-process; with a bootstrap address, on that cluster. */
    public static void main(String[] args) {
        KafkaDemos.main(args, Lesson15Demo::narrate, Lesson15Demo::narrateOn);
    }

    /** The whole story on our broker, started in-process, with the markers in its log. */
    public static void narrate(Narrator story) {
        Telling.run(15, DATA, () -> {
            story.title("Lesson 15: exactly once");
            try (DemoBroker shop = DemoBroker.speakingKafka(DATA,
                    Map.of(BrokerConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0"))) {
                story.say("Our broker runs in this process, so besides what any client sees the demo can read the"
                        + " bills' partitions batch by batch, markers included.");
                tell(story, shop.bootstrapServers(), Optional.of(shop.broker()), PATIENCE);
            }
        });
    }

    /** The same story on any Kafka cluster, watched only through Kafka's public clients. */
    public static void narrateOn(Narrator story, String bootstrap) {
        Telling.run(15, DATA, () -> {
            story.title("Lesson 15: exactly once, on " + bootstrap);
            story.say("What answers at " + bootstrap + " runs in another process (our own broker, started with"
                    + " ./toykafka broker, or Apache Kafka), so the demo watches it only as any client could, and"
                    + " skips the batches of the log: Kafka's clients never hand a marker to anyone.");
            tell(story, bootstrap, Optional.empty(), PATIENCE_ON_A_CLUSTER);
        });
    }

    private static void tell(Narrator story, String bootstrap, Optional<Broker> insides, Duration patience)
            throws InterruptedException, ExecutionException, TimeoutException {
        try (Admin admin = KafkaDemos.admin(bootstrap)) {
            createTopics(admin, bootstrap, patience);
            sell(bootstrap, patience);
            story.say("The tills sold six meals, two to each of the three partitions of " + MEALS + ". The cashier"
                    + " reads them as a member of a consumer group and writes a bill for each to a topic of bills:"
                    + " read, process, write, and commit the offsets it has read up to.");
            atLeastOnce(story, bootstrap, patience);
            exactlyOnce(story, admin, bootstrap, insides, patience);
        }
    }

    /** The meals, and the two topics of bills, kept for ever: the tills stamp the meals years in the past. */
    private static void createTopics(Admin admin, String bootstrap, Duration patience)
            throws InterruptedException, ExecutionException, TimeoutException {
        KafkaDemos.createKeptForever(admin, bootstrap, List.of(MEALS, BILLS_TWICE, BILLS), PARTITIONS, patience,
                "the three topics (kafka-topics.sh --delete)");
    }

    private static void sell(String bootstrap, Duration patience)
            throws InterruptedException, ExecutionException, TimeoutException {
        Properties settings = new Properties();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, "tills");
        try (KafkaProducer<String, String> tills = new KafkaProducer<>(settings, new StringSerializer(),
                new StringSerializer())) {
            for (int meal = 1; meal <= DISHES.length; meal++) {
                tills.send(new ProducerRecord<>(MEALS, (meal - 1) % PARTITIONS, OPENING + meal, "meal-" + meal,
                        DISHES[meal - 1])).get(patience.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** A plain cashier killed between its bills and its commit: the next one bills every meal again. */
    private static void atLeastOnce(Narrator story, String bootstrap, Duration patience) {
        story.say("First a plain cashier, at least once: it sends the six bills, waits for them to be acknowledged,"
                + " and is killed before commitSync.");
        try (Cashier first = new Cashier(bootstrap, "cashier-1", "cashiers-at-least-once", MEALS, BILLS_TWICE, null,
                patience)) {
            first.bill(first.takeMeals(DISHES.length));
            first.crash();
        }
        story.predict("the next cashier of the group asks where to start (OffsetFetch). What does it find, and how"
                + " many bills are there once it has caught up?");
        try (Cashier second = new Cashier(bootstrap, "cashier-2", "cashiers-at-least-once", MEALS, BILLS_TWICE,
                null, patience)) {
            List<ConsumerRecord<String, String>> taken = second.takeMeals(DISHES.length);
            second.bill(taken);
            second.commitOffsets(taken);
        }
        Map<String, Integer> billed = billsPerMeal(bootstrap, BILLS_TWICE, IsolationLevel.READ_UNCOMMITTED, patience);
        story.show("bills in " + BILLS_TWICE, total(billed) + " for " + DISHES.length + " meals");
        story.show("meals billed twice", billedTwice(billed));
        story.say("No offset had been committed, so cashier-2 started from the earliest offsets and billed every meal"
                + " again. Committing first and billing after would lose the bills instead: a crash between two"
                + " writes always leaves one of them done. What is needed is one write that does both.");
    }

    /** The same cashier with a transactional.id: the bills and the offsets commit or abort together. */
    private static void exactlyOnce(Narrator story, Admin admin, String bootstrap, Optional<Broker> insides,
            Duration patience) throws InterruptedException, ExecutionException, TimeoutException {
        story.say("Now the cashier has transactional.id=" + TRANSACTIONAL_ID + ". initTransactions() finds the"
                + " transaction coordinator (FindCoordinator) and gets a producer id and epoch for that id"
                + " (InitProducerId). For each round it begins a transaction, sends the bills (each partition's"
                + " leader adds the partition to the transaction when its first bill arrives), and hands the offsets"
                + " it has read to the transaction as well (sendOffsetsToTransaction: TxnOffsetCommit to the group's"
                + " coordinator, which adds the offsets partition). That is transaction version 2, what a Kafka 4"
                + " client speaks; a Kafka 3 client adds both itself first (AddPartitionsToTxn, AddOffsetsToTxn)."
                + " cashier-1 does all of that and is killed before commitTransaction.");
        try (Cashier first = new Cashier(bootstrap, "cashier-1", "cashiers", MEALS, BILLS, TRANSACTIONAL_ID,
                patience)) {
            first.billInOneTransaction(first.takeMeals(DISHES.length), false);
            first.crash();
        }
        story.show("bills read_uncommitted", total(billsPerMeal(bootstrap, BILLS, IsolationLevel.READ_UNCOMMITTED,
                patience)));
        story.show("bills read_committed", total(billsPerMeal(bootstrap, BILLS, IsolationLevel.READ_COMMITTED,
                patience)));
        showTransaction(story, admin, patience);
        showEnds(story, admin, patience);
        story.say("The six bills are in the log, and a read_uncommitted consumer reads them. A read_committed"
                + " consumer stops at each partition's last stable offset, the first offset of the oldest"
                + " transaction still open there, so it reads nothing, and waits.");
        insides.ifPresent(broker -> showLog(story, broker));

        story.predict("cashier-2 starts with the same transactional.id. What happens to cashier-1's bills, and where"
                + " does cashier-2 start reading the meals?");
        try (Cashier second = new Cashier(bootstrap, "cashier-2", "cashiers", MEALS, BILLS, TRANSACTIONAL_ID,
                patience)) {
            story.say("cashier-2's InitProducerId found the id's transaction open: the coordinator aborted it under"
                    + " the next epoch, writing an ABORT marker to every partition it had touched, the group's offsets"
                    + " partition too, and gave cashier-2 the epoch after that. cashier-1's offsets went with the"
                    + " abort: the group has none, so cashier-2 starts from the earliest meals.");
            showTransaction(story, admin, patience);
            second.billInOneTransaction(second.takeMeals(DISHES.length), true);
            showTransaction(story, admin, patience);

            Map<String, Integer> committed = billsPerMeal(bootstrap, BILLS, IsolationLevel.READ_COMMITTED, patience);
            story.show("bills read_committed", total(committed) + " for " + DISHES.length + " meals");
            story.show("meals billed twice", billedTwice(committed));
            story.show("bills read_uncommitted", total(billsPerMeal(bootstrap, BILLS, IsolationLevel.READ_UNCOMMITTED,
                    patience)));
            showEnds(story, admin, patience);
            showOffsets(story, admin, patience);
            insides.ifPresent(broker -> showLog(story, broker));
            zombie(story, bootstrap, second);
        }
        story.say("Exactly once, then, means this: each meal's bill and the offset past the meal become visible"
                + " together or not at all, to readers that ask for read_committed. It says nothing of what the"
                + " cashier did outside Kafka: had cashier-1 also printed a receipt on paper, that receipt was printed"
                + " twice.");
    }

    /** A cashier that stalled, not died, tries to go on after its successor started: it is fenced. */
    private static void zombie(Narrator story, String bootstrap, Cashier stalled) {
        story.say("A cashier can also stall (a long pause, a lost network) and come back believing it still works."
                + " Here cashier-3 starts with the same id while cashier-2 is still there, and cashier-2 then tries"
                + " one more round.");
        Properties settings = new Properties();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, "cashier-3");
        settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID);
        try (KafkaProducer<String, String> third = new KafkaProducer<>(settings, new StringSerializer(),
                new StringSerializer())) {
            third.initTransactions();
            String outcome;
            try {
                stalled.bills.beginTransaction();
                stalled.bills.send(new ProducerRecord<>(BILLS, 0, "meal-1", "bill for cod and chips"));
                stalled.bills.commitTransaction();
                outcome = "committed";
            } catch (KafkaException e) {
                outcome = e.getClass().getSimpleName();
            }
            story.show("cashier-2 commits after cashier-3 started", outcome);
        }
        story.say("Every request of a transaction carries the producer's id and epoch, and the coordinator and the"
                + " partitions refuse an epoch older than the newest: the zombie's bill never becomes visible. Here"
                + " the partition's leader refused it first, before any coordinator was asked; a Kafka 3 client"
                + " hears it from the coordinator, as ProducerFencedException.");
    }

    /** The transaction of the cashier's id, as Admin's describeTransactions sees it once its markers are out. */
    private static void showTransaction(Narrator story, Admin admin, Duration patience)
            throws InterruptedException, ExecutionException, TimeoutException {
        TransactionDescription described = cashierTransaction(admin, patience);
        long deadline = System.nanoTime() + patience.toNanos();
        // Kafka answers EndTxn once its decision is logged and writes the markers after: wait for them
        while (described.state().toString().startsWith("Prepare") && System.nanoTime() < deadline) {
            Thread.sleep(50);
            described = cashierTransaction(admin, patience);
        }
        List<String> bills = described.topicPartitions().stream().filter(p -> p.topic().equals(BILLS))
                .map(TopicPartition::toString).sorted().toList();
        story.show("transaction " + TRANSACTIONAL_ID, described.state() + ", producer epoch "
                + described.producerEpoch() + (bills.isEmpty() ? "" : ", partitions " + bills));
    }

    private static TransactionDescription cashierTransaction(Admin admin, Duration patience)
            throws InterruptedException, ExecutionException, TimeoutException {
        return admin.describeTransactions(List.of(TRANSACTIONAL_ID)).all().get(patience.toMillis(),
                TimeUnit.MILLISECONDS).get(TRANSACTIONAL_ID);
    }

    /** Each partition of the bills: its last stable offset and its end (the high watermark). */
    private static void showEnds(Narrator story, Admin admin, Duration patience)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            latest.put(new TopicPartition(BILLS, partition), OffsetSpec.latest());
        }
        var stable = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                .get(patience.toMillis(), TimeUnit.MILLISECONDS);
        var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all()
                .get(patience.toMillis(), TimeUnit.MILLISECONDS);
        for (TopicPartition partition : latest.keySet()) {
            story.show(partition + " last stable offset / end", stable.get(partition).offset() + " / "
                    + ends.get(partition).offset());
        }
    }

    /** The group's committed offsets beside where the meals end. */
    private static void showOffsets(Narrator story, Admin admin, Duration patience)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("cashiers")
                .partitionsToOffsetAndMetadata().get(patience.toMillis(), TimeUnit.MILLISECONDS);
        for (int partition = 0; partition < PARTITIONS; partition++) {
            OffsetAndMetadata offset = committed.get(new TopicPartition(MEALS, partition));
            story.show("cashiers' committed offset of " + MEALS + "-" + partition, offset == null ? "none"
                    : offset.offset());
        }
    }

    /**
     * On our broker: bills-0 batch by batch as it lies in the log, then what a read_committed fetch of it returns
     * (up to the last stable offset, with the aborted transactions) and what the lesson's filter keeps of that.
     */
    private static void showLog(Narrator story, Broker broker) {
        story.say("Our broker's log of " + BILLS + "-0, batch by batch, markers included:");
        toykafka.common.TopicPartition partition = new toykafka.common.TopicPartition(BILLS, 0);
        for (RecordBatch batch : fetch(broker, partition, false).batches().batches()) {
            story.show("offset " + batch.baseOffset(), describe(batch));
        }
        PartitionData committed = fetch(broker, partition, true);
        List<RecordBatch> batches = committed.batches().batches();
        story.show("a read_committed fetch returns the batches at", batches.stream().map(RecordBatch::baseOffset).toList());
        story.show("with the aborted transactions", committed.abortedTransactions());
        story.show("the batches a read_committed consumer keeps (AbortedTransactionFilter)", new AbortedTransactionFilter()
                .committed(batches, committed.abortedTransactions()).stream().map(RecordBatch::baseOffset).toList());
    }

    private static PartitionData fetch(Broker broker, toykafka.common.TopicPartition partition,
            boolean readCommitted) {
        try {
            return broker.partitions().read(new FetchParams(Duration.ZERO, 1, 1 << 20, List.of(
                    new FetchPartition(partition, 0, 1 << 20)), readCommitted), ByteBuffer.allocate(1 << 20))
                    .get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).get(partition);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading " + partition, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not read " + partition + ": " + e, e);
        }
    }

    private static String describe(RecordBatch batch) {
        String producer = "producer " + batch.producerId() + " epoch " + batch.producerEpoch();
        if (batch.isControl()) {
            return ControlRecord.of(batch) + " marker, " + producer;
        }
        return batch.count() + " bill(s), " + producer + (batch.isTransactional() ? ", transactional" : "");
    }

    /** Every bill of a topic, read from the start to the end at one isolation level: bills per meal. */
    static Map<String, Integer> billsPerMeal(String bootstrap, String topic, IsolationLevel isolation,
            Duration patience) {
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, "auditor");
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString());
        Map<String, Integer> billed = new TreeMap<>();
        try (KafkaConsumer<String, String> auditor = new KafkaConsumer<>(settings, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int partition = 0; partition < PARTITIONS; partition++) {
                partitions.add(new TopicPartition(topic, partition));
            }
            auditor.assign(partitions);
            auditor.seekToBeginning(partitions);
            // the ends at this isolation level: a read_committed consumer's end is the last stable offset
            Map<TopicPartition, Long> ends = auditor.endOffsets(partitions, patience);
            long deadline = System.nanoTime() + patience.toNanos();
            while (partitions.stream().anyMatch(p -> auditor.position(p, patience) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the auditor did not reach the ends " + ends + " of " + topic);
                }
                for (ConsumerRecord<String, String> bill : auditor.poll(Duration.ofMillis(100))) {
                    billed.merge(bill.key(), 1, Integer::sum);
                }
            }
        }
        return billed;
    }

    private static int total(Map<String, Integer> billed) {
        return billed.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static List<String> billedTwice(Map<String, Integer> billed) {
        return billed.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
    }
}

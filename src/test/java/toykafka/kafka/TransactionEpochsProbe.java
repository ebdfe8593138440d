package toykafka.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A transactional id's epochs step by step, as the coordinator and the partitions report them: commit, abort, an
 * abort with nothing written, an open transaction, offsets sent to the transaction, a second instance, Admin's
 * {@code fenceProducers}, and a transaction the coordinator aborts at its timeout, each followed by what the
 * fenced producer hears. Producer ids and times are left out: they differ by nature between two clusters. Runs in
 * a child JVM with Kafka 4's clients, which speak whichever transaction version the cluster finalized:
 * {@code TransactionEpochsProbe <bootstrap servers> <topic>}.
 */
final class TransactionEpochsProbe {

    private static final Duration PATIENCE = Duration.ofMinutes(2);
    private static final int TIMEOUT_MS = 2_000;

    private final String bootstrap;
    private final String topic;
    private final Admin admin;
    private final List<String> lines = new ArrayList<>();

    private TransactionEpochsProbe(String bootstrap, String topic, Admin admin) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.admin = admin;
    }

    public static void main(String[] args) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", args[0]))) {
            TransactionEpochsProbe probe = new TransactionEpochsProbe(args[0], args[1], admin);
            probe.run();
            probe.lines.forEach(System.out::println);
        }
        System.out.flush();
        System.exit(0);
    }

    private void run() throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, Optional.of(3), Optional.empty()))).all()
                .get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        String id = topic + "-till";
        KafkaProducer<String, String> first = producer(id, 60_000);
        first.initTransactions();
        say("init", id);

        first.beginTransaction();
        send(first, 0, "paid");
        send(first, 1, "paid");
        first.commitTransaction();
        say("commit", id);
        lines.add("partition 0 after the commit: " + producerOf(0));

        first.beginTransaction();
        send(first, 0, "voided");
        first.abortTransaction();
        say("abort", id);

        first.beginTransaction();
        first.abortTransaction();
        say("abort with nothing sent", id);

        first.beginTransaction();
        send(first, 1, "pending");
        say("open", id);
        lines.add("partition 1 while open: " + producerOf(1));
        first.commitTransaction();
        lines.add("stable ends once the markers are in: " + stableEndsOnceSettled()
                + ", ends: " + ends(IsolationLevel.READ_UNCOMMITTED));

        first.beginTransaction();
        send(first, 2, "cooked");
        first.sendOffsetsToTransaction(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(3)),
                new ConsumerGroupMetadata(topic + "-kitchen"));
        first.commitTransaction();
        say("offsets sent and committed", id);
        lines.add("the group's offset: " + admin.listConsumerGroupOffsets(topic + "-kitchen")
                .partitionsToOffsetAndMetadata().get().get(new TopicPartition(topic, 0)).offset());

        KafkaProducer<String, String> second = producer(id, 60_000);
        second.initTransactions();
        say("second instance", id);
        lines.add("the first instance sends: " + outcome(() -> {
            first.beginTransaction();
            send(first, 0, "zombie");
        }));
        lines.add("the first instance commits: " + outcome(first::commitTransaction));
        first.close(Duration.ZERO);

        admin.fenceProducers(List.of(id)).all().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        say("fenceProducers", id);
        lines.add("the second instance sends: " + outcome(() -> {
            second.beginTransaction();
            send(second, 0, "after fencing");
        }));
        second.close(Duration.ZERO);

        String slow = topic + "-slow";
        KafkaProducer<String, String> late = producer(slow, TIMEOUT_MS);
        late.initTransactions();
        late.beginTransaction();
        send(late, 2, "slow");
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (describe(slow).state() == TransactionState.ONGOING && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        say("past its timeout", slow);
        lines.add("the timed-out producer commits: " + outcome(late::commitTransaction));
        late.close(Duration.ZERO);
        lines.add("stable ends at last: " + ends(IsolationLevel.READ_COMMITTED));
    }

    private interface Step {
        void run() throws Exception;
    }

    /** "ok", or the simple name of what the client threw, its cause when a future wrapped it. */
    private static String outcome(Step step) {
        try {
            step.run();
            return "ok";
        } catch (Exception e) {
            Throwable cause = e.getCause() != null && !(e instanceof KafkaException) ? e.getCause() : e;
            return cause.getClass().getSimpleName();
        }
    }

    /**
     * The transaction as its coordinator describes it once any markers it is writing are in: Kafka answers EndTxn
     * when the decision is written and writes the markers after, our broker answers once they are written.
     */
    private void say(String step, String transactionalId) throws Exception {
        TransactionDescription described = describe(transactionalId);
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (deciding(described.state()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            described = describe(transactionalId);
        }
        lines.add(step + ": " + described.state() + " epoch " + described.producerEpoch() + " partitions "
                + described.topicPartitions().stream().map(TopicPartition::toString).sorted().toList());
    }

    private static boolean deciding(TransactionState state) {
        return state == TransactionState.PREPARE_COMMIT || state == TransactionState.PREPARE_ABORT
                || state == TransactionState.PREPARE_EPOCH_FENCE;
    }

    private TransactionDescription describe(String transactionalId) throws Exception {
        return admin.describeTransactions(List.of(transactionalId)).description(transactionalId)
                .get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private String producerOf(int partition) throws Exception {
        TopicPartition wanted = new TopicPartition(topic, partition);
        List<ProducerState> producers = admin.describeProducers(List.of(wanted)).all()
                .get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).get(wanted).activeProducers();
        List<String> each = new ArrayList<>();
        for (ProducerState producer : producers) {
            each.add("epoch " + producer.producerEpoch() + " last sequence " + producer.lastSequence()
                    + " open from " + (producer.currentTransactionStartOffset().isPresent()
                    ? "offset " + producer.currentTransactionStartOffset().getAsLong() : "none"));
        }
        return each.toString();
    }

    /**
     * The stable ends once they stop trailing the ends, or as they stand after {@link #PATIENCE}: Kafka answers a
     * commit once it is decided and writes its markers after, so a read straight after may still see a partition's
     * stable end at the transaction's first offset.
     */
    private List<Long> stableEndsOnceSettled() throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        List<Long> stable = ends(IsolationLevel.READ_COMMITTED);
        while (!stable.equals(ends(IsolationLevel.READ_UNCOMMITTED)) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            stable = ends(IsolationLevel.READ_COMMITTED);
        }
        return stable;
    }

    private List<Long> ends(IsolationLevel isolation) throws Exception {
        List<Long> ends = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            TopicPartition partition = new TopicPartition(topic, p);
            ends.add(admin.listOffsets(Map.of(partition, OffsetSpec.latest()), new ListOffsetsOptions(isolation))
                    .partitionResult(partition).get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).offset());
        }
        return ends;
    }

    private void send(KafkaProducer<String, String> producer, int partition, String value) throws Exception {
        producer.send(new ProducerRecord<>(topic, partition, "till", value)).get(PATIENCE.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private KafkaProducer<String, String> producer(String transactionalId, int timeoutMs) {
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrap);
        config.put("transactional.id", transactionalId);
        config.put("transaction.timeout.ms", String.valueOf(timeoutMs));
        config.put("key.serializer", StringSerializer.class.getName());
        config.put("value.serializer", StringSerializer.class.getName());
        config.put("max.block.ms", String.valueOf(PATIENCE.toMillis()));
        return new KafkaProducer<>(config);
    }
}

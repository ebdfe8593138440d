package toykafka.kafka;

import static toykafka.kafka.ProbeSession.WAIT;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Share groups with a dead-letter topic (share.version 2), as Kafka 4.4's clients see them: a consumer accepts most
 * records, rejects one and releases another until the delivery count limit sets it aside. The probe prints what each
 * dead-letter topic then holds (each record's key, value, timestamp type and headers but for the time), for three
 * groups: one writing headers only, one copying the records, and one whose topic is not enabled as a dead-letter
 * topic, which gets nothing.
 */
final class DeadLetterProbe {

    private static final String TOPIC = "tickets";
    private static final int RECORDS = 6;
    /** The record each group rejects, and the one it releases every time it comes. */
    private static final String REJECTED = "t1";
    private static final String RELEASED = "t3";

    private final ProbeSession session;

    private DeadLetterProbe(ProbeSession session) {
        this.session = session;
    }

    static List<String> run(String bootstrap) throws Exception {
        ProbeSession session = new ProbeSession(bootstrap);
        new DeadLetterProbe(session).scenario();
        return session.lines();
    }

    private void scenario() throws Exception {
        session.createTopic(TOPIC, 1, Map.of());
        session.createTopic("dlq.kitchen", 1, Map.of("errors.deadletterqueue.group.enable", "true"));
        session.createTopic("dlq.copies", 1, Map.of("errors.deadletterqueue.group.enable", "true"));
        session.createTopic("dlq.closed", 1, Map.of());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(session.producerSettings())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(TOPIC, "t" + i, "ticket " + i)).get(WAIT.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        }
        try (Admin admin = session.admin()) {
            session.step("a group config naming a topic that starts with __", () -> configure(admin, "dead-bad",
                    "__dead", false));
            group(admin, "scullery", "dlq.kitchen", false, 2);
            group(admin, "dead-copier", "dlq.copies", true, 2);
            group(admin, "dead-closed", "dlq.closed", false, 0);
        }
    }

    /**
     * One record produced, then read and rejected by {@code group}, whose dead-letter topic may not be there yet;
     * returns the topic's end offset once it is there and holds {@code lettersExpected}.
     */
    static String readAndReject(String bootstrap, String group, String deadLetterTopic, int lettersExpected)
            throws Exception {
        DeadLetterProbe probe = new DeadLetterProbe(new ProbeSession(bootstrap));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(probe.session.producerSettings());
             Admin admin = probe.session.admin()) {
            producer.send(new ProducerRecord<>(TOPIC, REJECTED, "ticket 1")).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            configure(admin, group, deadLetterTopic, false);
            try (KafkaShareConsumer<String, String> consumer = probe.consumer(group)) {
                consumer.subscribe(List.of(TOPIC));
                long stall = System.nanoTime() + WAIT.toNanos();
                boolean rejected = false;
                while (!rejected && System.nanoTime() < stall) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        consumer.acknowledge(record, AcknowledgeType.REJECT);
                        rejected = true;
                    }
                    consumer.commitSync(WAIT);
                }
            }
            long stall = System.nanoTime() + WAIT.toNanos();
            while (!admin.listTopics().names().get(WAIT.toMillis(), TimeUnit.MILLISECONDS).contains(deadLetterTopic)
                    && System.nanoTime() < stall) {
                Thread.sleep(50);
            }
        }
        List<String> letters = probe.letters(deadLetterTopic, lettersExpected);
        return letters.get(letters.size() - 1);
    }

    private KafkaShareConsumer<String, String> consumer(String group) {
        return new KafkaShareConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, session.bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, group, "share.acknowledgement.mode", "explicit"),
                new StringDeserializer(), new StringDeserializer());
    }

    /** One group's run: configured, read to the end, and what its dead-letter topic then holds. */
    private void group(Admin admin, String group, String deadLetterTopic, boolean copy, int lettersExpected)
            throws Exception {
        session.step("configure " + group, () -> configure(admin, group, deadLetterTopic, copy));
        Map<String, Integer> deliveries = consume(group);
        session.write(group + " deliveries " + deliveries);
        for (String letter : letters(deadLetterTopic, lettersExpected)) {
            session.write(group + " letter " + letter);
        }
    }

    private static Object configure(Admin admin, String group, String deadLetterTopic, boolean copy) throws Exception {
        List<AlterConfigOp> ops = List.of(set("share.auto.offset.reset", "earliest"),
                set("share.delivery.count.limit", "2"), set("errors.deadletterqueue.topic.name", deadLetterTopic),
                set("errors.deadletterqueue.copy.record.enable", String.valueOf(copy)));
        return admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group), ops)).all()
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static AlterConfigOp set(String name, String value) {
        return new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET);
    }

    /**
     * Reads until every record other than the two is accepted and the released one came twice; by then the rejected
     * one and the twice-released one are set aside. Returns how often each record was delivered.
     */
    private Map<String, Integer> consume(String group) {
        Map<String, Integer> deliveries = new TreeMap<>();
        try (KafkaShareConsumer<String, String> consumer = consumer(group)) {
            consumer.subscribe(List.of(TOPIC));
            long stall = System.nanoTime() + WAIT.toNanos();
            while (!done(deliveries) && System.nanoTime() < stall) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    deliveries.merge(record.key(), 1, Integer::sum);
                    consumer.acknowledge(record, record.key().equals(REJECTED) ? AcknowledgeType.REJECT
                            : record.key().equals(RELEASED) ? AcknowledgeType.RELEASE : AcknowledgeType.ACCEPT);
                    stall = System.nanoTime() + WAIT.toNanos();
                }
                consumer.commitSync(WAIT);
            }
        }
        return deliveries;
    }

    private static boolean done(Map<String, Integer> deliveries) {
        return deliveries.size() == RECORDS && deliveries.getOrDefault(RELEASED, 0) >= 2;
    }

    /**
     * The dead-letter topic's records once it holds {@code expected} (or, for none, once the group has settled every
     * record: a letter is written after its record is set aside), each with its headers but for the time.
     */
    private List<String> letters(String topic, int expected) {
        Map<String, Object> settings = new HashMap<>(session.consumerSettings(null, "earliest"));
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> letters = new ArrayList<>();
        try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(settings)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            reader.assign(List.of(partition));
            reader.seekToBeginning(List.of(partition));
            long stall = System.nanoTime() + WAIT.toNanos();
            while (letters.size() < expected && System.nanoTime() < stall) {
                for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(200))) {
                    letters.add(describe(record));
                }
            }
            letters.add(topic + " end offset " + reader.endOffsets(List.of(partition)).get(partition));
        }
        return letters;
    }

    private static String describe(ConsumerRecord<String, String> record) {
        StringBuilder line = new StringBuilder("offset " + record.offset() + " key=" + record.key() + " value="
                + record.value() + " " + record.timestampType());
        for (Header header : record.headers()) {
            line.append(' ').append(header.key()).append('=')
                    .append(header.value() == null ? "null" : new String(header.value(), StandardCharsets.UTF_8));
        }
        return line.toString();
    }
}

package toykafka.lesson18;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.security.ScramCredential;
import toykafka.broker.security.StandardAuthorizer;
import toykafka.common.Record;
import toykafka.lesson10.DemoBroker;
import toykafka.lesson13.HandBuiltRequests;
import toykafka.lesson13.KafkaSocket;
import toykafka.narration.Narrator;
import toykafka.narration.Telling;

/**
 * Lesson 18, narrated: the shop's broker with one SASL_PLAINTEXT listener and Kafka's StandardAuthorizer, driven by
 * kafka-clients 4.4 in this process. The manager (a super user, PLAIN) makes SCRAM users and ACLs; an intruder's
 * frame before authentication closes its connection, and a wrong password is refused; the till may write the
 * orders and the accountant only read them, and only once its group is allowed too; a greedy till is throttled by
 * its producer_byte_rate while a steady one keeps its pace.
 */
public final class Lesson18Demo {

    private static final Path DATA = Path.of("data", "generated", "18-who-may-do-what");
    private static final String LISTENER = "SASL_PLAINTEXT";
    private static final String SCRAM_LOGIN = "org.apache.kafka.common.security.scram.ScramLoginModule";
    private static final String PLAIN_LOGIN = "org.apache.kafka.common.security.plain.PlainLoginModule";
    static final int QUOTA_BYTES_PER_SECOND = 32 * 1024;
    static final int RECORD_BYTES = 1024;
    /** Four seconds' worth at the quota: two past the two the windows let through at once. */
    static final int RECORDS = 4 * QUOTA_BYTES_PER_SECOND / RECORD_BYTES;

    /** What the story saw, for its test. */
    record Told(boolean frameBeforeAuthenticationClosed, String wrongPassword, List<String> tillWrote,
                String accountantWriting, String accountantWithoutGroup, List<String> accountantRead,
                Pace greedy, Pace steady, String storedForTill) {
    }

    /** How one producer fared: its rate from first send to last acknowledgement, and its broker-told throttle. */
    record Pace(double bytesPerSecond, double throttleTimeMaxMs) {
        @Override
        public String toString() {
            return Math.round(bytesPerSecond / 1024) + " KiB/s, longest throttle " + Math.round(throttleTimeMaxMs)
                    + " ms";
        }
    }

    private final Narrator story;
    private final String bootstrap;

    private Lesson18Demo(Narrator story, String bootstrap) {
        this.story = story;
        this.bootstrap = bootstrap;
    }

    public static void main(String[] args) {
        narrate(Narrator.toStandardOut());
    }

    public static void narrate(Narrator story) {
        Telling.run(18, DATA, () -> tell(story));
    }

    static Told tell(Narrator story) throws IOException, InterruptedException, ExecutionException, TimeoutException {
        story.title("Lesson 18: who may do what");
        try (DemoBroker shop = DemoBroker.speakingKafka(DATA, brokerSettings())) {
            story.say("Our broker runs in this process with one listener, SASL_PLAINTEXT, and Kafka's"
                    + " StandardAuthorizer: super.users=User:manager, allow.everyone.if.no.acl.found=false. The"
                    + " manager logs in with PLAIN (its password is in the broker's JAAS line); everyone else with"
                    + " SCRAM-SHA-512.");
            Lesson18Demo demo = new Lesson18Demo(story, shop.bootstrapServers());
            return demo.tell(shop);
        }
    }

    static Map<String, String> brokerSettings() {
        Map<String, String> settings = new HashMap<>();
        settings.put("listeners", LISTENER + "://127.0.0.1:0");
        settings.put("listener.name.sasl_plaintext.sasl.enabled.mechanisms", "SCRAM-SHA-512,PLAIN");
        settings.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", PLAIN_LOGIN
                + " required user_manager=\"manager-secret\";");
        settings.put(BrokerConfig.AUTHORIZER_CLASS_NAME, StandardAuthorizer.CLASS_NAME);
        settings.put(BrokerConfig.SUPER_USERS, "User:manager");
        settings.put(BrokerConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0");
        settings.put(BrokerConfig.QUOTA_WINDOW_NUM, "3"); // a burst of two seconds' worth, not Kafka's ten
        settings.put(BrokerConfig.QUOTA_WINDOW_SIZE_SECONDS, "1");
        return settings;
    }

    private Told tell(DemoBroker shop) throws InterruptedException, ExecutionException {
        try (Admin manager = Admin.create(login("PLAIN", PLAIN_LOGIN, "manager", "manager-secret", "manager"))) {
            manager.createTopics(List.of(new NewTopic("orders", 1, (short) 1), new NewTopic("orders-bulk", 1,
                    (short) 1))).all().get();
            manager.alterUserScramCredentials(List.of(
                    new UserScramCredentialUpsertion("till", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512,
                            4096), "till-secret"),
                    new UserScramCredentialUpsertion("accountant", new ScramCredentialInfo(
                            ScramMechanism.SCRAM_SHA_512, 4096), "accountant-secret"))).all().get();
            manager.createAcls(List.of(
                    allow("till", ResourceType.TOPIC, "orders", PatternType.PREFIXED, AclOperation.WRITE),
                    allow("accountant", ResourceType.TOPIC, "orders", PatternType.LITERAL, AclOperation.READ)))
                    .all().get();
            story.say("The manager made the topics orders and orders-bulk, two SCRAM users (till, accountant) and two ACLs: till may"
                    + " WRITE every topic whose name starts with orders (PREFIXED), accountant may READ the topic"
                    + " orders (LITERAL).");
            ScramCredential kept = shop.broker().access().scramCredentials().credential(
                    toykafka.broker.security.ScramMechanism.SCRAM_SHA_512, "till").orElseThrow();
            String storedForTill = "a salt, " + kept.iterations() + " iterations,"
                    + " StoredKey " + kept.storedKey().length + " bytes, ServerKey " + kept.serverKey().length
                    + " bytes";
            story.show("what the broker keeps of till's password", storedForTill + "; no password");

            story.predict("an intruder sends a Produce frame without authenticating. What does the broker answer?");
            boolean closed = frameBeforeAuthentication();
            story.show("Produce before SaslHandshake", closed ? "no answer: the broker closed the connection"
                    : "answered");
            String wrongPassword = refusedLogin();

            story.predict("till writes three orders; then accountant, who may READ orders, tries to write one."
                    + " What does each get?");
            List<String> tillWrote = produce(login("SCRAM-SHA-512", SCRAM_LOGIN, "till", "till-secret", "till-1"),
                    List.of("cod and chips", "haddock", "mushy peas"));
            story.show("till writes", tillWrote);
            String accountantWriting = refusedWrite();

            story.predict("accountant reads orders in the group books. It may READ the topic: is that enough?");
            String withoutGroup = refusedGroup();
            manager.createAcls(List.of(allow("accountant", ResourceType.GROUP, "books", PatternType.LITERAL,
                    AclOperation.READ))).all().get();
            story.say("The manager allows accountant to READ the group books too.");
            List<String> read = consume();
            story.show("accountant reads", read);

            manager.alterClientQuotas(List.of(new ClientQuotaAlteration(new ClientQuotaEntity(Map.of(
                    ClientQuotaEntity.USER, "till", ClientQuotaEntity.CLIENT_ID, "greedy-till")), List.of(
                    new ClientQuotaAlteration.Op("producer_byte_rate", (double) QUOTA_BYTES_PER_SECOND)))))
                    .all().get();
            story.say("The manager sets producer_byte_rate=" + QUOTA_BYTES_PER_SECOND + " for user till's client"
                    + " greedy-till (kafka-configs --entity-type users --entity-name till --entity-type clients"
                    + " --entity-name greedy-till). Two tills of user till, greedy-till and steady-till, each"
                    + " write " + RECORDS + " records of " + RECORD_BYTES + " bytes at once; the broker measures"
                    + " over 3 windows of 1 s.");
            story.predict("how fast does each go?");
            Pace[] steady = new Pace[1];
            Thread steadyThread = new Thread(() -> steady[0] = pace("steady-till"));
            steadyThread.start();
            Pace greedy = pace("greedy-till");
            steadyThread.join();
            story.show("steady-till", steady[0]);
            story.show("greedy-till", greedy);
            story.say("The broker answered greedy-till's produces with a throttle time and did not read its"
                    + " connection until the time passed; the producer waited it out too. steady-till has no"
                    + " quota and was never throttled.");
            return new Told(closed, wrongPassword, tillWrote, accountantWriting, withoutGroup, read, greedy,
                    steady[0], storedForTill);
        }
    }

    /** A produce frame sent as the first frame on a new connection to the SASL listener. */
    private boolean frameBeforeAuthentication() {
        try (KafkaSocket intruder = KafkaSocket.connect(bootstrap)) {
            intruder.send(HandBuiltRequests.produce(1, "intruder", "orders", 0, HandBuiltRequests.idempotentBatch(
                    List.of(Record.of("intruder", "free fish", Instant.EPOCH)), new HandBuiltRequests.ProducerId(-1, (short) -1), -1)));
            return intruder.closedByBroker();
        }
    }

    private String refusedLogin() {
        Map<String, Object> settings = login("SCRAM-SHA-512", SCRAM_LOGIN, "till", "guessed", "intruder");
        settings.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000);
        try (Admin intruder = Admin.create(settings)) {
            intruder.describeCluster().clusterId().get();
            story.show("an intruder logs in as till with a guessed password", "let in");
            return "";
        } catch (ExecutionException e) {
            story.showRefusal("an intruder logs in as till with a guessed password", (KafkaException) e.getCause());
            return e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * accountant writes twice: as an idempotent producer (the default), which first asks for a producer id, and
     * then without idempotence, which goes straight to Produce.
     */
    private String refusedWrite() {
        String idempotent = refusedWrite(true);
        return idempotent + " | " + refusedWrite(false);
    }

    private String refusedWrite(boolean idempotent) {
        String what = "accountant writes (enable.idempotence=" + idempotent + ")";
        Map<String, Object> settings = login("SCRAM-SHA-512", SCRAM_LOGIN, "accountant", "accountant-secret",
                "accountant-1");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, idempotent);
        try {
            produce(settings, List.of("a free lunch"));
            story.show(what, "written");
            return "";
        } catch (KafkaException e) {
            // the idempotent producer's refusal comes wrapped in the error state it leaves behind
            KafkaException refusal = e.getCause() instanceof KafkaException cause ? cause : e;
            story.showRefusal(what, refusal);
            return refusal.getClass().getSimpleName() + ": " + refusal.getMessage();
        }
    }

    private String refusedGroup() {
        try {
            List<String> read = consume();
            story.show("accountant reads without the group", read);
            return "";
        } catch (KafkaException e) {
            story.showRefusal("accountant reads in group books", e);
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    /** Writes each value and waits for its acknowledgement; a refusal is thrown as the client throws it. */
    private List<String> produce(Map<String, Object> settings, List<String> values) {
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 20_000);
        List<String> written = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings)) {
            for (String value : values) {
                producer.send(new ProducerRecord<>("orders", value)).get();
                written.add(value);
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof KafkaException refusal ? refusal : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return written;
    }

    /** accountant reads orders from the start in the group books, until it has what till wrote. */
    private List<String> consume() {
        Map<String, Object> settings = login("SCRAM-SHA-512", SCRAM_LOGIN, "accountant", "accountant-secret",
                "accountant-1");
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, "books");
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<String> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings)) {
            consumer.subscribe(List.of("orders"));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos(); // a cap, not a wait
            while (read.size() < 3 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    read.add(record.value());
                }
            }
        }
        return read;
    }

    /** One till writing its records as fast as it may: its rate and the longest throttle the broker told it. */
    private Pace pace(String clientId) {
        Map<String, Object> settings = login("SCRAM-SHA-512", SCRAM_LOGIN, "till", "till-secret", clientId);
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        settings.put(ProducerConfig.BATCH_SIZE_CONFIG, RECORD_BYTES * 4);
        String value = "x".repeat(RECORD_BYTES);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings)) {
            producer.send(new ProducerRecord<>("orders-bulk", value)).get(); // metadata and the producer id first
            long started = System.nanoTime();
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 1; i < RECORDS; i++) {
                sent.add(producer.send(new ProducerRecord<>("orders-bulk", value)));
            }
            for (Future<?> each : sent) {
                each.get();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            return new Pace((RECORDS - 1) * (double) RECORD_BYTES / seconds, metric(producer.metrics(),
                    "produce-throttle-time-max"));
        } catch (ExecutionException e) {
            throw new IllegalStateException(clientId + " could not write: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static double metric(Map<MetricName, ? extends Metric> metrics, String name) {
        return metrics.entrySet().stream().filter(entry -> entry.getKey().name().equals(name)
                        && entry.getKey().group().equals("producer-metrics"))
                .mapToDouble(entry -> ((Number) entry.getValue().metricValue()).doubleValue())
                .filter(Double::isFinite).max().orElse(0);
    }

    private static AclBinding allow(String user, ResourceType type, String name, PatternType pattern,
                                    AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern), new AccessControlEntry("User:" + user, "*",
                operation, AclPermissionType.ALLOW));
    }

    private Map<String, Object> login(String mechanism, String loginModule, String user, String password,
                                      String clientId) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        settings.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, LISTENER);
        settings.put(SaslConfigs.SASL_MECHANISM, mechanism);
        settings.put(SaslConfigs.SASL_JAAS_CONFIG, loginModule + " required username=\"" + user + "\" password=\""
                + password + "\";");
        return settings;
    }
}

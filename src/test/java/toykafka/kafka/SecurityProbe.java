package toykafka.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import toykafka.tools.ThrowawayCa;

/**
 * Who may do what, asked of a broker by several principals at once, a line a step: users made with SCRAM through an
 * administrator's door, an intruder and a wrong password, ACLs literal, prefixed and wildcard, ALLOW and DENY,
 * a PLAIN user and a client known by its certificate, and what each may then produce, consume, list, create, delete
 * and describe. Run against our broker and a Kafka node with SASL_SSL, SCRAM and StandardAuthorizer, the lines must
 * be the same.
 */
final class SecurityProbe {

    private static final Duration WAIT = ProbeSession.WAIT;

    /**
     * Where the broker takes each kind of client.
     *
     * @param superDoor   a PLAINTEXT listener whose User:ANONYMOUS is a super user: how the first users are made
     * @param saslSsl     the SASL_SSL listener: SCRAM-SHA-512 for admin, alice and bob, PLAIN for carol
     * @param ssl         the SSL listener that requires a client certificate: dave's
     */
    record Doors(String superDoor, String saslSsl, String ssl, ThrowawayCa.Material certificates) {
    }

    private final Doors doors;
    private final ProbeSession session;

    private SecurityProbe(Doors doors) {
        this.doors = doors;
        this.session = new ProbeSession(doors.saslSsl());
    }

    static List<String> run(Doors doors) throws Exception {
        SecurityProbe probe = new SecurityProbe(doors);
        probe.scenario();
        return probe.session.lines();
    }

    private Map<String, Object> tls() {
        Map<String, Object> settings = new HashMap<>();
        settings.put("ssl.truststore.type", "PKCS12");
        settings.put("ssl.truststore.location", doors.certificates().trustStore().toString());
        settings.put("ssl.truststore.password", doors.certificates().password());
        return settings;
    }

    private Map<String, Object> scram(String user, String password) {
        Map<String, Object> settings = tls();
        settings.put("bootstrap.servers", doors.saslSsl());
        settings.put("security.protocol", "SASL_SSL");
        settings.put("sasl.mechanism", "SCRAM-SHA-512");
        settings.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"" + password + "\";");
        return settings;
    }

    private Map<String, Object> plain(String user, String password) {
        Map<String, Object> settings = scram(user, password);
        settings.put("sasl.mechanism", "PLAIN");
        settings.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                + user + "\" password=\"" + password + "\";");
        return settings;
    }

    private Map<String, Object> certificate(String client) {
        Map<String, Object> settings = tls();
        settings.put("bootstrap.servers", doors.ssl());
        settings.put("security.protocol", "SSL");
        settings.put("ssl.keystore.type", "PKCS12");
        settings.put("ssl.keystore.location", doors.certificates().clientKeyStores().get(client).toString());
        settings.put("ssl.keystore.password", doors.certificates().password());
        return settings;
    }

    private void scenario() throws Exception {
        Map<String, Object> admin = scram("admin", "admin-secret");
        Map<String, Object> alice = scram("alice", "alice-secret");
        Map<String, Object> bob = scram("bob", "bob-secret");
        Map<String, Object> carol = plain("carol", "carol-secret");
        Map<String, Object> dave = certificate("dave");
        try (Admin door = Admin.create(Map.of("bootstrap.servers", doors.superDoor()))) {
            step("make the SCRAM users", () -> door.alterUserScramCredentials(List.of(
                    upsert("admin", "admin-secret"), upsert("alice", "alice-secret"), upsert("bob", "bob-secret")))
                    .all().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        }
        awaitLogin("admin", admin);
        awaitLogin("alice", alice);
        awaitLogin("bob", bob);
        step("an intruder with alice's name and a wrong password produces", () -> produce(scram("alice", "guess"),
                "orders", "x"));
        step("mallory, who is nobody, produces", () -> produce(scram("mallory", "mallory"), "orders", "x"));

        try (Admin root = Admin.create(admin)) {
            step("admin creates orders, payments and audit", () -> root.createTopics(List.of(topic("orders"),
                    topic("payments"), topic("audit"))).all().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            step("admin grants nine ACLs", () -> root.createAcls(List.of(
                    allow("User:alice", ResourceType.TOPIC, "orders", PatternType.LITERAL, AclOperation.WRITE),
                    allow("User:alice", ResourceType.TOPIC, "pay", PatternType.PREFIXED, AclOperation.READ),
                    allow("User:alice", ResourceType.GROUP, "alice-", PatternType.PREFIXED, AclOperation.READ),
                    allow("User:bob", ResourceType.TOPIC, "orders", PatternType.LITERAL, AclOperation.READ),
                    allow("User:bob", ResourceType.GROUP, "bob-group", PatternType.LITERAL, AclOperation.READ),
                    allow("User:*", ResourceType.TOPIC, "payments", PatternType.LITERAL, AclOperation.READ),
                    denyBobPayments(),
                    allow("User:CN=dave", ResourceType.TOPIC, "orders", PatternType.LITERAL, AclOperation.WRITE),
                    allow("User:carol", ResourceType.TOPIC, "*", PatternType.LITERAL, AclOperation.WRITE)))
                    .all().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            write("alice's ACLs", () -> described(root, new AclBindingFilter(ResourcePatternFilter.ANY,
                    new AccessControlEntryFilter("User:alice", null, AclOperation.ANY, AclPermissionType.ANY))));
            write("ACLs on topics named payments or covering it", () -> described(root, new AclBindingFilter(
                    new ResourcePatternFilter(ResourceType.TOPIC, "payments", PatternType.MATCH),
                    AccessControlEntryFilter.ANY)));
            step("admin writes two payments", () -> {
                produce(admin, "payments", "p1");
                return produce(admin, "payments", "p2");
            });
        }

        step("alice produces to orders", () -> produce(alice, "orders", "from alice"));
        step("alice produces to payments, which she may only read", () -> produce(alice, "payments", "x"));
        step("bob produces to orders", () -> produce(bob, "orders", "x"));
        step("carol, by PLAIN, produces to orders", () -> produce(carol, "orders", "from carol"));
        step("dave, by his certificate, produces to orders", () -> produce(dave, "orders", "from dave"));
        write("bob reads orders in bob-group", () -> consume(bob, "orders", "bob-group", 3));
        step("bob reads orders in another group", () -> consume(bob, "orders", "other-group", 1));
        step("alice reads orders, which she may only write", () -> consume(alice, "orders", "alice-1", 1));
        write("alice reads payments in alice-1", () -> consume(alice, "payments", "alice-1", 2));
        step("bob reads payments, denied to him alone", () -> consume(bob, "payments", "bob-group", 1));
        step("carol reads payments with no group of hers", () -> consume(carol, "payments", "carol-group", 1));
        write("topics alice sees", () -> topics(alice));
        write("topics bob sees", () -> topics(bob));
        write("topics dave sees", () -> topics(dave));

        try (Admin asAlice = Admin.create(alice)) {
            step("alice creates a topic", () -> asAlice.createTopics(List.of(topic("alice-new"))).all()
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            step("alice deletes orders", () -> asAlice.deleteTopics(List.of("orders")).all()
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            step("alice describes the configs of orders", () -> asAlice.describeConfigs(List.of(
                    new ConfigResource(ConfigResource.Type.TOPIC, "orders"))).all()
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            step("alice lists ACLs", () -> asAlice.describeAcls(AclBindingFilter.ANY).values()
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            step("alice grants herself everything", () -> asAlice.createAcls(List.of(allow("User:alice",
                    ResourceType.TOPIC, "*", PatternType.LITERAL, AclOperation.ALL))).all()
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            step("alice changes bob's password", () -> asAlice.alterUserScramCredentials(List.of(
                    upsert("bob", "alice-knows"))).all().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            step("alice lists SCRAM users", () -> asAlice.describeUserScramCredentials().all()
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            write("groups alice sees", () -> new TreeSet<>(asAlice.listGroups().all()
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS).stream().map(g -> g.groupId()).toList()));
            step("alice describes bob-group", () -> asAlice.describeConsumerGroups(List.of("bob-group")).all()
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            write("what alice may do to orders", () -> new TreeSet<>(asAlice.describeTopics(List.of("orders"),
                    new DescribeTopicsOptions().includeAuthorizedOperations(true)).allTopicNames()
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS).get("orders").authorizedOperations()));
        }
        step("alice commits a transaction as alice-tx", () -> transaction(alice, "alice-tx"));

        try (Admin root = Admin.create(admin)) {
            step("admin lets alice create topics and use alice-tx", () -> root.createAcls(List.of(
                    allow("User:alice", ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL,
                            AclOperation.CREATE),
                    allow("User:alice", ResourceType.TRANSACTIONAL_ID, "alice-tx", PatternType.LITERAL,
                            AclOperation.WRITE))).all().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            step("admin takes back the DENY on bob", () -> root.deleteAcls(List.of(denyBobPayments().toFilter()))
                    .all().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        }
        step("alice creates a topic now", () -> eventually(() -> {
            try (Admin asAlice = Admin.create(alice)) {
                return asAlice.createTopics(List.of(topic("alice-new"))).all().get(WAIT.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        }));
        step("alice commits a transaction as alice-tx now", () -> eventually(() -> transaction(alice, "alice-tx")));
        write("bob reads payments now", () -> eventually(() -> consume(bob, "payments", "bob-group", 2)));
        try (Admin asAlice = Admin.create(alice)) {
            write("what alice may do to the cluster", () -> new TreeSet<>(asAlice.describeCluster(
                    new DescribeClusterOptions().includeAuthorizedOperations(true)).authorizedOperations()
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS)));
        }
    }

    private void step(String name, java.util.concurrent.Callable<?> action) {
        session.step(name, action);
    }

    /** A step whose answer is the line: what it returned, or the class of what it threw. */
    private void write(String name, java.util.concurrent.Callable<?> action) {
        try {
            session.write(name + ": " + action.call());
        } catch (ExecutionException e) {
            session.write(name + ": " + e.getCause().getClass().getSimpleName());
        } catch (Exception e) {
            session.write(name + ": " + e.getClass().getSimpleName());
        }
    }

    /** A SCRAM user's first login, retried while the credential reaches the broker that checks it. */
    private void awaitLogin(String user, Map<String, Object> settings) {
        step(user + " logs in", () -> eventually(() -> {
            try (Admin admin = Admin.create(settings)) {
                return admin.describeCluster().clusterId().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }));
    }

    /** Retries a step that an ACL or credential just written may not reach at once, up to {@link #WAIT}. */
    private static <T> T eventually(java.util.concurrent.Callable<T> action) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                return action.call();
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    /**
     * How many bindings match, once any do: Kafka's brokers learn new ACLs from the metadata log a moment after
     * CreateAcls answers.
     */
    private static int described(Admin admin, AclBindingFilter filter) throws Exception {
        return eventually(() -> {
            int found = admin.describeAcls(filter).values().get(WAIT.toMillis(), TimeUnit.MILLISECONDS).size();
            if (found == 0) {
                throw new IllegalStateException("no binding matches yet");
            }
            return found;
        });
    }

    private static UserScramCredentialUpsertion upsert(String user, String password) {
        return new UserScramCredentialUpsertion(user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192),
                password);
    }

    private static NewTopic topic(String name) {
        return new NewTopic(name, Optional.of(1), Optional.empty());
    }

    private static AclBinding allow(String principal, ResourceType type, String name, PatternType pattern,
                                    AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern), new AccessControlEntry(principal, "*",
                operation, AclPermissionType.ALLOW));
    }

    private static AclBinding denyBobPayments() {
        return new AclBinding(new ResourcePattern(ResourceType.TOPIC, "payments", PatternType.LITERAL),
                new AccessControlEntry("User:bob", "*", AclOperation.READ, AclPermissionType.DENY));
    }

    private static Object produce(Map<String, Object> settings, String topic, String value) throws Exception {
        Map<String, Object> producer = new HashMap<>(settings);
        producer.put("max.block.ms", "20000");
        producer.put("delivery.timeout.ms", "20000");
        producer.put("request.timeout.ms", "10000");
        try (KafkaProducer<String, String> out = new KafkaProducer<>(producer, new StringSerializer(),
                new StringSerializer())) {
            return out.send(new ProducerRecord<>(topic, value)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS).offset();
        }
    }

    private static Object transaction(Map<String, Object> settings, String transactionalId) throws Exception {
        Map<String, Object> producer = new HashMap<>(settings);
        producer.put("transactional.id", transactionalId);
        producer.put("max.block.ms", "20000");
        try (KafkaProducer<String, String> out = new KafkaProducer<>(producer, new StringSerializer(),
                new StringSerializer())) {
            out.initTransactions();
            out.beginTransaction();
            out.send(new ProducerRecord<>("orders", "in a transaction"));
            out.commitTransaction();
            return "committed";
        }
    }

    /** Reads from the start until {@code wanted} records came, or the client throws what the broker refused. */
    private static String consume(Map<String, Object> settings, String topic, String group, int wanted) {
        Map<String, Object> consumer = new HashMap<>(settings);
        consumer.put("group.id", group);
        consumer.put("auto.offset.reset", "earliest");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> in = new KafkaConsumer<>(consumer, new StringDeserializer(),
                new StringDeserializer())) {
            in.subscribe(List.of(topic));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (values.size() < wanted && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : in.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
            in.commitSync();
        }
        return values.size() + " records";
    }

    private static Set<String> topics(Map<String, Object> settings) throws Exception {
        try (Admin admin = Admin.create(settings)) {
            return new TreeSet<>(admin.listTopics().names().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        }
    }
}

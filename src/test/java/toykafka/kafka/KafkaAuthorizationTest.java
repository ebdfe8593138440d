package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.security.AccessControlEntry;
import toykafka.broker.security.AclBinding;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.AclPermissionType;
import toykafka.broker.security.PatternType;
import toykafka.broker.security.ResourcePattern;
import toykafka.broker.security.ResourceType;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;
import toykafka.testing.StartedBroker.Setting;

/**
 * Kafka's clients on a broker with Kafka's StandardAuthorizer, as {@code User:ANONYMOUS}, the principal of every
 * connection to this plaintext listener: what the ACLs allow works, and what they do not is refused with the
 * exception Kafka's clients throw against Kafka.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaAuthorizationTest {

    @StartedBroker(value = FrontEnd.KAFKA, settings = {
        @Setting(name = "authorizer.class.name", value = KafkaAclsTest.STANDARD_AUTHORIZER)})
    RunningBroker broker;

    @BeforeEach
    void topics() {
        for (String topic : List.of("orders", "secret", "described-only")) {
            broker.broker().createTopic(topic, 1, Map.of(), OnDuplicate.FAIL);
        }
    }

    private void allow(ResourceType type, String name, PatternType patternType, String principal,
                       AclOperation... operations) {
        List<AclBinding> bindings = new ArrayList<>();
        for (AclOperation operation : operations) {
            bindings.add(new AclBinding(new ResourcePattern(type, name, patternType),
                    new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
        }
        broker.broker().access().authorizer().orElseThrow().createAcls(bindings)
                .forEach(result -> assertEquals(null, result.exception()));
    }

    /** An idempotent producer, as kafka-clients makes one by default; transactional with a transactional id. */
    private KafkaProducer<String, String> producer(String transactionalId) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
        if (transactionalId != null) {
            settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer());
    }

    /** Whether {@code thrown}, or one of its causes, is a {@code type}. */
    private static boolean causedBy(Throwable thrown, Class<? extends Throwable> type) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private KafkaConsumer<String, String> consumer(String group) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        if (group != null) {
            settings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            settings.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        }
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        return new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer());
    }

    /** Polls until {@code consumer} throws, failing if it reads records or the deadline passes first. */
    private static Exception pollUntilRefused(KafkaConsumer<String, String> consumer) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                assertTrue(consumer.poll(Duration.ofMillis(200)).isEmpty(), "read records it may not read");
            } catch (RuntimeException refused) {
                return refused;
            }
        }
        throw new AssertionError("never refused");
    }

    @Test
    void a_producer_that_may_describe_but_not_write_a_topic_is_refused_and_one_that_may_writes() throws Exception {
        allow(ResourceType.TOPIC, "secret", PatternType.LITERAL, "User:ANONYMOUS", AclOperation.DESCRIBE);
        allow(ResourceType.TOPIC, "ord", PatternType.PREFIXED, "User:*", AclOperation.WRITE);
        try (KafkaProducer<String, String> producer = producer(null)) {
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>("secret", "k", "v")).get());
            assertInstanceOf(TopicAuthorizationException.class, refused.getCause());
            assertEquals(Set.of("secret"), ((TopicAuthorizationException) refused.getCause()).unauthorizedTopics());
            assertEquals(0, producer.send(new ProducerRecord<>("orders", "k", "v")).get().offset());
        }
        assertEquals(0, broker.broker().describePartition("secret", 0).endOffset(), "nothing written to secret");
    }

    @Test
    void an_idempotent_producer_needs_write_on_some_topic_or_idempotent_write_on_the_cluster() {
        allow(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:ANONYMOUS", AclOperation.DESCRIBE);
        try (KafkaProducer<String, String> producer = producer(null)) {
            Exception refused = assertThrows(Exception.class,
                    () -> producer.send(new ProducerRecord<>("orders", "k", "v")).get());
            assertTrue(causedBy(refused, ClusterAuthorizationException.class), refused.toString());
        }
        assertEquals(0, broker.broker().describePartition("orders", 0).endOffset(), "nothing written");
    }

    @Test
    void a_transactional_producer_needs_write_on_its_transactional_id() throws Exception {
        allow(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:ANONYMOUS", AclOperation.WRITE);
        allow(ResourceType.TRANSACTIONAL_ID, "till-", PatternType.PREFIXED, "User:ANONYMOUS", AclOperation.DESCRIBE);
        allow(ResourceType.TRANSACTIONAL_ID, "till-2", PatternType.LITERAL, "User:ANONYMOUS", AclOperation.WRITE);
        try (KafkaProducer<String, String> producer = producer("till-1")) {
            Exception refused = assertThrows(Exception.class, producer::initTransactions);
            assertTrue(causedBy(refused, TransactionalIdAuthorizationException.class), refused.toString());
        }
        try (KafkaProducer<String, String> producer = producer("till-2")) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("orders", "k", "paid")).get();
            producer.commitTransaction();
        }
        assertTrue(broker.broker().describePartition("orders", 0).endOffset() >= 2, "the record and its marker");
    }

    @Test
    void offsets_sent_to_a_transaction_need_read_on_their_group() throws Exception {
        allow(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:ANONYMOUS", AclOperation.WRITE);
        allow(ResourceType.TRANSACTIONAL_ID, "till-3", PatternType.LITERAL, "User:ANONYMOUS", AclOperation.WRITE);
        allow(ResourceType.GROUP, "audit", PatternType.LITERAL, "User:ANONYMOUS", AclOperation.DESCRIBE);
        try (KafkaProducer<String, String> producer = producer("till-3")) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("orders", "k", "paid")).get();
            Exception refused = assertThrows(Exception.class, () -> producer.sendOffsetsToTransaction(
                    Map.of(new TopicPartition("orders", 0), new org.apache.kafka.clients.consumer.OffsetAndMetadata(1)),
                    new org.apache.kafka.clients.consumer.ConsumerGroupMetadata("audit")));
            assertTrue(causedBy(refused, GroupAuthorizationException.class), refused.toString());
        }
    }

    @Test
    void a_consumer_allowed_the_topic_but_not_the_group_gets_group_authorization_exception() {
        allow(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:*", AclOperation.READ);
        try (KafkaConsumer<String, String> consumer = consumer("billing")) {
            consumer.subscribe(List.of("orders"));
            Exception refused = pollUntilRefused(consumer);
            assertInstanceOf(GroupAuthorizationException.class, refused, refused.toString());
            assertEquals("billing", ((GroupAuthorizationException) refused).groupId());
        }
    }

    @Test
    void a_consumer_allowed_topic_and_group_reads_and_commits() throws Exception {
        allow(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:*", AclOperation.READ, AclOperation.WRITE);
        allow(ResourceType.GROUP, "shop-", PatternType.PREFIXED, "User:ANONYMOUS", AclOperation.READ);
        try (KafkaProducer<String, String> producer = producer(null)) {
            producer.send(new ProducerRecord<>("orders", "k", "tea")).get();
        }
        try (KafkaConsumer<String, String> consumer = consumer("shop-1")) {
            consumer.subscribe(List.of("orders"));
            List<String> read = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (read.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> read.add(record.value()));
            }
            assertEquals(List.of("tea"), read);
            consumer.commitSync();
            assertEquals(1, consumer.committed(Set.of(new TopicPartition("orders", 0)))
                    .get(new TopicPartition("orders", 0)).offset());
        }
    }

    @Test
    void a_consumer_that_may_describe_but_not_read_a_topic_is_refused_its_records() {
        allow(ResourceType.TOPIC, "described-only", PatternType.LITERAL, "User:ANONYMOUS", AclOperation.DESCRIBE);
        try (KafkaConsumer<String, String> consumer = consumer(null)) {
            consumer.assign(List.of(new TopicPartition("described-only", 0)));
            Exception refused = pollUntilRefused(consumer);
            assertInstanceOf(TopicAuthorizationException.class, refused, refused.toString());
        }
    }

    @Test
    void metadata_leaves_out_the_topics_the_principal_may_not_describe_and_refuses_one_named() throws Exception {
        allow(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:ANONYMOUS", AclOperation.READ);
        try (Admin admin = KafkaAdmins.on(broker)) {
            assertEquals(Set.of("orders"), admin.listTopics().names().get(), "READ implies DESCRIBE; secret is hidden");
        }
        try (KafkaConsumer<String, String> consumer = consumer(null)) {
            assertThrows(TopicAuthorizationException.class, () -> consumer.partitionsFor("secret"));
            assertThrows(TopicAuthorizationException.class, () -> consumer.partitionsFor("no-such-topic"),
                    "a topic it may not describe is refused whether it exists or not");
            assertEquals(1, consumer.partitionsFor("orders").size());
        }
        assertFalse(broker.broker().listTopics().contains("no-such-topic"), "not auto-created without CREATE");
    }

    @Test
    void creating_and_deleting_topics_need_create_and_delete() throws Exception {
        allow(ResourceType.TOPIC, "team-", PatternType.PREFIXED, "User:ANONYMOUS", AclOperation.CREATE);
        allow(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:ANONYMOUS", AclOperation.DESCRIBE);
        try (Admin admin = KafkaAdmins.on(broker)) {
            ExecutionException refused = assertThrows(ExecutionException.class, () -> admin.createTopics(
                    List.of(new NewTopic("elsewhere", 1, (short) 1))).all().get());
            assertInstanceOf(TopicAuthorizationException.class, refused.getCause());
            admin.createTopics(List.of(new NewTopic("team-a", 1, (short) 1))).all().get();
            assertTrue(broker.broker().listTopics().contains("team-a"));
            ExecutionException notDeleted = assertThrows(ExecutionException.class,
                    () -> admin.deleteTopics(List.of("orders")).all().get());
            assertInstanceOf(TopicAuthorizationException.class, notDeleted.getCause());
            assertTrue(broker.broker().listTopics().contains("orders"));
        }
    }

    @Test
    void the_authorized_operations_are_the_authorizers_and_describe_topics_hides_what_may_not_be_described()
            throws Exception {
        allow(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:ANONYMOUS", AclOperation.READ,
                AclOperation.ALTER_CONFIGS);
        try (Admin admin = KafkaAdmins.on(broker)) {
            assertEquals(Set.of(), admin.describeCluster(new DescribeClusterOptions().includeAuthorizedOperations(true))
                    .authorizedOperations().get(), "no DESCRIBE on the cluster: none");
            allow(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, "User:*",
                    AclOperation.ALTER, AclOperation.IDEMPOTENT_WRITE);
            assertEquals(Set.of(org.apache.kafka.common.acl.AclOperation.ALTER,
                    org.apache.kafka.common.acl.AclOperation.DESCRIBE,
                    org.apache.kafka.common.acl.AclOperation.IDEMPOTENT_WRITE),
                    admin.describeCluster(new DescribeClusterOptions().includeAuthorizedOperations(true))
                            .authorizedOperations().get(), "ALTER implies DESCRIBE");
            TopicDescription orders = admin.describeTopics(List.of("orders"),
                    new DescribeTopicsOptions().includeAuthorizedOperations(true)).allTopicNames().get().get("orders");
            assertEquals(Set.of(org.apache.kafka.common.acl.AclOperation.READ,
                    org.apache.kafka.common.acl.AclOperation.DESCRIBE,
                    org.apache.kafka.common.acl.AclOperation.ALTER_CONFIGS,
                    org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS), orders.authorizedOperations());
            ExecutionException hidden = assertThrows(ExecutionException.class,
                    () -> admin.describeTopics(List.of("secret")).allTopicNames().get());
            assertInstanceOf(TopicAuthorizationException.class, hidden.getCause());
        }
    }

    @Test
    void groups_are_listed_to_who_may_describe_them_and_deleted_by_who_may_delete_them() throws Exception {
        allow(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:*", AclOperation.READ);
        allow(ResourceType.GROUP, "shop-1", PatternType.LITERAL, "User:ANONYMOUS", AclOperation.READ);
        allow(ResourceType.GROUP, "other-1", PatternType.LITERAL, "User:ANONYMOUS", AclOperation.READ);
        TopicPartition orders = new TopicPartition("orders", 0);
        for (String group : List.of("shop-1", "other-1")) {
            try (KafkaConsumer<String, String> consumer = consumer(group)) {
                consumer.assign(List.of(orders));
                consumer.commitSync(Map.of(orders, new org.apache.kafka.clients.consumer.OffsetAndMetadata(0)));
            }
        }
        broker.broker().access().authorizer().orElseThrow().deleteAcls(List.of(new toykafka.broker.security.AclBindingFilter(
                new toykafka.broker.security.ResourcePatternFilter(ResourceType.GROUP, "other-1", PatternType.ANY),
                toykafka.broker.security.AccessControlEntryFilter.ANY)));
        try (Admin admin = KafkaAdmins.on(broker)) {
            assertEquals(Set.of("shop-1"), admin.listGroups().all().get().stream()
                    .map(org.apache.kafka.clients.admin.GroupListing::groupId).collect(java.util.stream.Collectors
                            .toSet()), "other-1 may not be described: not listed");
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> admin.deleteConsumerGroups(List.of("shop-1")).all().get());
            assertInstanceOf(GroupAuthorizationException.class, refused.getCause(), "READ is not DELETE");
            allow(ResourceType.GROUP, "shop-1", PatternType.LITERAL, "User:ANONYMOUS", AclOperation.DELETE);
            admin.deleteConsumerGroups(List.of("shop-1")).all().get();
            assertEquals(Set.of(), admin.listGroups().all().get().stream()
                    .map(org.apache.kafka.clients.admin.GroupListing::groupId).collect(java.util.stream.Collectors
                            .toSet()));
        }
    }

    @Test
    void list_offsets_needs_describe_on_the_topic() {
        allow(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:ANONYMOUS", AclOperation.DESCRIBE);
        try (KafkaConsumer<String, String> consumer = consumer(null)) {
            assertEquals(Map.of(new TopicPartition("orders", 0), 0L),
                    consumer.endOffsets(List.of(new TopicPartition("orders", 0))));
            assertThrows(TopicAuthorizationException.class,
                    () -> consumer.endOffsets(List.of(new TopicPartition("secret", 0))));
        }
    }
}

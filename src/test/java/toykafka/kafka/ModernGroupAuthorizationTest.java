package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsRequestData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsResponseData;
import org.apache.kafka.common.message.ShareAcknowledgeRequestData;
import org.apache.kafka.common.message.StreamsGroupDescribeRequestData;
import org.apache.kafka.common.message.StreamsGroupDescribeResponseData;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData;
import org.apache.kafka.common.message.StreamsGroupHeartbeatResponseData;
import org.apache.kafka.common.message.ShareAcknowledgeResponseData;
import org.apache.kafka.common.message.ShareFetchRequestData;
import org.apache.kafka.common.message.ShareFetchResponseData;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import toykafka.broker.security.AccessControlEntry;
import toykafka.broker.security.AccessControlEntryFilter;
import toykafka.broker.security.AclBinding;
import toykafka.broker.security.AclBindingFilter;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.AclPermissionType;
import toykafka.broker.security.PatternType;
import toykafka.broker.security.ResourcePattern;
import toykafka.broker.security.ResourcePatternFilter;
import toykafka.broker.security.ResourceType;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;
import toykafka.testing.StartedBroker.Setting;

/**
 * The group APIs of Kafka 4's protocols (consumer and share groups) on a broker with Kafka's StandardAuthorizer, as
 * {@code User:ANONYMOUS}: kafka-clients 4.4 is refused its group or topic with the exception it throws against Kafka,
 * and where a client hides the answer the wire shows Kafka's error.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ModernGroupAuthorizationTest {

    private static final String ANONYMOUS = "User:ANONYMOUS";

    @StartedBroker(value = FrontEnd.KAFKA, settings = {
        @Setting(name = "authorizer.class.name", value = KafkaAclsTest.STANDARD_AUTHORIZER)})
    RunningBroker broker;

    @BeforeEach
    void topics() {
        for (String topic : List.of("orders", "secret")) {
            broker.broker().createTopic(topic, 1, Map.of(), OnDuplicate.FAIL);
        }
    }

    private void allow(ResourceType type, String name, AclOperation... operations) {
        List<AclBinding> bindings = new ArrayList<>();
        for (AclOperation operation : operations) {
            bindings.add(new AclBinding(new ResourcePattern(type, name, PatternType.LITERAL),
                    new AccessControlEntry(ANONYMOUS, "*", operation, AclPermissionType.ALLOW)));
        }
        broker.broker().access().authorizer().orElseThrow().createAcls(bindings)
                .forEach(result -> assertNull(result.exception()));
    }

    private void forbidAllOn(ResourceType type, String name) {
        broker.broker().access().authorizer().orElseThrow().deleteAcls(List.of(new AclBindingFilter(
                new ResourcePatternFilter(type, name, PatternType.ANY), AccessControlEntryFilter.ANY)));
    }

    private void produce(String value) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("orders", "k", value)).get();
        }
    }

    private KafkaConsumer<String, String> consumer(String group) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        settings.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        return new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer());
    }

    private KafkaShareConsumer<String, String> shareConsumer(String group) {
        return new KafkaShareConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group), new StringDeserializer(), new StringDeserializer());
    }

    /** Polls until {@code poll} throws, failing if it reads records or the deadline passes first. */
    private static Exception pollUntilRefused(Supplier<Boolean> pollFindsNothing) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                assertTrue(pollFindsNothing.get(), "read records it may not read");
            } catch (RuntimeException refused) {
                return refused;
            }
        }
        throw new AssertionError("never refused");
    }

    @Test
    void a_consumer_of_the_consumer_protocol_refused_its_group_gets_group_authorization_exception() {
        allow(ResourceType.TOPIC, "orders", AclOperation.READ);
        try (KafkaConsumer<String, String> consumer = consumer("billing")) {
            consumer.subscribe(List.of("orders"));
            Exception refused = pollUntilRefused(() -> consumer.poll(Duration.ofMillis(200)).isEmpty());
            assertInstanceOf(GroupAuthorizationException.class, refused, refused.toString());
            assertEquals("billing", ((GroupAuthorizationException) refused).groupId());
        }
    }

    @Test
    void a_consumer_of_the_consumer_protocol_allowed_its_group_and_topic_reads_and_is_described() throws Exception {
        allow(ResourceType.TOPIC, "orders", AclOperation.READ, AclOperation.WRITE);
        allow(ResourceType.GROUP, "shop", AclOperation.READ);
        produce("tea");
        try (KafkaConsumer<String, String> consumer = consumer("shop"); Admin admin = KafkaAdmins.on(broker)) {
            consumer.subscribe(List.of("orders"));
            List<String> read = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (read.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> read.add(record.value()));
            }
            assertEquals(List.of("tea"), read);

            // READ implies DESCRIBE on the group; a group never granted is refused
            ConsumerGroupDescription shop = admin.describeConsumerGroups(List.of("shop")).all().get().get("shop");
            assertEquals(1, shop.members().size());
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> admin.describeConsumerGroups(List.of("billing")).all().get());
            assertInstanceOf(GroupAuthorizationException.class, refused.getCause(), refused.toString());

            // a describe never shows a topic the principal may not describe: the group is refused instead
            forbidAllOn(ResourceType.TOPIC, "orders");
            try (KafkaWire wire = new KafkaWire(broker)) {
                ConsumerGroupDescribeResponseData answer = wire.send(new ConsumerGroupDescribeRequestData()
                        .setGroupIds(List.of("shop", "billing")).setIncludeAuthorizedOperations(true), 1);
                assertEquals(List.of("billing", "shop"), answer.groups().stream()
                        .map(ConsumerGroupDescribeResponseData.DescribedGroup::groupId).toList(),
                        "the refused groups come first, as Kafka lists them");
                ConsumerGroupDescribeResponseData.DescribedGroup billing = answer.groups().get(0);
                assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), billing.errorCode());
                assertNull(billing.errorMessage());
                assertEquals(Integer.MIN_VALUE, billing.authorizedOperations());
                ConsumerGroupDescribeResponseData.DescribedGroup hidden = answer.groups().get(1);
                assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), hidden.errorCode());
                assertEquals("The group has described topic(s) that the client is not authorized to describe.",
                        hidden.errorMessage());
                assertEquals(List.of(), hidden.members());
                assertEquals("", hidden.groupState());
            }
        }
    }

    @Test
    void a_consumer_group_heartbeat_needs_read_on_the_group_then_describe_on_each_subscribed_topic() {
        allow(ResourceType.TOPIC, "orders", AclOperation.DESCRIBE);
        try (KafkaWire wire = new KafkaWire(broker)) {
            ConsumerGroupHeartbeatRequestData join = new ConsumerGroupHeartbeatRequestData().setGroupId("shop")
                    .setMemberId(Uuid.randomUuid().toString()).setMemberEpoch(0).setRebalanceTimeoutMs(5_000)
                    .setSubscribedTopicNames(List.of("orders", "secret")).setTopicPartitions(List.of());
            ConsumerGroupHeartbeatResponseData refused = wire.send(join, 1);
            assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), refused.errorCode());
            assertNull(refused.errorMessage());
            assertNull(refused.memberId());
            assertEquals(0, refused.memberEpoch());

            allow(ResourceType.GROUP, "shop", AclOperation.READ);
            ConsumerGroupHeartbeatResponseData hidden = wire.send(join, 1);
            assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), hidden.errorCode());
            assertNull(hidden.errorMessage(), "Kafka names no topic: the client may not learn which exist");
            assertNull(hidden.assignment());

            ConsumerGroupHeartbeatResponseData joined = wire.send(join.setSubscribedTopicNames(List.of("orders")), 1);
            assertEquals(Errors.NONE.code(), joined.errorCode());
            assertTrue(joined.memberEpoch() > 0, "joined at epoch " + joined.memberEpoch());
        }
    }

    @Test
    void a_share_consumer_refused_its_group_or_its_topic_gets_kafkas_exception() {
        allow(ResourceType.TOPIC, "orders", AclOperation.READ);
        try (KafkaShareConsumer<String, String> consumer = shareConsumer("kitchen")) {
            consumer.subscribe(List.of("orders"));
            Exception refused = pollUntilRefused(() -> consumer.poll(Duration.ofMillis(200)).isEmpty());
            assertInstanceOf(GroupAuthorizationException.class, refused, refused.toString());
        }
        allow(ResourceType.GROUP, "kitchen", AclOperation.READ);
        try (KafkaShareConsumer<String, String> consumer = shareConsumer("kitchen")) {
            consumer.subscribe(List.of("secret"));
            Exception refused = pollUntilRefused(() -> consumer.poll(Duration.ofMillis(200)).isEmpty());
            assertInstanceOf(TopicAuthorizationException.class, refused, refused.toString());
        }
    }

    @Test
    void share_groups_are_described_only_to_who_may_describe_them() throws Exception {
        try (Admin admin = KafkaAdmins.on(broker)) {
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> admin.describeShareGroups(List.of("kitchen")).all().get());
            assertInstanceOf(GroupAuthorizationException.class, refused.getCause(), refused.toString());
        }
    }

    @Test
    void share_group_offsets_need_describe_read_or_delete_on_the_group_and_the_topic() throws Exception {
        TopicPartition orders = new TopicPartition("orders", 0);
        try (Admin admin = KafkaAdmins.on(broker)) {
            for (Executable refused : List.<Executable>of(
                    () -> admin.listShareGroupOffsets(Map.of("kitchen", new ListShareGroupOffsetsSpec()))
                            .partitionsToOffsetInfo("kitchen").get(),
                    () -> admin.alterShareGroupOffsets("kitchen", Map.of(orders, 0L)).all().get(),
                    () -> admin.deleteShareGroupOffsets("kitchen", Set.of("orders")).all().get())) {
                ExecutionException thrown = assertThrows(ExecutionException.class, refused);
                assertInstanceOf(GroupAuthorizationException.class, thrown.getCause(), thrown.toString());
            }
            allow(ResourceType.GROUP, "kitchen", AclOperation.READ);
            ExecutionException thrown = assertThrows(ExecutionException.class,
                    () -> admin.alterShareGroupOffsets("kitchen", Map.of(orders, 0L)).all().get());
            assertInstanceOf(TopicAuthorizationException.class, thrown.getCause(), thrown.toString());
            thrown = assertThrows(ExecutionException.class,
                    () -> admin.deleteShareGroupOffsets("kitchen", Set.of("orders")).all().get());
            assertInstanceOf(GroupAuthorizationException.class, thrown.getCause(), "READ is not DELETE");
        }
        try (KafkaWire wire = new KafkaWire(broker)) {
            DescribeShareGroupOffsetsResponseData answer = wire.send(new DescribeShareGroupOffsetsRequestData()
                    .setGroups(List.of(new DescribeShareGroupOffsetsRequestData.DescribeShareGroupOffsetsRequestGroup()
                            .setGroupId("kitchen").setTopics(List.of(
                                    new DescribeShareGroupOffsetsRequestData.DescribeShareGroupOffsetsRequestTopic()
                                            .setTopicName("orders").setPartitions(List.of(0)))))), 1);
            DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseTopic topic =
                    answer.groups().get(0).topics().get(0);
            assertEquals(Uuid.ZERO_UUID, topic.topicId());
            assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), topic.partitions().get(0).errorCode());
            assertEquals(-1, topic.partitions().get(0).startOffset());
        }
    }

    @Test
    void deleting_a_groups_offsets_needs_delete_on_the_group_and_read_on_each_topic() throws Exception {
        allow(ResourceType.TOPIC, "orders", AclOperation.READ);
        allow(ResourceType.GROUP, "shop", AclOperation.READ);
        TopicPartition orders = new TopicPartition("orders", 0);
        TopicPartition secret = new TopicPartition("secret", 0);
        try (KafkaConsumer<String, String> consumer = consumer("shop")) {
            consumer.assign(List.of(orders));
            consumer.commitSync(Map.of(orders, new OffsetAndMetadata(0)));
        }
        try (Admin admin = KafkaAdmins.on(broker)) {
            ExecutionException thrown = assertThrows(ExecutionException.class,
                    () -> admin.deleteConsumerGroupOffsets("shop", Set.of(orders)).all().get());
            assertInstanceOf(GroupAuthorizationException.class, thrown.getCause(), "READ is not DELETE");
            allow(ResourceType.GROUP, "shop", AclOperation.DELETE);
            thrown = assertThrows(ExecutionException.class,
                    () -> admin.deleteConsumerGroupOffsets("shop", Set.of(secret)).all().get());
            assertInstanceOf(TopicAuthorizationException.class, thrown.getCause(), thrown.toString());
            admin.deleteConsumerGroupOffsets("shop", Set.of(orders)).all().get();
        }
    }

    @Test
    void a_streams_heartbeat_needs_read_on_the_group_and_describe_on_every_topic_of_its_topology() {
        allow(ResourceType.TOPIC, "orders", AclOperation.DESCRIBE);
        StreamsGroupHeartbeatRequestData join = new StreamsGroupHeartbeatRequestData().setGroupId("app")
                .setMemberId(Uuid.randomUuid().toString()).setMemberEpoch(0).setRebalanceTimeoutMs(30_000)
                .setProcessId("process").setActiveTasks(List.of()).setStandbyTasks(List.of())
                .setWarmupTasks(List.of()).setClientTags(List.of())
                .setTopology(new StreamsGroupHeartbeatRequestData.Topology().setEpoch(0).setSubtopologies(List.of(
                        new StreamsGroupHeartbeatRequestData.Subtopology().setSubtopologyId("0")
                                .setSourceTopics(List.of("orders"))
                                .setStateChangelogTopics(List.of(new StreamsGroupHeartbeatRequestData.TopicInfo()
                                        .setName("app-changelog"))))));
        try (KafkaWire wire = new KafkaWire(broker)) {
            StreamsGroupHeartbeatResponseData refused = wire.send(join, 1);
            assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), refused.errorCode());
            assertNull(refused.errorMessage());
            allow(ResourceType.GROUP, "app", AclOperation.READ);
            StreamsGroupHeartbeatResponseData hidden = wire.send(join, 1);
            assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), hidden.errorCode(), "app-changelog is hidden");
            allow(ResourceType.TOPIC, "app-changelog", AclOperation.DESCRIBE);
            assertEquals(Errors.NONE.code(), wire.<StreamsGroupHeartbeatResponseData>send(join, 1).errorCode());

            StreamsGroupDescribeResponseData described = wire.send(new StreamsGroupDescribeRequestData()
                    .setGroupIds(List.of("app", "other")), 1);
            assertEquals(List.of("other", "app"), described.groups().stream()
                    .map(StreamsGroupDescribeResponseData.DescribedGroup::groupId).toList());
            assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), described.groups().get(0).errorCode());
            assertEquals(Errors.NONE.code(), described.groups().get(1).errorCode());
            forbidAllOn(ResourceType.TOPIC, "app-changelog");
            StreamsGroupDescribeResponseData.DescribedGroup hiddenGroup = wire.<StreamsGroupDescribeResponseData>send(
                    new StreamsGroupDescribeRequestData().setGroupIds(List.of("app")), 1).groups().get(0);
            assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), hiddenGroup.errorCode());
            assertEquals("The described group uses topics that the client is not authorized to describe.",
                    hiddenGroup.errorMessage());
            assertNull(hiddenGroup.topology());
            assertEquals(List.of(), hiddenGroup.members());
        }
    }

    @Test
    void share_heartbeat_fetch_and_acknowledge_need_read_on_the_group_and_each_topic() {
        Uuid orders = BrokerTopics.idOf(broker, "orders");
        String memberId = Uuid.randomUuid().toString();
        try (KafkaWire wire = new KafkaWire(broker)) {
            ShareGroupHeartbeatRequestData join = new ShareGroupHeartbeatRequestData().setGroupId("kitchen")
                    .setMemberId(memberId).setMemberEpoch(0).setSubscribedTopicNames(List.of("orders"));
            ShareGroupHeartbeatResponseData beat = wire.send(join, 1);
            assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), beat.errorCode());
            ShareFetchRequestData fetch = new ShareFetchRequestData().setGroupId("kitchen").setMemberId(memberId)
                    .setShareSessionEpoch(0).setMaxWaitMs(0).setMaxBytes(1 << 20).setMaxRecords(10)
                    .setBatchSize(10);
            fetch.topics().add(new ShareFetchRequestData.FetchTopic().setTopicId(orders)
                    .setPartitions(new ShareFetchRequestData.FetchPartitionCollection(List.of(
                            new ShareFetchRequestData.FetchPartition().setPartitionIndex(0)).iterator())));
            ShareFetchResponseData fetched = wire.send(fetch, 1);
            assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), fetched.errorCode());
            assertEquals(0, fetched.responses().size());
            ShareAcknowledgeResponseData acked = wire.send(new ShareAcknowledgeRequestData().setGroupId("kitchen")
                    .setMemberId(memberId).setShareSessionEpoch(1), 1);
            assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), acked.errorCode());

            allow(ResourceType.GROUP, "kitchen", AclOperation.READ);
            assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), wire.<ShareGroupHeartbeatResponseData>send(join, 1)
                    .errorCode(), "orders may not be described");
            ShareFetchResponseData partitionRefused = wire.send(fetch, 1);
            assertEquals(Errors.NONE.code(), partitionRefused.errorCode());
            ShareFetchResponseData.PartitionData partition = partitionRefused.responses().iterator().next()
                    .partitions().iterator().next();
            assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), partition.errorCode());
        }
    }
}

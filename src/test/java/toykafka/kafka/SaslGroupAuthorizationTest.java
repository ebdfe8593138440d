package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.SubscriptionPattern;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData;
import org.apache.kafka.common.message.StreamsGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.security.AccessControlEntry;
import toykafka.broker.security.AclBinding;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.AclPermissionType;
import toykafka.broker.security.PatternType;
import toykafka.broker.security.PlainJaasConfig;
import toykafka.broker.security.ResourcePattern;
import toykafka.broker.security.ResourceType;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;
import toykafka.testing.StartedBroker.Setting;

/**
 * What Kafka's group coordinator asks the authorizer beyond the heartbeat handlers' checks, on a SASL listener with
 * StandardAuthorizer: a consumer's regular expression matches only the topics its principal may describe, and a
 * streams group's internal topics are made only for a principal that may create them.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SaslGroupAuthorizationTest {

    private static final String SASL = "SASL_PLAINTEXT";

    @StartedBroker(value = FrontEnd.KAFKA, settings = {
            @Setting(name = "listeners", value = "SASL_PLAINTEXT://127.0.0.1:0"),
            @Setting(name = "sasl.enabled.mechanisms", value = "PLAIN"),
            @Setting(name = "listener.name.sasl_plaintext.plain.sasl.jaas.config",
                    value = "org.apache.kafka.common.security.plain.PlainLoginModule required"
                            + " user_alice=\"alice-secret\";"),
            @Setting(name = "authorizer.class.name", value = KafkaAclsTest.STANDARD_AUTHORIZER),
            @Setting(name = "group.consumer.heartbeat.interval.ms", value = "200")})
    RunningBroker broker;

    private void allowAlice(ResourceType type, String name, AclOperation... operations) {
        List<AclBinding> bindings = new ArrayList<>();
        for (AclOperation operation : operations) {
            bindings.add(new AclBinding(new ResourcePattern(type, name, PatternType.LITERAL),
                    new AccessControlEntry("User:alice", "*", operation, AclPermissionType.ALLOW)));
        }
        broker.broker().access().authorizer().orElseThrow().createAcls(bindings)
                .forEach(result -> assertNull(result.exception()));
    }

    @Test
    void a_consumers_regular_expression_matches_only_the_topics_its_principal_may_describe() {
        for (String topic : List.of("fish-a", "fish-b")) {
            broker.broker().createTopic(topic, 2, Map.of(), OnDuplicate.FAIL);
        }
        allowAlice(ResourceType.TOPIC, "fish-a", AclOperation.DESCRIBE, AclOperation.READ);
        allowAlice(ResourceType.GROUP, "aquarium", AclOperation.READ);
        Map<String, Object> settings = new HashMap<>();
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.front().bootstrapServers(SASL));
        settings.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SASL);
        settings.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
        settings.put(SaslConfigs.SASL_JAAS_CONFIG, PlainJaasConfig.PLAIN_LOGIN_MODULE
                + " required username=\"alice\" password=\"alice-secret\";");
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, "aquarium");
        settings.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(new SubscriptionPattern("fish-.*")); // resolved by the broker, not the client
            Set<TopicPartition> expected = Set.of(new TopicPartition("fish-a", 0), new TopicPartition("fish-a", 1));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!consumer.assignment().equals(expected) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100));
            }
            assertEquals(expected, consumer.assignment());
            for (int i = 0; i < 10; i++) { // several heartbeats later, fish-b has still not come
                consumer.poll(Duration.ofMillis(100));
            }
            assertEquals(expected, consumer.assignment(), "fish-b is never assigned: alice may not describe it");
        }
    }

    @Test
    void a_streams_group_whose_member_may_not_create_its_internal_topics_is_told_so_and_none_is_made()
            throws Exception {
        broker.broker().createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
        allowAlice(ResourceType.GROUP, "app", AclOperation.READ);
        allowAlice(ResourceType.TOPIC, "orders", AclOperation.DESCRIBE);
        allowAlice(ResourceType.TOPIC, "app-changelog", AclOperation.DESCRIBE);
        allowAlice(ResourceType.TOPIC, "app-repartition", AclOperation.DESCRIBE);
        StreamsGroupHeartbeatRequestData join = new StreamsGroupHeartbeatRequestData().setGroupId("app")
                .setMemberId(Uuid.randomUuid().toString()).setMemberEpoch(0).setRebalanceTimeoutMs(30_000)
                .setProcessId("process").setActiveTasks(List.of()).setStandbyTasks(List.of())
                .setWarmupTasks(List.of()).setClientTags(List.of())
                .setTopology(new StreamsGroupHeartbeatRequestData.Topology().setEpoch(0).setSubtopologies(List.of(
                        new StreamsGroupHeartbeatRequestData.Subtopology().setSubtopologyId("0")
                                .setSourceTopics(List.of("orders")).setRepartitionSinkTopics(List.of("app-repartition"))
                                .setStateChangelogTopics(List.of(new StreamsGroupHeartbeatRequestData.TopicInfo()
                                        .setName("app-changelog"))),
                        new StreamsGroupHeartbeatRequestData.Subtopology().setSubtopologyId("1")
                                .setSourceTopics(List.of("app-repartition"))
                                .setRepartitionSourceTopics(List.of(new StreamsGroupHeartbeatRequestData.TopicInfo()
                                        .setName("app-repartition"))))));
        try (KafkaWire wire = new KafkaWire(broker.host(), broker.front().port(SASL))) {
            wire.send(new SaslHandshakeRequestData().setMechanism("PLAIN"), 1);
            assertEquals(Errors.NONE.code(), wire.<SaslAuthenticateResponseData>send(new SaslAuthenticateRequestData()
                    .setAuthBytes("\u0000alice\u0000alice-secret".getBytes(StandardCharsets.UTF_8)), 2).errorCode());

            StreamsGroupHeartbeatResponseData refused = wire.send(join, 1);
            assertEquals(Errors.NONE.code(), refused.errorCode(), "the heartbeat itself is answered");
            assertEquals(List.of("3: Internal topics are missing: app-changelog, app-repartition; Unauthorized to"
                    + " CREATE on topics app-changelog, app-repartition."), statuses(refused));
            assertTrue(broker.broker().listTopics().stream().noneMatch(name -> name.startsWith("app-")),
                    "no internal topic is made");

            allowAlice(ResourceType.TOPIC, "app-changelog", AclOperation.CREATE);
            StreamsGroupHeartbeatResponseData half = wire.send(beat(join, refused.memberEpoch()), 1);
            assertEquals(List.of("3: Internal topics are missing: app-changelog, app-repartition; Unauthorized to"
                    + " CREATE on topics app-repartition."), statuses(half), "CREATE on some is CREATE on none");
            assertTrue(broker.broker().listTopics().stream().noneMatch(name -> name.startsWith("app-")));

            allowAlice(ResourceType.CLUSTER, ResourcePattern.CLUSTER_NAME, AclOperation.CREATE);
            StreamsGroupHeartbeatResponseData made = wire.send(beat(join, half.memberEpoch()), 1);
            assertEquals(List.of("3: Internal topics are missing: app-changelog, app-repartition"),
                    statuses(made), "CREATE on the cluster: the topics are being made");
            assertTrue(broker.broker().listTopics().containsAll(List.of("app-changelog", "app-repartition")),
                    broker.broker().listTopics().toString());
        }
    }

    /** The member's next heartbeat, which says only that it is alive. */
    private static StreamsGroupHeartbeatRequestData beat(StreamsGroupHeartbeatRequestData join, int epoch) {
        return new StreamsGroupHeartbeatRequestData().setGroupId(join.groupId()).setMemberId(join.memberId())
                .setMemberEpoch(epoch);
    }

    /** The MISSING_INTERNAL_TOPICS statuses of an answer, each with its detail. */
    private static List<String> statuses(StreamsGroupHeartbeatResponseData answer) {
        return answer.status().stream().filter(status -> status.statusCode() == 3).map(status -> status.statusCode() + ": " + status.statusDetail()).toList();
    }
}

package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DeleteTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.ThrottlingQuotaExceededException;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicCollection;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.junit.jupiter.api.Test;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * {@code controller_mutation_rate} as kafka-clients 4.4 meets it, as against Kafka: with a quota of 2 partitions a
 * second and Kafka's eleven windows of a second, a client may make 22 partitions at once, one more topic that
 * overdraws its bucket, and is then refused THROTTLING_QUOTA_EXCEEDED until the debt is paid; a client without the
 * quota is never refused. Admin retries a refused topic by default, so the calls here ask it not to. The numbers on
 * the wire are those a Kafka 4.4 node answered to the same requests.
 */
class ControllerMutationQuotaTest {

    private static final double RATE = 2;

    @StartedBroker(FrontEnd.KAFKA)
    RunningBroker broker;

    @Test
    void topics_created_in_a_row_are_refused_once_the_bucket_is_empty_while_a_client_without_the_quota_creates_on()
            throws Exception {
        setQuota(ClientQuotaEntity.CLIENT_ID, "creator");
        try (Admin creator = admin("creator"); Admin free = admin("free")) {
            ThrottlingQuotaExceededException refused = null;
            int created = 0;
            while (refused == null) { // each topic takes 20 of the 22 tokens, far faster than 2 a second refill them
                String topic = "burst-" + created;
                try {
                    creator.createTopics(List.of(new NewTopic(topic, 20, (short) 1)),
                            new CreateTopicsOptions().retryOnQuotaViolation(false)).all().get();
                    created++;
                } catch (ExecutionException e) {
                    refused = assertInstanceOf(ThrottlingQuotaExceededException.class, e.getCause());
                    assertFalse(broker.broker().listTopics().contains(topic), "a refused topic is not made");
                }
                assertTrue(created < 5, "100 partitions made at a quota of 2 a second");
            }
            assertTrue(created >= 2, "the full bucket paid for 20 partitions and the topic that overdrew it: "
                    + created + " created");
            assertEquals("The throttling quota has been exceeded.", refused.getMessage());
            assertTrue(refused.throttleTimeMs() > 0, "the refusal's throttle time: " + refused.throttleTimeMs());

            for (int i = 0; i < created + 1; i++) {
                free.createTopics(List.of(new NewTopic("free-" + i, 20, (short) 1)),
                        new CreateTopicsOptions().retryOnQuotaViolation(false)).all().get();
            }
            assertTrue(broker.broker().listTopics().containsAll(Set.of("free-0", "free-" + created)));
        }
    }

    @Test
    void partitions_added_are_counted_and_a_topic_grown_past_the_bucket_keeps_its_partitions() throws Exception {
        setQuota(ClientQuotaEntity.USER, "ANONYMOUS");
        broker.broker().createTopic("grown", 1, Map.of(), OnDuplicate.FAIL);
        try (Admin grower = admin("grower")) {
            CreatePartitionsOptions noRetry = new CreatePartitionsOptions().retryOnQuotaViolation(false);
            grower.createPartitions(Map.of("grown", NewPartitions.increaseTo(31)), noRetry).all().get();
            ExecutionException e = assertThrows(ExecutionException.class, () -> grower.createPartitions(
                    Map.of("grown", NewPartitions.increaseTo(32)), noRetry).all().get());
            assertInstanceOf(ThrottlingQuotaExceededException.class, e.getCause());
        }
        assertEquals(31, broker.broker().partitionCount("grown"), "30 added at once, the next refused");
    }

    @Test
    void partitions_deleted_are_counted_and_a_topic_refused_is_kept() throws Exception {
        setQuota(ClientQuotaEntity.CLIENT_ID, "deleter");
        broker.broker().createTopic("large", 30, Map.of(), OnDuplicate.FAIL); // made by the broker, not counted
        broker.broker().createTopic("small", 1, Map.of(), OnDuplicate.FAIL);
        try (Admin deleter = admin("deleter")) {
            DeleteTopicsOptions noRetry = new DeleteTopicsOptions().retryOnQuotaViolation(false);
            deleter.deleteTopics(List.of("large"), noRetry).all().get();
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> deleter.deleteTopics(List.of("small"), noRetry).all().get());
            assertInstanceOf(ThrottlingQuotaExceededException.class, e.getCause());
        }
        assertEquals(List.of("small"), broker.broker().listTopics().stream().filter(t -> !t.startsWith("__")).toList());
    }

    @Test
    void before_the_strict_version_every_topic_is_made_and_the_answer_carries_the_throttle_time() {
        setQuotaOnBroker("toykafka-test");
        try (KafkaWire validating = new KafkaWire(broker); KafkaWire permissive = new KafkaWire(broker);
             KafkaWire strict = new KafkaWire(broker)) {
            CreateTopicsResponseData validated = validating.send(request("checked").setValidateOnly(true), 7);
            assertEquals(Errors.NONE.code(), validated.topics().find("checked").errorCode());
            assertEquals(0, validated.throttleTimeMs(), "20 of the bucket's 22 partitions taken, validated only");
            assertFalse(broker.broker().listTopics().contains("checked"));

            CreateTopicsResponseData v5 = permissive.send(request("early-a", "early-b"), 5);
            for (CreatableTopicResult result : v5.topics()) {
                assertEquals(Errors.NONE.code(), result.errorCode(), result.name() + ": " + result.errorMessage());
            }
            // 40 partitions from the 2 left: 38 owed at 2 a second, less what refilled since (Kafka 4.4 answered 18,928)
            assertTrue(v5.throttleTimeMs() > 14_000 && v5.throttleTimeMs() <= 19_000, "v5's throttle_time_ms was "
                    + v5.throttleTimeMs());

            CreateTopicsResponseData v7 = strict.send(request("late"), 7);
            CreatableTopicResult late = v7.topics().find("late");
            assertNotNull(late);
            assertEquals(Errors.THROTTLING_QUOTA_EXCEEDED.code(), late.errorCode());
            assertNull(late.errorMessage(), "no message, as Kafka answers: clients show the error's own");
            assertTrue(v7.throttleTimeMs() > 0, "v7's throttle_time_ms was " + v7.throttleTimeMs());
            assertFalse(broker.broker().listTopics().contains("late"));
        }
    }

    private static CreateTopicsRequestData request(String... names) {
        CreatableTopicCollection topics = new CreatableTopicCollection();
        for (String name : names) {
            topics.add(new CreatableTopic().setName(name).setNumPartitions(20).setReplicationFactor((short) 1));
        }
        return new CreateTopicsRequestData().setTopics(topics).setTimeoutMs(30_000);
    }

    private Admin admin(String clientId) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, clientId,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000));
    }

    /** Sets the quota as {@code kafka-configs --add-config controller_mutation_rate=2} would, over AlterClientQuotas. */
    private void setQuota(String entityType, String name) throws Exception {
        try (Admin admin = admin("quota-setter")) {
            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(new ClientQuotaEntity(Map.of(entityType, name)),
                    List.of(new ClientQuotaAlteration.Op("controller_mutation_rate", RATE))))).all().get();
        }
    }

    private void setQuotaOnBroker(String clientId) {
        broker.broker().access().quotas().settings().alter(List.of(new toykafka.broker.quota.ClientQuotaAlteration(
                toykafka.broker.quota.ClientQuotaEntity.of(null, clientId), List.of(
                        new toykafka.broker.quota.ClientQuotaAlteration.Op("controller_mutation_rate", RATE)))), false);
    }
}

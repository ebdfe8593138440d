package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;
import toykafka.testing.StartedBroker.Setting;

/**
 * The admin APIs ask what Kafka's controller and KafkaApis ask, with Admin of kafka-clients 4.4 as User:ANONYMOUS:
 * each refused with Kafka's exception while no ACL allows it, then done once one does (the ACLs are given to the
 * broker's authorizer directly, as User:ANONYMOUS may not create them).
 */
class AdminAuthorizationTest {

    @StartedBroker(value = FrontEnd.KAFKA, settings = {
        @Setting(name = "authorizer.class.name", value = KafkaAclsTest.STANDARD_AUTHORIZER)})
    RunningBroker broker;

    private void allow(ResourceType type, String name, AclOperation operation) {
        broker.broker().access().authorizer().orElseThrow().createAcls(List.of(
                new toykafka.broker.security.AclBinding(new toykafka.broker.security.ResourcePattern(
                        toykafka.broker.security.ResourceType.valueOf(type.name()), name,
                        toykafka.broker.security.PatternType.LITERAL),
                        new toykafka.broker.security.AccessControlEntry("User:ANONYMOUS", "*",
                                toykafka.broker.security.AclOperation.valueOf(operation.name()),
                                toykafka.broker.security.AclPermissionType.ALLOW))))
                .forEach(result -> assertEquals(null, result.exception()));
    }

    private void deny(ResourceType type, String name, AclOperation operation) {
        broker.broker().access().authorizer().orElseThrow().deleteAcls(List.of(
                new toykafka.broker.security.AclBindingFilter(new toykafka.broker.security.ResourcePatternFilter(
                        toykafka.broker.security.ResourceType.valueOf(type.name()), name,
                        toykafka.broker.security.PatternType.LITERAL),
                        new toykafka.broker.security.AccessControlEntryFilter("User:ANONYMOUS", "*",
                                toykafka.broker.security.AclOperation.valueOf(operation.name()),
                                toykafka.broker.security.AclPermissionType.ALLOW))));
    }

    private static <T> Throwable refusal(KafkaFuture<T> future) {
        return assertThrows(ExecutionException.class, () -> future.get(30, TimeUnit.SECONDS)).getCause();
    }

    private static <T> T done(KafkaFuture<T> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }

    @Test
    void topic_admin_needs_alter_alter_configs_and_delete_on_the_topic() throws Exception {
        broker.broker().createTopic("ledger", 1, Map.of(), OnDuplicate.FAIL);
        ConfigResource ledger = new ConfigResource(ConfigResource.Type.TOPIC, "ledger");
        AlterConfigOp retention = new AlterConfigOp(new ConfigEntry("retention.ms", "60000"),
                AlterConfigOp.OpType.SET);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            assertInstanceOf(TopicAuthorizationException.class, refusal(admin.createPartitions(
                    Map.of("ledger", NewPartitions.increaseTo(2))).all()));
            assertInstanceOf(TopicAuthorizationException.class, refusal(admin.incrementalAlterConfigs(
                    Map.of(ledger, List.of(retention))).all()));
            assertInstanceOf(TopicAuthorizationException.class, refusal(admin.deleteRecords(
                    Map.of(new TopicPartition("ledger", 0), RecordsToDelete.beforeOffset(0))).all()));
            assertEquals(1, broker.broker().partitionCount("ledger"), "nothing was changed");

            allow(ResourceType.TOPIC, "ledger", AclOperation.ALTER);
            allow(ResourceType.TOPIC, "ledger", AclOperation.ALTER_CONFIGS);
            allow(ResourceType.TOPIC, "ledger", AclOperation.DELETE);
            done(admin.createPartitions(Map.of("ledger", NewPartitions.increaseTo(2))).all());
            done(admin.incrementalAlterConfigs(Map.of(ledger, List.of(retention))).all());
            done(admin.deleteRecords(Map.of(new TopicPartition("ledger", 0), RecordsToDelete.beforeOffset(0))).all());
            assertEquals(2, broker.broker().partitionCount("ledger"));
        }
    }

    @Test
    void cluster_admin_needs_describe_describe_configs_alter_configs_or_alter_on_the_cluster() throws Exception {
        ClientQuotaEntity bob = new ClientQuotaEntity(Map.of(ClientQuotaEntity.USER, "bob"));
        ClientQuotaAlteration quota = new ClientQuotaAlteration(bob, List.of(
                new ClientQuotaAlteration.Op("producer_byte_rate", 1024.0)));
        ConfigResource thisBroker = new ConfigResource(ConfigResource.Type.BROKER, "1");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            assertInstanceOf(ClusterAuthorizationException.class,
                    refusal(admin.alterClientQuotas(List.of(quota)).all()));
            assertInstanceOf(ClusterAuthorizationException.class, refusal(admin.describeClientQuotas(
                    ClientQuotaFilter.all()).entities()));
            assertInstanceOf(ClusterAuthorizationException.class,
                    refusal(admin.describeLogDirs(List.of(1)).allDescriptions()));
            assertInstanceOf(ClusterAuthorizationException.class,
                    refusal(admin.describeConfigs(List.of(thisBroker)).all()));
            assertInstanceOf(ClusterAuthorizationException.class, refusal(admin.incrementalAlterConfigs(
                    Map.of(thisBroker, List.of(new AlterConfigOp(new ConfigEntry("log.retention.ms", "60000"),
                            AlterConfigOp.OpType.SET)))).all()));

            assertInstanceOf(ClusterAuthorizationException.class, refusal(admin.listConfigResources().all()));
            assertInstanceOf(ClusterAuthorizationException.class, refusal(admin.updateFeatures(Map.of(
                    "transaction.version", new FeatureUpdate((short) 2, FeatureUpdate.UpgradeType.UPGRADE)),
                    new UpdateFeaturesOptions().validateOnly(true)).all()));

            allow(ResourceType.CLUSTER, "kafka-cluster", AclOperation.ALTER_CONFIGS);
            allow(ResourceType.CLUSTER, "kafka-cluster", AclOperation.DESCRIBE);
            done(admin.alterClientQuotas(List.of(quota)).all());
            assertTrue(done(admin.describeClientQuotas(ClientQuotaFilter.all()).entities()).containsKey(bob),
                    "ALTER_CONFIGS implies DESCRIBE_CONFIGS");
            assertEquals(1, done(admin.describeLogDirs(List.of(1)).allDescriptions()).get(1).size());
            assertTrue(done(admin.listConfigResources().all()).size() >= 1, "ALTER_CONFIGS implies DESCRIBE_CONFIGS");
        }
    }

    @Test
    void transactions_and_producers_are_described_only_to_whom_may_describe_or_read_them() throws Exception {
        broker.broker().createTopic("payments", 1, Map.of(), OnDuplicate.FAIL);
        allow(ResourceType.TRANSACTIONAL_ID, "till-1", AclOperation.WRITE);
        allow(ResourceType.TOPIC, "payments", AclOperation.WRITE);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                broker.bootstrapServers(), "transactional.id", "till-1", "max.block.ms", 20_000),
                new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("payments", "paid"));
            producer.commitTransaction();
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            assertEquals(1, done(admin.listTransactions().all()).size(), "WRITE on the id implies DESCRIBE");
            assertInstanceOf(TopicAuthorizationException.class, refusal(admin.describeProducers(
                    List.of(new TopicPartition("payments", 0))).all()), "WRITE on a topic does not imply READ");

            deny(ResourceType.TRANSACTIONAL_ID, "till-1", AclOperation.WRITE);
            assertEquals(List.of(), List.copyOf(done(admin.listTransactions().all())));
            assertInstanceOf(TransactionalIdAuthorizationException.class,
                    refusal(admin.describeTransactions(List.of("till-1")).all()));

            allow(ResourceType.TOPIC, "payments", AclOperation.READ);
            assertEquals(1, done(admin.describeProducers(List.of(new TopicPartition("payments", 0))).all())
                    .get(new TopicPartition("payments", 0)).activeProducers().size());
        }
    }
}

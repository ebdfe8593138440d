package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidUpdateVersionException;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.UpdateFeaturesRequestData;
import org.apache.kafka.common.message.UpdateFeaturesRequestData.FeatureUpdateKey;
import org.apache.kafka.common.message.UpdateFeaturesResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import toykafka.broker.txn.Transaction;
import toykafka.broker.txn.TransactionVersion;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/** UpdateFeatures checked by Kafka's own classes: on the wire in each version, by its Admin, and by kafka-features. */
class Api57UpdateFeaturesTest {

    private static final String TV = "transaction.version";

    @StartedBroker(FrontEnd.KAFKA)
    RunningBroker broker;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void a_downgrade_changes_the_finalized_level_and_its_epoch_and_lists_results_before_v2(int version) {
        try (KafkaWire wire = new KafkaWire(broker)) {
            UpdateFeaturesResponseData response = wire.send(update(TV, 1, version, (byte) 2, false), version);
            assertEquals(Errors.NONE.code(), response.errorCode());
            assertNull(response.errorMessage());
            if (version < 2) {
                assertEquals(1, response.results().size());
                assertEquals(Errors.NONE.code(), response.results().find(TV).errorCode());
            }
            ApiVersionsResponseData versions = wire.send(new ApiVersionsRequestData(), 4);
            assertEquals(1, versions.finalizedFeatures().find(TV).maxVersionLevel());
            assertEquals(1, versions.finalizedFeaturesEpoch(), "each change moves the epoch on");
        }
    }

    @Test
    void refusals_say_why_in_kafkas_words_and_change_nothing() {
        try (KafkaWire wire = new KafkaWire(broker)) {
            assertRefused(wire, update(TV, 1, 2, (byte) 1, false), "Invalid update version 1 for feature "
                    + "transaction.version. Can't downgrade the version of this feature without setting the upgrade"
                    + " type to either safe or unsafe downgrade.");
            assertRefused(wire, update(TV, 3, 2, (byte) 1, false),
                    "Invalid update version 3 for feature transaction.version. Local controller 1 only supports versions 0-2");
            assertRefused(wire, update("metadata.version", 8, 2, (byte) 1, false),
                    "Invalid update version 8 for feature metadata.version. Local controller 1 only supports versions 7");
            assertRefused(wire, update("no.such.version", 1, 2, (byte) 1, false),
                    "Invalid update version 1 for feature no.such.version. Local controller 1 does not support this feature.");
            assertRefused(wire, update(TV, -1, 2, (byte) 3, false),
                    "Invalid update version -1 for feature transaction.version. A feature version cannot be less than 0.");
            assertRefused(wire, update(TV, 1, 2, (byte) 7, false), "Invalid update version 1 for feature "
                    + "transaction.version. The controller does not support the given upgrade type.");
            assertRefused(wire, update("group.version", 1, 2, (byte) 1, false)
                    .setFeatureUpdates(new UpdateFeaturesRequestData.FeatureUpdateKeyCollection(List.of(
                            new FeatureUpdateKey().setFeature("group.version").setMaxVersionLevel((short) 0)
                                    .setUpgradeType((byte) 2),
                            new FeatureUpdateKey().setFeature(TV).setMaxVersionLevel((short) 1)
                                    .setUpgradeType((byte) 1)).iterator())),
                    "Invalid update version 1 for feature transaction.version. Can't downgrade the version of this"
                            + " feature without setting the upgrade type to either safe or unsafe downgrade.");
            UpdateFeaturesResponseData validated = wire.send(update(TV, 1, 2, (byte) 2, true), 2);
            assertEquals(Errors.NONE.code(), validated.errorCode());

            ApiVersionsResponseData versions = wire.send(new ApiVersionsRequestData(), 4);
            assertEquals(2, versions.finalizedFeatures().find(TV).maxVersionLevel(), "validate only changes nothing");
            assertEquals(1, versions.finalizedFeatures().find("group.version").maxVersionLevel(),
                    "a request with one refusal changes none of its features");
            assertEquals(0, versions.finalizedFeaturesEpoch());
        }
    }

    @Test
    void a_finalized_level_outlives_a_restart() {
        try (KafkaWire wire = new KafkaWire(broker)) {
            assertEquals(Errors.NONE.code(), wire.<UpdateFeaturesResponseData>send(update(TV, 1, 2, (byte) 2, false), 2)
                    .errorCode());
        }
        broker.restart();
        try (KafkaWire wire = new KafkaWire(broker)) {
            ApiVersionsResponseData versions = wire.send(new ApiVersionsRequestData(), 4);
            assertEquals(1, versions.finalizedFeatures().find(TV).maxVersionLevel());
            assertEquals(1, versions.finalizedFeaturesEpoch());
        }
    }

    @Test
    void kafkas_admin_downgrades_and_upgrades_transaction_version_and_describes_each() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            assertEquals(2, finalizedTransactionVersion(admin.describeFeatures().featureMetadata().get()));
            admin.updateFeatures(Map.of(TV, new FeatureUpdate((short) 1, FeatureUpdate.UpgradeType.SAFE_DOWNGRADE)),
                    new UpdateFeaturesOptions()).all().get();
            assertEquals(1, finalizedTransactionVersion(admin.describeFeatures().featureMetadata().get()));
            ExecutionException refused = assertThrows(ExecutionException.class, () -> admin.updateFeatures(
                    Map.of(TV, new FeatureUpdate((short) 2, FeatureUpdate.UpgradeType.SAFE_DOWNGRADE)),
                    new UpdateFeaturesOptions()).all().get());
            assertInstanceOf(InvalidUpdateVersionException.class, refused.getCause());
            admin.updateFeatures(Map.of(TV, new FeatureUpdate((short) 2, FeatureUpdate.UpgradeType.UPGRADE)),
                    new UpdateFeaturesOptions()).all().get();
            FeatureMetadata upgraded = admin.describeFeatures().featureMetadata().get();
            assertEquals(2, finalizedTransactionVersion(upgraded));
            assertEquals(2L, upgraded.finalizedFeaturesEpoch().orElseThrow());
        }
    }

    @Test
    void a_kafka_producer_speaks_the_classic_protocol_once_transaction_version_is_downgraded_to_1() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("bills", 1, (short) 1))).all().get();
            admin.updateFeatures(Map.of(TV, new FeatureUpdate((short) 1, FeatureUpdate.UpgradeType.SAFE_DOWNGRADE)),
                    new UpdateFeaturesOptions()).all().get();
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "cashier"), new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            for (String bill : List.of("cod", "chips")) {
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("bills", bill)).get();
                producer.commitTransaction();
            }
        }
        Transaction cashier = broker.broker().transactionCoordinator().transactions().stream()
                .filter(transaction -> transaction.transactionalId().equals("cashier")).findFirst().orElseThrow();
        assertEquals(TransactionVersion.TV_0, cashier.version(), "it added the partition with AddPartitionsToTxn");
        assertEquals(0, cashier.epoch(), "no end moved it to a new epoch, as each does under version 2");
    }

    @Test
    void kafka_features_downgrades_transaction_version_to_1_and_upgrades_it_back() {
        String before = features("describe");
        assertTrue(spaced(before).contains("Feature: transaction.version SupportedMinVersion: 0 SupportedMaxVersion: 2"
                + " FinalizedVersionLevel: 2 Epoch: 0"), before);
        String downgraded = features("downgrade", "--feature", TV + "=1");
        assertTrue(downgraded.contains("transaction.version was downgraded to 1."), downgraded);
        String after = features("describe");
        assertTrue(spaced(after).contains("Feature: transaction.version SupportedMinVersion: 0 SupportedMaxVersion: 2"
                + " FinalizedVersionLevel: 1 Epoch: 1"), after);
        String upgraded = features("upgrade", "--feature", TV + "=2");
        assertTrue(upgraded.contains("transaction.version was upgraded to 2."), upgraded);
    }

    /** What Kafka's kafka-features tool prints for this command against the broker, which it must accept. */
    private String features(String... command) {
        List<String> args = new ArrayList<>(List.of("--bootstrap-server", "127.0.0.1:" + broker.port()));
        args.addAll(List.of(command));
        return KafkaTool.FEATURES.run(null, args.toArray(String[]::new)).assertSucceeded().output();
    }

    /** The tool pads its columns with spaces: each run of them as one. */
    private static String spaced(String output) {
        return output.replaceAll("[ \t]+", " ");
    }

    private static int finalizedTransactionVersion(FeatureMetadata metadata) {
        return metadata.finalizedFeatures().get(TV).maxVersionLevel();
    }

    private static UpdateFeaturesRequestData update(String feature, int level, int version, byte type, boolean validateOnly) {
        FeatureUpdateKey key = new FeatureUpdateKey().setFeature(feature).setMaxVersionLevel((short) level);
        if (version == 0) {
            key.setAllowDowngrade(type != 1);
        } else {
            key.setUpgradeType(type);
        }
        UpdateFeaturesRequestData request = new UpdateFeaturesRequestData().setValidateOnly(validateOnly);
        request.featureUpdates().add(key);
        return request;
    }

    private static void assertRefused(KafkaWire wire, UpdateFeaturesRequestData request, String message) {
        UpdateFeaturesResponseData response = wire.send(request, 2);
        assertEquals(Errors.INVALID_UPDATE_VERSION.code(), response.errorCode());
        assertEquals(message, response.errorMessage());
    }
}

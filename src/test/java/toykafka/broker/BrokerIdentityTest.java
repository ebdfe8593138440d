package toykafka.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.config.MetaProperties;
import toykafka.broker.config.BrokerConfig;
import toykafka.check.MessageFacts;
import toykafka.common.InvalidConfigurationException;
import toykafka.broker.txn.ProducerIdManager;

/**
 * What a broker is across restarts: its cluster id and node id, kept in {@code meta.properties} as Kafka
 * keeps them, and the producer ids it hands out, which never repeat on the same data directory.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BrokerIdentityTest {

    // brokers started here, not by StartedBroker: each test checks what a start stores, keeps or refuses, with ids it makes
    @TempDir
    Path dataDir;

    private BrokerConfig config(Map<String, String> settings) {
        return BrokerConfig.of(settings).with(BrokerConfig.STATS_INTERVAL_MS, 0).with(BrokerConfig.DATA_DIR, dataDir);
    }

    private static Properties read(Path file) throws Exception {
        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        return properties;
    }

    @Test
    void a_new_data_directory_gets_a_kafka_style_cluster_id_that_every_later_start_keeps() throws Exception {
        String clusterId;
        try (Broker broker = Broker.start(config(Map.of()))) {
            clusterId = broker.clusterId();
            assertEquals(1, broker.nodeId(), "node.id's default");
        }
        assertEquals(22, clusterId.length());
        assertEquals(clusterId, Uuid.fromString(clusterId).toString(), "Kafka's own Uuid reads it back as written");
        Properties stored = read(dataDir.resolve(MetaProperties.FILE));
        assertEquals(Map.of("version", "1", "cluster.id", clusterId, "node.id", "1"), Map.copyOf(stored));

        try (Broker broker = Broker.start(config(Map.of()))) {
            assertEquals(clusterId, broker.clusterId(), "the same cluster after a restart");
        }
        try (Broker broker = Broker.start(config(Map.of(BrokerConfig.CLUSTER_ID, clusterId)))) {
            assertEquals(clusterId, broker.clusterId(), "setting the stored id is fine");
        }
    }

    @Test
    void configured_ids_are_stored_in_a_new_data_directory() {
        String wanted = Uuid.randomUuid().toString();
        try (Broker broker = Broker.start(config(Map.of(BrokerConfig.CLUSTER_ID, wanted, BrokerConfig.NODE_ID, "3")))) {
            assertEquals(wanted, broker.clusterId());
            assertEquals(3, broker.nodeId());
        }
        try (Broker broker = Broker.start(config(Map.of(BrokerConfig.NODE_ID, "3")))) {
            assertEquals(wanted, broker.clusterId());
        }
    }

    @Test
    void a_start_whose_ids_disagree_with_the_data_directory_is_refused_naming_both_and_the_file() {
        String stored;
        try (Broker broker = Broker.start(config(Map.of()))) {
            stored = broker.clusterId();
        }
        String other = Uuid.randomUuid().toString();
        var wrongCluster = assertThrows(InvalidConfigurationException.class,
                () -> Broker.start(config(Map.of(BrokerConfig.CLUSTER_ID, other))));
        MessageFacts.assertMentions(wrongCluster, other, stored, MetaProperties.FILE);

        var wrongNode = assertThrows(InvalidConfigurationException.class,
                () -> Broker.start(config(Map.of(BrokerConfig.NODE_ID, "2"))));
        MessageFacts.assertMentions(wrongNode, 2, 1, MetaProperties.FILE);

        try (Broker broker = Broker.start(config(Map.of()))) {
            assertEquals(stored, broker.clusterId(), "a refused start changed nothing, and left the directory free");
        }
    }

    @Test
    void a_cluster_id_kafka_would_not_accept_is_refused_as_a_setting() {
        for (String bad : new String[] {"toykafka", "AAAAAAAAAAAAAAAAAAAAA!", "AAAAAAAAAAAAAAAAAAAAAB"}) {
            var refused = assertThrows(InvalidConfigurationException.class,
                    () -> BrokerConfig.of(Map.of(BrokerConfig.CLUSTER_ID, bad)), bad);
            MessageFacts.assertMentions(refused, BrokerConfig.CLUSTER_ID, "22");
        }
        assertTrue(MetaProperties.isClusterId(Uuid.randomUuid().toString()));
        assertFalse(Files.exists(dataDir.resolve(MetaProperties.FILE)));
    }

    @Test
    void producer_ids_are_fresh_with_epoch_0_and_never_repeat_across_restarts() {
        Set<Long> seen = new HashSet<>();
        try (Broker broker = Broker.start(config(Map.of()))) {
            for (int i = 0; i < 2_500; i++) { // across block boundaries
                ProducerIdManager.ProducerIdAndEpoch id = broker.producerIds().initProducerId();
                assertEquals(0, id.epoch());
                assertTrue(id.producerId() >= 0);
                assertTrue(seen.add(id.producerId()), "id " + id.producerId() + " handed out twice");
            }
        }
        long highest = seen.stream().mapToLong(Long::longValue).max().orElseThrow();
        try (Broker broker = Broker.start(config(Map.of()))) {
            for (int i = 0; i < 10; i++) {
                long id = broker.producerIds().initProducerId().producerId();
                assertTrue(id > highest, "after a restart, " + id + " is above every id handed out before (" + highest + ")");
                assertTrue(seen.add(id));
            }
        }
    }

    @Test
    void the_next_block_is_on_disk_before_any_id_of_it_is_handed_out() throws Exception {
        try (Broker broker = Broker.start(config(Map.of()))) {
            long first = broker.producerIds().initProducerId().producerId();
            long nextBlock = Long.parseLong(read(dataDir.resolve(ProducerIdManager.FILE)).getProperty("next.block.start"));
            assertTrue(nextBlock > first, "a crash now restarts at " + nextBlock + ", past " + first);
        }
    }
}

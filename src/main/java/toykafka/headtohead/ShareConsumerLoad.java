package toykafka.headtohead;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import toykafka.harness.KafkaFutures;

/**
 * A share group reading a topic from its start: {@code members} of Kafka's {@code KafkaShareConsumer}, each accepting
 * every record it is handed, one by one (explicit acknowledgement, sent with the next poll). The group starts at the
 * earliest offset (its {@code share.auto.offset.reset}, set first). The clock runs from the first subscribe to the
 * last record in hand.
 */
final class ShareConsumerLoad {

    private static final Duration STALL = Duration.ofSeconds(60);

    private final String bootstrap;

    ShareConsumerLoad(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    HeadToHeadLoad.Figures read(String topic, String group, int members, long expected) {
        startFromEarliest(group);
        Map<String, Object> settings = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, group, "share.acknowledgement.mode", "explicit",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return GroupRead.read(members, expected, "a share group of " + members + " reading " + topic + " from "
                + bootstrap, read -> {
                    try (KafkaShareConsumer<byte[], byte[]> consumer = new KafkaShareConsumer<>(settings)) {
                        consumer.subscribe(List.of(topic));
                        read.poll(consumer::poll, record -> consumer.acknowledge(record, AcknowledgeType.ACCEPT),
                                "a member of share group " + group);
                    }
                });
    }

    private void startFromEarliest(String group) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            KafkaFutures.await(admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group),
                    List.of(new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"),
                            AlterConfigOp.OpType.SET)))).all(), STALL,
                    "set share.auto.offset.reset on group " + group + " at " + bootstrap);
        }
    }
}

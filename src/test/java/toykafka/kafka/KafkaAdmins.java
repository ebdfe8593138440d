package toykafka.kafka;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import toykafka.testing.RunningBroker;

/** Kafka's own Admin client on a broker's Kafka front end, as the admin tests use it. */
final class KafkaAdmins {

    private KafkaAdmins() {
    }

    /** An Admin whose calls wait longer than a busy machine keeps the broker from answering. */
    static Admin on(RunningBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000));
    }
}

package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterClientQuotasOptions;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;
import org.junit.jupiter.api.Test;
import toykafka.apachekafka.KafkaJars;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * DescribeClientQuotas and AlterClientQuotas as Kafka 4.4's kafka-configs and Admin use them. The kafka-configs
 * lines below are those a Kafka 4.4 node printed for the same commands, in the same order.
 */
class ClientQuotaApisTest {

    @StartedBroker(FrontEnd.KAFKA)
    RunningBroker broker;

    @Test
    void kafka_configs_sets_describes_and_deletes_quotas_as_against_kafka_4_4() {
        assertEquals(List.of("Completed updating config for user alice."), configs("--alter", "--add-config",
                "producer_byte_rate=1024", "--entity-type", "users", "--entity-name", "alice"));
        assertEquals(List.of("Completed updating config for client app."), configs("--alter", "--add-config",
                "producer_byte_rate=2048,consumer_byte_rate=4096", "--entity-type", "clients", "--entity-name", "app"));
        assertEquals(List.of("Completed updating default config for users in the cluster."), configs("--alter",
                "--add-config", "request_percentage=12.5", "--entity-type", "users", "--entity-default"));
        assertEquals(List.of("Completed updating config for user alice."), configs("--alter", "--add-config",
                "producer_byte_rate=512", "--entity-type", "users", "--entity-name", "alice", "--entity-type", "clients",
                "--entity-default"));
        assertRefused("producer_byte_rate cannot be a fractional value.", "--alter", "--add-config",
                "producer_byte_rate=10.5", "--entity-type", "clients", "--entity-name", "bad");
        assertRefused("Quota producer_byte_rate must be greater than 0", "--alter", "--add-config",
                "producer_byte_rate=0", "--entity-type", "clients", "--entity-name", "bad");

        assertEquals(List.of("Quota configs for the default user-principal are request_percentage=12.5",
                "Quota configs for user-principal 'alice' are producer_byte_rate=1024.0"),
                usersDescribed("--describe", "--entity-type", "users"));
        assertEquals(List.of("Quota configs for client-id 'app' are consumer_byte_rate=4096.0, producer_byte_rate=2048.0"),
                configs("--describe", "--entity-type", "clients"));
        assertEquals(List.of("Quota configs for user-principal 'alice' are producer_byte_rate=1024.0"),
                usersDescribed("--describe", "--entity-type", "users", "--entity-name", "alice"));
        assertEquals(List.of("Quota configs for the default user-principal are request_percentage=12.5"),
                usersDescribed("--describe", "--entity-type", "users", "--entity-default"));
        assertEquals(List.of("Quota configs for user-principal 'alice', the default client-id are producer_byte_rate=512.0"),
                usersDescribed("--describe", "--entity-type", "users", "--entity-name", "alice", "--entity-type", "clients"));
        assertEquals(List.of(), configs("--describe", "--entity-type", "clients", "--entity-name", "nobody"));

        assertEquals(List.of("Completed updating config for client app."), configs("--alter", "--delete-config",
                "producer_byte_rate", "--entity-type", "clients", "--entity-name", "app"));
        assertEquals(List.of("Quota configs for client-id 'app' are consumer_byte_rate=4096.0"),
                configs("--describe", "--entity-type", "clients"));
    }

    @Test
    void admin_alters_and_describes_quotas_and_they_outlive_a_restart() throws Exception {
        ClientQuotaEntity greedy = new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, "greedy"));
        Map<String, String> defaultUser = new java.util.HashMap<>();
        defaultUser.put(ClientQuotaEntity.USER, null);
        ClientQuotaEntity anyUser = new ClientQuotaEntity(defaultUser);
        try (Admin admin = KafkaAdmins.on(broker)) {
            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(greedy, List.of(
                    new ClientQuotaAlteration.Op("producer_byte_rate", 1024.0),
                    new ClientQuotaAlteration.Op("controller_mutation_rate", 0.5))),
                    new ClientQuotaAlteration(anyUser, List.of(new ClientQuotaAlteration.Op("consumer_byte_rate", 8192.0)))))
                    .all().get();
            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(greedy, List.of(
                    new ClientQuotaAlteration.Op("producer_byte_rate", 1.0)))),
                    new AlterClientQuotasOptions().validateOnly(true)).all().get();
            ExecutionException refused = assertThrows(ExecutionException.class, () -> admin.alterClientQuotas(List.of(
                    new ClientQuotaAlteration(greedy, List.of(new ClientQuotaAlteration.Op("nonsense", 1.0)))))
                    .all().get());
            assertInstanceOf(InvalidRequestException.class, refused.getCause());
            assertEquals("Invalid configuration key nonsense", refused.getCause().getMessage());
            ExecutionException unsupported = assertThrows(ExecutionException.class, () -> admin.describeClientQuotas(
                    ClientQuotaFilter.contains(List.of(ClientQuotaFilterComponent.ofEntityType("group")))).entities().get());
            assertInstanceOf(UnsupportedVersionException.class, unsupported.getCause());
        }
        broker.restart();
        try (Admin admin = KafkaAdmins.on(broker)) {
            assertEquals(Map.of(greedy, Map.of("producer_byte_rate", 1024.0, "controller_mutation_rate", 0.5)),
                    admin.describeClientQuotas(ClientQuotaFilter.containsOnly(List.of(
                            ClientQuotaFilterComponent.ofEntity(ClientQuotaEntity.CLIENT_ID, "greedy")))).entities().get());
            assertEquals(Map.of(anyUser, Map.of("consumer_byte_rate", 8192.0)), admin.describeClientQuotas(
                    ClientQuotaFilter.contains(List.of(ClientQuotaFilterComponent.ofDefaultEntity(ClientQuotaEntity.USER))))
                    .entities().get());
            assertEquals(2, admin.describeClientQuotas(ClientQuotaFilter.all()).entities().get().size());
        }
    }

    private void assertRefused(String message, String... args) {
        ChildProcess.Result run = ChildJvm.run(KafkaJars.inProject().classPath(), "org.apache.kafka.tools.ConfigCommand",
                withBootstrap(args), null);
        String said = run.output() + run.errors();
        assertTrue(said.contains("InvalidRequestException: " + message), run.describe());
    }

    /** What kafka-configs prints, its log lines left out. */
    private List<String> configs(String... args) {
        ChildProcess.Result run = ChildJvm.run(KafkaJars.inProject().classPath(), "org.apache.kafka.tools.ConfigCommand",
                withBootstrap(args), null).assertSucceeded();
        return run.lines().stream().filter(line -> !line.isBlank() && !line.startsWith("[") && !line.startsWith("\t"))
                .toList();
    }

    /**
     * What kafka-configs prints describing users: their quotas, then their SCRAM credentials, which it asks for
     * with DescribeUserScramCredentials; until this broker serves that, the tool fails after the quotas.
     */
    private List<String> usersDescribed(String... args) {
        ChildProcess.Result run = ChildJvm.run(KafkaJars.inProject().classPath(), "org.apache.kafka.tools.ConfigCommand",
                withBootstrap(args), null);
        assertTrue(run.exitCode() == 0 || run.errors().contains("DESCRIBE_USER_SCRAM_CREDENTIALS"), run.describe());
        return run.lines().stream().filter(line -> !line.isBlank() && !line.startsWith("[") && !line.startsWith("\t"))
                .toList();
    }

    private List<String> withBootstrap(String... args) {
        List<String> all = new ArrayList<>(List.of("--bootstrap-server", broker.bootstrapServers()));
        all.addAll(List.of(args));
        return all;
    }
}

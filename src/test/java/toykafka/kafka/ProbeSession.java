package toykafka.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What a differential probe shares: the broker it talks to (whose address a restart may change), the clients'
 * settings, and the lines it writes, one a step, for {@link AllowedDifferences} to compare.
 */
final class ProbeSession {

    /** A bound for any one wait on a busy two-core machine, not a figure anything is measured against. */
    static final Duration WAIT = Duration.ofSeconds(60);

    private String bootstrap;
    private final List<String> lines = new ArrayList<>();

    ProbeSession(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    String bootstrap() {
        return bootstrap;
    }

    /** Our broker comes back from a restart on a new port; later clients must go there. */
    void moveTo(String newBootstrap) {
        bootstrap = newBootstrap;
    }

    void write(String line) {
        lines.add(line);
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    /** Runs one step and writes its outcome: ok, or the class of the exception a client sees. */
    void step(String name, Callable<?> action) {
        try {
            action.call();
            lines.add(name + ": ok");
        } catch (ExecutionException e) {
            lines.add(name + ": " + e.getCause().getClass().getSimpleName());
        } catch (Exception e) {
            lines.add(name + ": " + e.getClass().getSimpleName());
        }
    }

    /**
     * Describes a group until it is as {@code wanted}, up to {@link #WAIT}; a group no member has joined yet is not an
     * error. Fails saying {@code what} it waited for and what it saw last.
     */
    static <G> G awaitGroup(String what, Callable<G> describe, Predicate<G> wanted) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        G group = null;
        while (System.nanoTime() < deadline) {
            try {
                group = describe.call();
                if (wanted.test(group)) {
                    return group;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                    throw e;
                } // no member has joined yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(what + ": not seen in " + WAIT.toSeconds() + " s; last " + group);
    }

    /**
     * What a group's describe answer says the caller may do with the group, by name in order: with no authorizer,
     * Kafka answers every operation a group supports (KIP-430).
     */
    static String operations(java.util.Set<org.apache.kafka.common.acl.AclOperation> operations) {
        return operations == null ? "not given" : new java.util.TreeSet<>(operations.stream().map(Enum::name).toList())
                .toString();
    }

    /** Creates a topic as a step of its own, with the cluster's replication factor. */
    void createTopic(String topic, int partitions, Map<String, String> configs) {
        try (Admin admin = admin()) {
            step("create " + topic, () -> admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions),
                    Optional.empty()).configs(configs))).all().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    Map<String, Object> producerSettings() {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 3_000_000, ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    }

    Map<String, Object> consumerSettings(String group, String reset) {
        Map<String, Object> settings = new HashMap<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, reset, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
        if (group != null) {
            settings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return settings;
    }
}

package toykafka.lesson19;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * How long a till waits for its answer, one order at a time, under {@code acks=1} and {@code acks=all}, on a topic
 * with one replica and on one with three: what replication costs a producer that waits for every write.
 */
public final class ProduceLatency {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    /** One measured case: its replicas, acks, and the median and 99th percentile of the wait. */
    public record Measured(int replicas, String acks, int orders, Duration p50, Duration p99) {
        @Override
        public String toString() {
            return String.format("%d replica%s, acks=%-3s  p50 %5.2f ms, p99 %5.2f ms (%d orders)", replicas,
                    replicas == 1 ? " " : "s", acks, p50.toNanos() / 1e6, p99.toNanos() / 1e6, orders);
        }
    }

    private ProduceLatency() {
    }

    /** Measures each of replicas 1 and 3 under acks 1 and all, {@code orders} sends each after a short warm-up. */
    public static List<Measured> measure(String bootstrap, int orders) throws InterruptedException,
            ExecutionException, TimeoutException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic("latency-1-replica", Optional.of(1), Optional.of((short) 1)),
                    new NewTopic("latency-3-replicas", Optional.of(1), Optional.of((short) 3)))).all()
                    .get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            ShopDrill.awaitPartition(admin, "latency-3-replicas", info -> info.isr().size() == 3, "three in sync");
            ShopDrill.awaitPartition(admin, "latency-1-replica", info -> info.leader() != null, "a leader");
        }
        return List.of(run(bootstrap, "latency-1-replica", 1, "1", orders),
                run(bootstrap, "latency-1-replica", 1, "all", orders),
                run(bootstrap, "latency-3-replicas", 3, "1", orders),
                run(bootstrap, "latency-3-replicas", 3, "all", orders));
    }

    private static Measured run(String bootstrap, String topic, int replicas, String acks, int orders)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, Object> settings = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, acks, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, acks.equals("all"),
                ProducerConfig.LINGER_MS_CONFIG, 0);
        try (KafkaProducer<String, String> till = new KafkaProducer<>(settings, new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < Math.max(50, orders / 5); i++) { // connections made, code warmed: not measured
                send(till, topic, "warm-up-" + i);
            }
            long[] waits = new long[orders];
            for (int i = 0; i < orders; i++) {
                long start = System.nanoTime();
                send(till, topic, "order-" + i);
                waits[i] = System.nanoTime() - start;
            }
            Arrays.sort(waits);
            return new Measured(replicas, acks, orders, Duration.ofNanos(waits[(orders - 1) / 2]),
                    Duration.ofNanos(waits[(int) Math.ceil(orders * 0.99) - 1]));
        }
    }

    private static void send(KafkaProducer<String, String> till, String topic, String order)
            throws InterruptedException, ExecutionException, TimeoutException {
        till.send(new ProducerRecord<>(topic, 0, order, order)).get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    }
}

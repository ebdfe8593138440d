package toykafka.headtohead;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

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
        AtomicLong records = new AtomicLong();
        AtomicLong valueBytes = new AtomicLong();
        AtomicReference<RuntimeException> failed = new AtomicReference<>();
        Map<String, Object> settings = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, group, "share.acknowledgement.mode", "explicit",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        long started = System.nanoTime();
        List<Thread> readers = new ArrayList<>();
        for (int m = 0; m < members; m++) {
            Thread reader = new Thread(() -> {
                try (KafkaShareConsumer<byte[], byte[]> consumer = new KafkaShareConsumer<>(settings)) {
                    consumer.subscribe(List.of(topic));
                    long deadline = System.nanoTime() + STALL.toNanos();
                    while (records.get() < expected && failed.get() == null) {
                        int polled = 0;
                        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                            consumer.acknowledge(record, AcknowledgeType.ACCEPT);
                            valueBytes.addAndGet(record.serializedValueSize());
                            polled++;
                        }
                        records.addAndGet(polled);
                        if (polled > 0) {
                            deadline = System.nanoTime() + STALL.toNanos();
                        } else if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("a member of share group " + group + " was handed nothing"
                                    + " for " + STALL.toSeconds() + " s, at " + records.get() + " of " + expected);
                        }
                    }
                } catch (RuntimeException e) {
                    failed.compareAndSet(null, e);
                }
            }, "share consumer " + m);
            reader.setDaemon(true);
            reader.start();
            readers.add(reader);
        }
        try {
            for (Thread reader : readers) {
                reader.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading " + topic + " as share group " + group, e);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (failed.get() != null) {
            throw new IllegalStateException("a share group of " + members + " reading " + topic + " from " + bootstrap
                    + " failed: " + failed.get().getMessage(), failed.get());
        }
        return new HeadToHeadLoad.Figures(records.get(), valueBytes.get(), seconds, Double.NaN, Double.NaN);
    }

    private void startFromEarliest(String group) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group),
                    List.of(new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"),
                            AlterConfigOp.OpType.SET)))).all().get(STALL.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot set share.auto.offset.reset on group " + group + " at " + bootstrap
                    + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted configuring " + group, e);
        }
    }
}

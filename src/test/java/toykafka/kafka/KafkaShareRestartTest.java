package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.kafka.ProxiedDrillBroker.PATIENCE;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ShareGroupDescription;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka 4.4's {@link KafkaShareConsumer} across a restart of the broker (killed, started again on its data directory,
 * behind a proxy the client outlives): the share group, its epoch and the consumer's membership are replayed from
 * {@code __consumer_offsets}, so the consumer's next heartbeat is taken at the epoch it had and it reads on, with no
 * rejoin and no error from its poll.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaShareRestartTest {

    private static final String TOPIC = "tickets";
    private static final String GROUP = "line";
    private static final int RECORDS = 100;

    @TempDir
    Path work;

    @Test
    void a_share_consumer_reads_on_after_a_restart_as_the_same_member_at_the_same_epoch() throws Exception {
        try (ProxiedDrillBroker broker = new ProxiedDrillBroker(work.resolve("data"), TOPIC, 2);
             Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrap()))) {
            String bootstrap = broker.bootstrap();
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, GROUP), List.of(
                    new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"),
                            AlterConfigOp.OpType.SET)))).all().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            produce(bootstrap);
            Set<String> accepted = new HashSet<>();
            try (KafkaShareConsumer<String, String> cook = consumer(bootstrap, "cook")) {
                cook.subscribe(List.of(TOPIC));
                readSome(cook, accepted, 10);
                try (KafkaShareConsumer<String, String> helper = consumer(bootstrap, "helper")) {
                    helper.subscribe(List.of(TOPIC));
                    await(admin, group -> group.members().size() == 2, () -> helper.poll(Duration.ofMillis(100)));
                } // the cook was assigned at epoch 3, the helper joined at 4 and left at 5, heard at the next beat
                ShareGroupDescription before = await(admin, group -> group.members().size() == 1
                        && group.members().iterator().next().memberEpoch() == 5, () -> readSome(cook, accepted, 0));

                broker.kill();
                broker.restart();
                while (accepted.size() < RECORDS) {
                    readSome(cook, accepted, 1); // a poll that failed would throw here
                }
                ShareGroupDescription after = describe(admin);
                assertEquals(5, after.groupEpoch(), "no new epoch, as a member that joined again would bring");
                assertEquals(List.of(before.members().iterator().next().consumerId() + " at epoch 5"),
                        after.members().stream().map(member -> member.consumerId() + " at epoch "
                                + member.memberEpoch()).toList(), "the same member at its epoch");
            }
        }
    }

    /** Polls until {@code atLeast} more records came, accepting each and committing; none is enough for one poll. */
    private static void readSome(KafkaShareConsumer<String, String> consumer, Set<String> accepted, int atLeast) {
        long stalled = System.nanoTime() + PATIENCE.toNanos();
        int before = accepted.size();
        do {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                consumer.acknowledge(record, AcknowledgeType.ACCEPT);
                accepted.add(record.value());
            }
            consumer.commitSync(PATIENCE);
            assertTrue(System.nanoTime() < stalled, "no record for " + PATIENCE + "; accepted " + accepted.size());
        } while (accepted.size() < Math.min(RECORDS, before + atLeast));
    }

    private static ShareGroupDescription await(Admin admin, Predicate<ShareGroupDescription> until, Runnable between)
            throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        ShareGroupDescription group = describe(admin);
        while (!until.test(group)) {
            assertTrue(System.nanoTime() < deadline, "the group never came to be as waited for: " + group);
            between.run();
            group = describe(admin);
        }
        return group;
    }

    private static ShareGroupDescription describe(Admin admin) throws Exception {
        return admin.describeShareGroups(List.of(GROUP)).all().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)
                .get(GROUP);
    }

    private static void produce(String bootstrap) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(TOPIC, i % 2, null, String.valueOf(i)));
                if (i % 10 == 9) {
                    producer.flush(); // small batches, so that the cook reads on after the restart
                }
            }
        }
    }

    /** Explicit acknowledgement, a few records a fetch, and quick retries while the broker restarts. */
    private static KafkaShareConsumer<String, String> consumer(String bootstrap, String clientId) {
        return new KafkaShareConsumer<>(Map.of("bootstrap.servers", bootstrap, "group.id", GROUP,
                "client.id", clientId, "share.acknowledgement.mode", "explicit", "max.poll.records", "10",
                "share.acquire.mode", "record_limit", "reconnect.backoff.max.ms", "100",
                "retry.backoff.max.ms", "100"), new StringDeserializer(), new StringDeserializer());
    }
}

package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.Partitions;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.share.SharePartitions;
import toykafka.broker.share.partition.AcknowledgeType;
import toykafka.broker.share.partition.AcknowledgementBatch;
import toykafka.broker.share.partition.ShareFetchLimits;
import toykafka.common.Errors;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.common.TopicConfig;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.RunningBroker;

/**
 * Kafka 4.4's share consumer on a share group with a dead-letter topic: the record it rejects and the one it releases
 * at the delivery count limit are written there with the headers Kafka writes, copied or not as the group says; a topic
 * not enabled as a dead-letter topic gets nothing; with {@code errors.deadletterqueue.auto.create.topics.enable} the
 * broker makes the topic, and a name without the broker's prefix is refused and said so. (DifferentialTest runs the
 * same probe against Kafka 4.4 and compares every line.)
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaShareDeadLetterTest {

    private static final String HEADERS_T1 = " CreateTime __dlq.errors.topic=tickets __dlq.errors.partition=0"
            + " __dlq.errors.offset=1 __dlq.errors.group=%s __dlq.errors.delivery.count=1"
            + " __dlq.errors.message=Offset rejected by client.";
    private static final String HEADERS_T3 = " CreateTime __dlq.errors.topic=tickets __dlq.errors.partition=0"
            + " __dlq.errors.offset=3 __dlq.errors.group=%s __dlq.errors.delivery.count=2"
            + " __dlq.errors.message=Offset delivery count exceeded the threshold.";

    @Test
    void rejected_and_exhausted_records_are_written_to_the_groups_dead_letter_topic(@TempDir Path dir)
            throws Exception {
        try (RunningBroker broker = RunningBroker.overKafka(dir, Map.of(), false)) {
            List<String> lines = DeadLetterProbe.run(broker.bootstrapServers());
            String all = String.join("\n", lines);

            assertTrue(lines.contains("a group config naming a topic that starts with __: InvalidConfigurationException"),
                    all);
            assertTrue(lines.contains("scullery deliveries {t0=1, t1=1, t2=1, t3=2, t4=1, t5=1}"), all);
            assertTrue(lines.contains("scullery letter offset 0 key=null value=null" + HEADERS_T1.formatted("scullery")),
                    all);
            assertTrue(lines.contains("scullery letter offset 1 key=null value=null" + HEADERS_T3.formatted("scullery")),
                    all);
            assertTrue(lines.contains("scullery letter dlq.kitchen end offset 2"), all);
            assertTrue(lines.contains("dead-copier letter offset 0 key=t1 value=ticket 1"
                    + HEADERS_T1.formatted("dead-copier")), "copy.record.enable copies the key and value: " + all);
            assertTrue(lines.contains("dead-copier letter offset 1 key=t3 value=ticket 3"
                    + HEADERS_T3.formatted("dead-copier")), all);
            assertTrue(lines.contains("dead-closed deliveries {t0=1, t1=1, t2=1, t3=2, t4=1, t5=1}"),
                    "set aside all the same, never delivered again: " + all);
            assertTrue(lines.contains("dead-closed letter dlq.closed end offset 0"), "not enabled: nothing written: " + all);
            assertTrue(broker.events().stream().anyMatch(event -> event.contains("without a dead letter")
                    && event.contains("dlq.closed") && event.contains(TopicConfig.DEAD_LETTER_GROUP_ENABLE)),
                    "the broker says why: " + broker.events());
        }
    }

    @Test
    void the_broker_makes_a_missing_dead_letter_topic_when_told_to_and_refuses_a_name_without_its_prefix(
            @TempDir Path dir) throws Exception {
        try (RunningBroker broker = RunningBroker.overKafka(dir, Map.of(BrokerConfig.DEAD_LETTER_AUTO_CREATE, "true"),
                false)) {
            broker.broker().createTopic("tickets", 1, Map.of(), OnDuplicate.FAIL);
            String made = DeadLetterProbe.readAndReject(broker.bootstrapServers(), "maker", "dlq.made", 1);

            assertEquals("dlq.made end offset 1", made, "made at the first letter, and the letter written");
            assertEquals(Map.of(TopicConfig.DEAD_LETTER_GROUP_ENABLE, "true", TopicConfig.MESSAGE_TIMESTAMP_TYPE,
                    TopicConfig.CREATE_TIME), broker.broker().describeTopic("dlq.made").overrides(),
                    "made as Kafka makes one");

            broker.broker().createTopic("bin", 1, Map.of(TopicConfig.DEAD_LETTER_GROUP_ENABLE, "true"),
                    OnDuplicate.FAIL);
            assertEquals("bin end offset 0", DeadLetterProbe.readAndReject(broker.bootstrapServers(), "binner", "bin",
                    0));
            long stall = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (broker.events().stream().noneMatch(event -> event.contains("'bin'")
                    && event.contains("must start with 'dlq.'")) && System.nanoTime() < stall) {
                Thread.sleep(20);
            }
            assertTrue(broker.events().stream().anyMatch(event -> event.contains("'bin'")
                    && event.contains("must start with 'dlq.'")), "the broker says why: " + broker.events());
            assertEquals("bin end offset 0", DeadLetterProbe.readAndReject(broker.bootstrapServers(), "binner", "bin",
                    0), "still nothing written");
        }
    }

    @Test
    void letters_not_written_when_the_broker_stopped_are_written_at_its_next_start(@TempDir Path dir)
            throws Exception {
        try (RunningBroker broker = RunningBroker.overKafka(dir, Map.of(), false)) {
            broker.broker().createTopic("tickets", 1, Map.of(), OnDuplicate.FAIL);
            broker.broker().createTopic("dlq.later", 1, Map.of(TopicConfig.DEAD_LETTER_GROUP_ENABLE, "true"),
                    OnDuplicate.FAIL);
            broker.broker().partitions().appendRecords("tickets", List.of(new Partitions.ProduceRecord(0,
                    Record.of("t0", "ticket 0", Instant.now()))));
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers()))) {
                admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, "later"), List.of(
                        new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET),
                        new AlterConfigOp(new ConfigEntry("errors.deadletterqueue.topic.name", "dlq.later"),
                                AlterConfigOp.OpType.SET)))).all().get();
            }
            SharePartitions shares = broker.broker().sharePartitions();
            shares.close(); // as a crash would: the letter is never written, its record is kept ARCHIVING
            TopicPartition tickets = new TopicPartition("tickets", 0);
            SharePartitions.Fetched fetched = shares.fetch("later", "member-1", List.of(tickets),
                    ShareFetchLimits.defaults(), 1 << 20, Duration.ZERO).get().get(tickets);
            assertEquals(1, fetched.acquired().size(), fetched.toString());
            assertEquals(Errors.NONE, shares.acknowledge("later", "member-1", Map.of(tickets,
                    List.of(AcknowledgementBatch.of(0, 0, AcknowledgeType.REJECT)))).get(tickets).error());
            assertEquals(0, shares.startOffset("later", tickets).startOffset(), "held ARCHIVING, its letter unwritten");

            broker.restart();
            long stall = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (endOffset(broker, "dlq.later") == 0 && System.nanoTime() < stall) {
                Thread.sleep(20);
            }
            assertEquals(1, endOffset(broker, "dlq.later"), "written at the next start");
            while (broker.broker().sharePartitions().startOffset("later", tickets).startOffset() == 0
                    && System.nanoTime() < stall) {
                Thread.sleep(20);
            }
            assertEquals(1, broker.broker().sharePartitions().startOffset("later", tickets).startOffset(),
                    "then archived, and the start offset moves on");
        }
    }

    private static long endOffset(RunningBroker broker, String topic) {
        return broker.broker().describeTopic(topic).partitions().get(0).endOffset();
    }
}

package toykafka.lesson13;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.apachekafka.FreePorts;
import toykafka.apachekafka.KafkaCluster;
import toykafka.apachekafka.KafkaJars;
import toykafka.narration.Narrator;

/**
 * Lesson 13's service, unchanged but for bootstrap.servers, on a three-node Apache Kafka cluster: the same
 * generations share the partitions the same way, and the books balance, seen only through Kafka's clients.
 */
class Lesson13DemoOnApacheKafkaTest {

    @TempDir
    Path folder;

    private KafkaCluster.Layout layout;

    @AfterEach
    void noNodeLeftBehind() {
        if (layout != null) {
            for (int id = 1; id <= layout.nodes(); id++) {
                KafkaCluster.kill(layout, id);
            }
        }
    }

    @Test
    void the_same_four_generations_and_the_same_books_on_a_three_node_apache_kafka_cluster() {
        int port = FreePorts.run(6);
        // Kafka's own default, which our node settings set to 0: the first generation waits 3 s for more cooks
        layout = new KafkaCluster.Layout(folder, 3, port, port + 1, 384,
                Map.of("group.initial.rebalance.delay.ms", "3000"));
        KafkaCluster.start(layout, KafkaJars.inProject());

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Lesson13Demo.narrateOn(new Narrator(new PrintStream(printed, true, StandardCharsets.UTF_8)),
                layout.bootstrapServers());
        String story = printed.toString(StandardCharsets.UTF_8);

        Lesson13Story.assertEveryGenerationAndTheBooks(story);
        assertFalse(story.contains("leader  ==>"), "Admin does not say which member leads: " + story);
        assertFalse(story.contains("ILLEGAL_GENERATION"), "no stale commit is forged on a cluster not ours: " + story);
        assertTrue(story.contains("Kafka's Admin does not expose the group's leader or the raw member metadata"),
                "the story says what it skips and why: " + story);
    }
}

package toykafka.lesson14;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import toykafka.apachekafka.FreePorts;
import toykafka.apachekafka.KafkaCluster;
import toykafka.apachekafka.KafkaJars;
import toykafka.lesson12.Lesson12Demo;
import toykafka.narration.Narrator;

/**
 * The course's own demos, unchanged but for {@code bootstrap.servers}, on a real three-node Apache Kafka
 * cluster: where the course's broker is outgrown, the programs are not. Each must tell what it tells on the
 * course's broker.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CourseDemosOnApacheKafkaTest {

    private KafkaCluster.Layout cluster;

    @BeforeAll
    void startThreeNodes(@TempDir Path folder) {
        int port = FreePorts.run(6);
        cluster = new KafkaCluster.Layout(folder, 3, port, port + 1, 384);
        KafkaCluster.start(cluster, KafkaJars.inProject());
    }

    @AfterAll
    void noNodeLeftBehind() {
        if (cluster != null) {
            for (int id = 1; id <= cluster.nodes(); id++) {
                KafkaCluster.kill(cluster, id);
            }
        }
    }

    @Test
    void lesson_12s_tills_and_kitchen_and_its_hand_built_retry_get_the_same_answers_from_apache_kafka() {
        String story = told(narrator -> Lesson12Demo.narrateOn(narrator, cluster.bootstrapServers()));
        assertTrue(story.contains("till-1 sends cod and chips  ==>  orders-1 offset 0"), story);
        assertTrue(story.contains("till-2: scampi and chips (orders-2@1)"), "the kitchen read every order: " + story);
        assertTrue(story.contains("sequence 0, first send  ==>  NONE, offset 2"), story);
        assertTrue(story.contains("sequence 0, sent again  ==>  NONE, offset 2"), "the retry gets the first offset: "
                + story);
        assertTrue(story.contains("orders-0 now ends at offset  ==>  3"), "written once: " + story);
        assertTrue(story.contains("sequence 2, with 1 never sent  ==>  OUT_OF_ORDER_SEQUENCE_NUMBER"), story);
    }

    private static String told(Consumer<Narrator> demo) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        demo.accept(new Narrator(new PrintStream(printed, true, StandardCharsets.UTF_8)));
        return printed.toString(StandardCharsets.UTF_8);
    }
}

package toykafka.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.lesson04.OnDuplicate;
import toykafka.storage.FileLogStorage;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/** A broker that stopped in the middle of a create starts without the topic, says so in its log, and may create it again. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HalfCreatedTopicTest {

    @StartedBroker
    RunningBroker running;

    @Test
    void a_start_removes_a_topic_whose_create_never_committed_says_so_and_the_name_is_free_again() throws Exception {
        running.broker().createTopic("orders", 3, Map.of(), OnDuplicate.FAIL);
        running.close();
        // as a kill -9 in the middle of a create leaves it: the file still marked, two of three partitions made
        Path dataDir = running.dataDir();
        Path file = dataDir.resolve("orders-0").resolve(FileLogStorage.TOPIC_FILE);
        Files.writeString(file, Files.readString(file) + "creating=true\n");
        Files.walk(dataDir.resolve("orders-2")).sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        running.restart();
        Broker restarted = running.broker();
        assertFalse(restarted.listTopics().contains("orders"), restarted.listTopics().toString());
        assertFalse(Files.exists(dataDir.resolve("orders-0")));
        List<String> log = running.events();
        assertTrue(log.stream().anyMatch(line -> line.contains("removed topic orders") && line.contains("2 of 3")),
                "the broker's log says what the start removed: " + log);
        restarted.createTopic("orders", 3, Map.of(), OnDuplicate.FAIL);
        assertEquals(3, restarted.describeTopic("orders").partitions().size());
    }
}

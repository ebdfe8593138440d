package toykafka.apachekafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a cluster is laid out before anything starts: ports, quorum voters, replication settings and overrides,
 * and the refusals of a layout out of range. Three running nodes are tested where the course runs them, in
 * lesson 19's drill ({@code Lesson19DemoTest}) and {@code CourseDemosOnApacheKafkaTest}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaClusterTest {

    @TempDir
    Path folder;

    @Test
    void a_layout_out_of_range_or_a_node_it_does_not_have_is_refused_with_the_valid_range() {
        IllegalArgumentException six = assertThrows(IllegalArgumentException.class,
                () -> new KafkaCluster.Layout(folder, 6, 9192, 9193, 512));
        assertTrue(six.getMessage().contains("from 1 to 5 nodes; asked for 6"), six.getMessage());
        IllegalArgumentException meeting = assertThrows(IllegalArgumentException.class,
                () -> new KafkaCluster.Layout(folder, 3, 9192, 9194, 512));
        assertTrue(meeting.getMessage().contains("never meet"), meeting.getMessage());
        KafkaCluster.Layout three = new KafkaCluster.Layout(folder, 3, 9192, 9193, 512);
        IllegalArgumentException fourth = assertThrows(IllegalArgumentException.class, () -> three.node(4));
        assertTrue(fourth.getMessage().contains("nodes 1 to 3; there is no node 4"), fourth.getMessage());
        assertEquals("127.0.0.1:9192,127.0.0.1:9194,127.0.0.1:9196", three.bootstrapServers());
        assertEquals("1@127.0.0.1:9193,2@127.0.0.1:9195,3@127.0.0.1:9197", three.node(2).quorumVoters());
        assertEquals("2", three.node(2).serverProperties().get("min.insync.replicas"));
        KafkaCluster.Layout quickCleaner = new KafkaCluster.Layout(folder, 3, 9192, 9193, 512,
                Map.of("log.cleaner.backoff.ms", "500", "min.insync.replicas", "1"));
        assertEquals("500", quickCleaner.node(3).serverProperties().get("log.cleaner.backoff.ms"));
        assertEquals("1", quickCleaner.node(3).serverProperties().get("min.insync.replicas"), "an override wins");
    }
}

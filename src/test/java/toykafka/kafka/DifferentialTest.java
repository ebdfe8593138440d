package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.apachekafka.FreePorts;
import toykafka.apachekafka.KafkaJars;
import toykafka.apachekafka.KafkaNode;
import toykafka.apachekafka.KafkaNodeSettings;

/**
 * The same scenario ({@link DifferentialProbe}) against our broker and against Apache Kafka 4.1 from Maven's
 * jars: the two must agree, line for line, on everything Kafka promises a client. No difference is allowed in
 * this scenario; what may differ by nature (times, ids, ports, the cluster id) is never written.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DifferentialTest {

    @TempDir
    Path ours;

    @TempDir
    Path kafka;

    @Test
    void our_broker_and_apache_kafka_answer_the_same_scenario_alike() throws Exception {
        List<String> fromOurs;
        try (RunningKafkaBroker broker = new RunningKafkaBroker(ours)) {
            fromOurs = DifferentialProbe.run(broker.bootstrapServers());
        }
        int port = FreePorts.run(2);
        KafkaNodeSettings node = new KafkaNodeSettings(kafka, port, port + 1, 512, Map.of());
        List<String> fromKafka;
        try {
            KafkaNode.start(node, KafkaJars.inProject());
            fromKafka = DifferentialProbe.run(node.bootstrapServers());
        } finally {
            KafkaNode.kill(kafka);
        }
        assertEquals(30, fromKafka.size(), "every step wrote its line: " + fromKafka);
        assertEquals(List.of("create fish: ok", "create it again: TopicExistsException"), fromKafka.subList(0, 2));
        assertEquals(String.join("\n", fromKafka), String.join("\n", fromOurs));
    }
}

package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The harness that runs kafka-clients against our broker, checked on its own, without a broker: each
 * version loads where it should, the probe's lines survive the trip, a failure comes back as an error line.
 */
class KafkaClientsPlumbingTest {

    @ParameterizedTest
    @EnumSource(KafkaClients.class)
    void each_way_of_running_the_clients_loads_the_version_it_names(KafkaClients clients) {
        ProbeLine version = clients.probe("version").get(0);
        assertTrue(version.get("clients").startsWith(clients.version), version.toString());
        assertTrue(new File(version.get("jar")).getName().startsWith("kafka-clients-" + clients.version), version.toString());
    }

    @Test
    void the_3_9_class_path_holds_kafka_clients_3_9_and_its_codecs_and_no_4_jar() {
        List<String> jars = Arrays.stream(ChildJvm.kafkaClients39ClassPath().split(File.pathSeparator))
                .map(entry -> new File(entry).getName()).toList();
        for (String needed : List.of("kafka-clients-3.9.", "zstd-jni-", "lz4-java-", "snappy-java-", "slf4j-api-")) {
            assertTrue(jars.stream().anyMatch(jar -> jar.startsWith(needed)), needed + " in " + jars);
        }
        assertFalse(jars.stream().anyMatch(jar -> jar.startsWith("kafka-clients-4.")), jars.toString());
        assertFalse(jars.stream().anyMatch(jar -> jar.startsWith("kafka_2.13")), jars.toString());
    }

    @ParameterizedTest
    @EnumSource(value = KafkaClients.class, names = {"V4_4_IN_PROCESS", "V3_9_CHILD_JVM"})
    void a_client_failure_comes_back_as_an_error_line_with_exit_code_1(KafkaClients clients) {
        // nothing listens on port 1; the probe gives up after its bound and says why
        ProbeLine error = clients.probeFailing("list-topics", "bootstrap=127.0.0.1:1",
                "config.default.api.timeout.ms=1500", "config.request.timeout.ms=1000");
        assertEquals("TimeoutException", error.get("type"), error.toString());
    }

    @Test
    void a_line_keeps_spaces_nulls_empties_and_any_letter() {
        ProbeLine line = ProbeLine.of("record", "key", null, "value", "a b=c&d ~ é", "empty", "");
        ProbeLine read = ProbeLine.parse(line.toString());
        assertEquals(line, read);
        assertEquals(Map.of("index", "7"), ClientsProbe.parseHeaders("index=7"));
    }

    @Test
    void headers_keep_null_values_and_their_order() {
        String text = ClientsProbe.headersText(List.of(
                new ProbeHeader("a&b", "x=y".getBytes(StandardCharsets.UTF_8)), new ProbeHeader("nothing", null)));
        Map<String, String> parsed = ClientsProbe.parseHeaders(text);
        assertEquals(List.of("a&b", "nothing"), List.copyOf(parsed.keySet()));
        assertEquals("x=y", parsed.get("a&b"));
        assertTrue(parsed.containsKey("nothing") && parsed.get("nothing") == null);
    }
}

package toykafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.testing.RunningBroker.TOPICS;

import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * Kafka 4.1's rule for names that start with {@code __}: a client takes any, except {@code __cluster_metadata},
 * Kafka's metadata log. The broker's own topics' names are taken from its start, by every route, a Katar
 * rename included, so no client topic can be one or its twin; the broker still makes its own topics (auto-create
 * is on here, as by default).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReservedTopicNamesTest {

    @StartedBroker(FrontEnd.HTTP)
    RunningBroker broker;

    @Test
    void no_create_path_makes_a_topic_of_the_brokers_own_names_or_kafkas_metadata_log() {
        List<RunningBroker.Response> taken = List.of(
                broker.post(TOPICS, "{\"topic_name\":\"__consumer_offsets\",\"on_duplicate\":\"rename\"}"),
                broker.post(TOPICS, "{\"topic_name\":\"__broker_stats\"}"),
                broker.post("/topic", "{\"topic\":\"__consumer_offsets\"}"),
                broker.post("/topic", "{\"topic\":\"__broker_stats\"}"));
        for (RunningBroker.Response refused : taken) {
            assertEquals(400, refused.status(), refused.text());
            assertEquals("TOPIC_ALREADY_EXISTS", refused.error(), refused.text());
            assertTrue(refused.json().get("message").asText().contains("broker's own"), "says why: " + refused.text());
        }
        List<RunningBroker.Response> prohibited = List.of(
                broker.post(TOPICS, "{\"topic_name\":\"__cluster_metadata\"}"),
                broker.post("/topic", "{\"topic\":\"__cluster_metadata\"}"),
                broker.post("/put/__cluster_metadata", "cod"),
                broker.get(TOPICS + "/__cluster_metadata/partitions?auto_create=true"));
        for (RunningBroker.Response refused : prohibited) {
            assertEquals(400, refused.status(), refused.text());
            assertEquals("INVALID_REQUEST", refused.error(), refused.text());
            assertTrue(refused.json().get("message").asText().contains("Creation of internal topic __cluster_metadata"
                    + " is prohibited"), "Kafka's words: " + refused.text());
        }
        assertEquals(List.of("__broker_stats", "__consumer_offsets"), broker.broker().listTopics(),
                "only the broker's own, which it made itself");
        broker.restart();
        assertEquals(List.of("__broker_stats", "__consumer_offsets"), broker.broker().listTopics(),
                "and it finds them again on restart");
    }

    @Test
    void any_other_name_that_starts_with_two_underscores_is_a_clients_as_in_kafka() {
        assertEquals(201, broker.post(TOPICS, "{\"topic_name\":\"__menus\"}").status());
        assertEquals(201, broker.post("/topic", "{\"topic\":\"__drinks\"}").status());
        assertEquals(200, broker.get(TOPICS + "/__specials/partitions?auto_create=true").status());
        assertEquals(List.of("__broker_stats", "__consumer_offsets", "__drinks", "__menus", "__specials"),
                broker.broker().listTopics());
    }
}

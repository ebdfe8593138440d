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
 * Names that start with {@code __} are the broker's own: no client creates one, by any route, and the
 * broker still makes its own topics (auto-create is on here, as by default).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReservedTopicNamesTest {

    @StartedBroker(FrontEnd.HTTP)
    RunningBroker broker;

    @Test
    void no_create_path_makes_a_topic_whose_name_starts_with_two_underscores() {
        List<RunningBroker.Response> refusals = List.of(
                broker.post(TOPICS, "{\"topic_name\":\"__consumer_offsets\",\"on_duplicate\":\"rename\"}"),
                broker.post(TOPICS, "{\"topic_name\":\"__menus\"}"),
                broker.post("/topic", "{\"topic\":\"__consumer_offsets\"}"),
                broker.post("/topic", "{\"topic\":\"__menus\"}"),
                broker.post("/put/__menus", "cod"),
                broker.get(TOPICS + "/__menus/partitions?auto_create=true"));
        for (RunningBroker.Response refused : refusals) {
            assertEquals(400, refused.status(), refused.text());
            assertEquals("INVALID_TOPIC_EXCEPTION", refused.error(), refused.text());
            assertTrue(refused.json().get("message").asText().contains("'__'"), "names the rule: " + refused.text());
        }
        // a v3 produce is answered 200, as REST Proxy's: the record's own report is the refusal
        RunningBroker.Response produced = broker.post(TOPICS + "/__menus/records", "{\"value\":\"cod\"}");
        assertEquals(200, produced.status(), produced.text());
        assertEquals(40002, produced.json().get("error_code").asInt(), produced.text());
        assertEquals("INVALID_TOPIC_EXCEPTION", produced.error(), produced.text());
        assertEquals(List.of("__broker_stats", "__consumer_offsets"), broker.broker().listTopics(),
                "only the broker's own, which it made itself");
        broker.restart();
        assertEquals(List.of("__broker_stats", "__consumer_offsets"), broker.broker().listTopics(),
                "and it finds them again on restart");
        assertEquals(201, broker.post("/topic", "{\"topic\":\"menus__0\"}").status(), "the prefix only is kept");
    }
}

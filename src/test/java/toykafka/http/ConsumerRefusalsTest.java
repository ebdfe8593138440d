package toykafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.testing.RunningBroker.TOPICS;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.common.Errors;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * What a REST client hears when a consumer instance refuses a call: the status the REST Proxy answers
 * with, Kafka's name for the error, and a message that names the problem and the valid choice. None of
 * them is a fault of the broker's.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConsumerRefusalsTest {

    private static final String COOK = "/consumers/kitchen/instances/cook";

    @StartedBroker(FrontEnd.HTTP)
    RunningBroker broker;

    @BeforeEach
    void start() {
        assertEquals(201, broker.post(TOPICS, "{\"topic_name\":\"orders\",\"partitions_count\":1}").status());
        assertEquals(201, broker.post(TOPICS, "{\"topic_name\":\"drinks\",\"partitions_count\":1}").status());
        assertEquals(200, broker.post("/consumers/kitchen", "{\"name\":\"cook\"}").status());
    }

    private void assertRefused(RunningBroker.Response reply, int status, String error, String... mentioned) {
        assertEquals(status, reply.status(), reply.text());
        assertEquals(error, reply.error(), reply.text());
        String message = reply.json().get("message").asText();
        for (String word : mentioned) {
            assertTrue(message.contains(word), "the message names '" + word + "': " + message);
        }
        assertFalse(reply.text().contains("\tat "), "no stack trace reaches a client");
        assertEquals("", broker.faults(), "a client's mistake is not a fault of the broker's");
    }

    @Test
    void a_name_the_group_already_has_is_a_conflict() {
        assertRefused(broker.post("/consumers/kitchen", "{\"name\":\"cook\"}"), 409, "UNRELEASED_INSTANCE_ID",
                "cook", "kitchen", "delete it first", "another name");
    }

    @Test
    void a_poll_before_subscribing_says_to_subscribe_first() {
        // Kafka's IllegalStateException, which REST Proxy answers with 409
        assertRefused(broker.get(COOK + "/records?timeout=0"), 409, "INVALID_REQUEST", "cook", "subscribe or assign first");
    }

    @Test
    void a_seek_in_a_partition_not_owned_names_the_partitions_it_owns() {
        assertEquals(204, broker.post(COOK + "/subscription", "{\"topics\":[\"orders\"]}").status());
        assertRefused(broker.post(COOK + "/positions", "{\"offsets\":[{\"topic\":\"drinks\",\"partition\":0,\"offset\":0}]}"),
                409, "INVALID_REQUEST", "drinks-0", "orders-0");
    }

    @Test
    void an_instance_deleted_is_unknown() {
        assertEquals(204, broker.send("DELETE", COOK, null).status());
        assertRefused(broker.get(COOK + "/assignments"), 404, "UNKNOWN_MEMBER_ID", "cook");
    }

    @Test
    void a_group_that_is_rebalancing_or_in_a_newer_generation_is_a_conflict_as_in_the_REST_Proxy() {
        assertEquals(409, HttpError.statusOf(Errors.REBALANCE_IN_PROGRESS));
        assertEquals(409, HttpError.statusOf(Errors.ILLEGAL_GENERATION));
        assertEquals(409, HttpError.statusOf(Errors.UNRELEASED_INSTANCE_ID));
        assertEquals(404, HttpError.statusOf(Errors.UNKNOWN_MEMBER_ID));
    }
}

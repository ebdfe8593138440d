package toykafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import toykafka.testing.RunningBroker;

/** What the answer to any refused request says, whichever route refused it: the error by name, and the problem. */
final class Refusals {

    private Refusals() {
    }

    /** The answer names {@code error} and has a message that mentions {@code mentioned}; {@code what} was sent. */
    static void assertRefusedByName(RunningBroker.Response reply, String what, String error, String mentioned) {
        assertEquals(error, reply.error(), what + ": " + reply.text());
        String message = reply.json().get("message").asText();
        assertTrue(message.contains(mentioned), what + ": the message names the problem: " + message);
    }
}

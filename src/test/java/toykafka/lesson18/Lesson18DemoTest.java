package toykafka.lesson18;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import toykafka.narration.Narrator;

/**
 * Runs lesson 18's narrated main: our broker with a SASL listener and Kafka's StandardAuthorizer, driven by
 * kafka-clients 4.4. Each refusal is the one the text tells, and the quota holds the greedy till while the steady
 * one keeps its pace; rates are compared with wide margins, never against a deadline.
 */
class Lesson18DemoTest {

    @Test
    void an_intruder_is_refused_the_accountant_may_read_but_not_write_and_the_greedy_till_is_throttled()
            throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Lesson18Demo.Told told = Lesson18Demo.tell(new Narrator(new PrintStream(printed, true, StandardCharsets.UTF_8)));
        String story = printed.toString(StandardCharsets.UTF_8);

        assertTrue(told.storedForTill().contains("4096 iterations"), told.storedForTill());
        assertTrue(told.frameBeforeAuthenticationClosed(), "a Produce before SaslHandshake closes the connection");
        assertTrue(told.wrongPassword().startsWith("SaslAuthenticationException: Authentication failed"),
                told.wrongPassword());
        assertEquals(List.of("cod and chips", "haddock", "mushy peas"), told.tillWrote());
        assertTrue(told.accountantWriting().startsWith("ClusterAuthorizationException")
                        && told.accountantWriting().contains("| TopicAuthorizationException: Not authorized to access"
                        + " topics: [orders]"), told.accountantWriting());
        assertEquals("GroupAuthorizationException: Not authorized to access group: books",
                told.accountantWithoutGroup());
        assertEquals(told.tillWrote(), told.accountantRead(), "READ on the group too, and the accountant reads");
        double quota = Lesson18Demo.QUOTA_BYTES_PER_SECOND;
        assertTrue(told.greedy().bytesPerSecond() < 2.5 * quota, "greedy-till kept " + told.greedy());
        assertTrue(told.greedy().throttleTimeMaxMs() > 0, "the broker told greedy-till to wait: " + told.greedy());
        assertEquals(0.0, told.steady().throttleTimeMaxMs(), "steady-till has no quota: " + told.steady());
        assertTrue(told.steady().bytesPerSecond() > 2 * told.greedy().bytesPerSecond(),
                "steady-till kept its pace: " + told.steady() + " against " + told.greedy());
        assertTrue(story.contains("Predict: "), story);
    }
}

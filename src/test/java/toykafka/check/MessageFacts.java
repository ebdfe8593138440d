package toykafka.check;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;

/**
 * Checks an error message for the facts it must carry (the value refused, the valid range, the name
 * of the setting), never for its wording: a learner writes the message in their own words.
 */
public final class MessageFacts {

    private MessageFacts() {
    }

    /**
     * Fails unless the error's message mentions every fact. A number must appear as a whole number,
     * so 4 is not found inside 14 or -4; anything else must appear as written.
     */
    public static void assertMentions(Throwable error, Object... facts) {
        String message = error.getMessage();
        assertNotNull(message, error.getClass().getSimpleName() + " should say why, but has no message");
        for (Object fact : facts) {
            String text = String.valueOf(fact);
            boolean found = fact instanceof Number
                    ? Pattern.compile("(?<![\\d-])" + Pattern.quote(text) + "(?![\\d])").matcher(message).find()
                            || (text.startsWith("-") && Pattern.compile("(?<!\\d)" + Pattern.quote(text) + "(?!\\d)")
                                    .matcher(message).find())
                    : message.contains(text);
            assertTrue(found, "the message should mention " + (fact instanceof Number ? text : "'" + text + "'")
                    + " (the words are yours; that fact must be in them), was: " + message);
        }
    }
}

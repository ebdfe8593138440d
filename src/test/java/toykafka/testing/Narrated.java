package toykafka.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import toykafka.narration.Narrator;

/** A narrated story (a lesson's demo, the course's tour) told to a test, which reads what it printed. */
public final class Narrated {

    private Narrated() {
    }

    /** What the story printed. */
    public static String story(Consumer<Narrator> teller) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        teller.accept(new Narrator(new PrintStream(printed, true, StandardCharsets.UTF_8)));
        return printed.toString(StandardCharsets.UTF_8);
    }

    /**
     * Tells the story twice, which must print the same both times for the reason given, and tell each of the lines;
     * returns what it printed, for the checks a test makes beyond those.
     */
    public static String theSameStoryTwice(Consumer<Narrator> teller, String why, String... lines) {
        String first = story(teller);
        assertEquals(first, story(teller), why);
        for (String line : lines) {
            assertTrue(first.contains(line), () -> "the story never tells \"" + line + "\": " + first);
        }
        return first;
    }
}

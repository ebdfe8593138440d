package toykafka.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

    /** Tells the story twice, which must print the same both times for the reason given; returns what it printed. */
    public static String theSameStoryTwice(Consumer<Narrator> teller, String why) {
        String first = story(teller);
        assertEquals(first, story(teller), why);
        return first;
    }
}

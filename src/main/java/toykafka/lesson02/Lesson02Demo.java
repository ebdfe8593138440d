package toykafka.lesson02;

import java.util.List;
import toykafka.narration.Narrator;
import toykafka.common.EventLog;
import toykafka.lesson01.ListLog;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.OffsetReset;

/** Lesson 2, narrated: two producers interleave, and consumers read the same log independently. */
public final class Lesson02Demo {

    public static void main(String[] args) {
        narrate(Narrator.toStandardOut());
    }

    public static void narrate(Narrator story) {
        story.title("Lesson 2: many producers, many consumers");
        EventLog<String> log = new ListLog<>();
        Producer<String> numbers = new Producer<>("P1", log);
        Producer<String> letters = new Producer<>("P2", log);

        story.say("P1 sends numbers and P2 sends letters, whenever each is ready.");
        // The interleaving from the seed's diagram: P2 gets a word in now and then.
        for (String event : List.of("0", "1", "2", "3", "4", "5", "a", "6", "7", "b", "8", "c")) {
            (Character.isDigit(event.charAt(0)) ? numbers : letters).send(event);
        }
        story.show("log", log);
        story.predict("the events are mixed. Is each producer's own order still intact?");
        story.show("P1's events, in log order", numbers.eventsInLog());
        story.show("P2's events, in log order", letters.eventsInLog());
        story.show("P2's offsets", letters.sentOffsets());

        story.say("Two consumers read the same log. C1 seeks to offset 5; C2 starts at the earliest."
                + " Each polls at most 4 events at a time (max.poll.records=4).");
        EventConsumer<String> c1 = new PollingConsumer<>(log, OffsetReset.EARLIEST, 4);
        c1.seek(5);
        EventConsumer<String> c2 = new PollingConsumer<>(log, OffsetReset.EARLIEST, 4);
        story.predict("what does C1's first poll return, and how far behind is C2 before it starts?");
        story.show("C1.poll()", c1.poll());
        story.show("C2.lag()", c2.lag());
        story.show("C2.poll()", c2.poll());
        story.show("C2.poll()", c2.poll());
        story.show("C1 position, C2 position", c1.position() + ", " + c2.position());

        story.say("A consumer that starts at latest reads only what is appended after it started.");
        EventConsumer<String> newcomer = new PollingConsumer<>(log, OffsetReset.LATEST, 4);
        story.show("newcomer.poll()", newcomer.poll());
        letters.send("d");
        story.show("after P2 sends \"d\": newcomer.poll()", newcomer.poll());

        story.say("If a position is not in the log any more, auto.offset.reset decides: jump, or fail.");
        EventConsumer<String> careful = new PollingConsumer<>(log, OffsetReset.NONE, 4);
        careful.seek(99);
        try {
            careful.poll();
        } catch (OffsetOutOfRangeException e) {
            story.showRefusal("poll() at 99 under auto.offset.reset=none", e);
        }
        EventConsumer<String> relaxed = new PollingConsumer<>(log, OffsetReset.EARLIEST, 4);
        relaxed.seek(99);
        story.show("poll() at 99 under auto.offset.reset=earliest", relaxed.poll());
    }

    private Lesson02Demo() {
    }
}

package toykafka.lesson01;

import java.util.List;
import toykafka.narration.Narrator;
import toykafka.common.EventLog;
import toykafka.common.OffsetOutOfRangeException;

/** Lesson 1, narrated: one producer appends, one consumer reads, and nothing is ever removed. */
public final class Lesson01Demo {

    public static void main(String[] args) {
        narrate(Narrator.toStandardOut());
    }

    public static void narrate(Narrator story) {
        story.title("Lesson 1: the log is a list");
        EventLog<String> log = new ListLog<>();

        story.say("A till (the producer) appends six orders. Each append answers with the order's offset.");
        for (String order : List.of("cod", "chips", "peas", "haddock", "plaice", "pie")) {
            story.show("append(\"" + order + "\")", log.append(order));
        }
        story.show("log", log);

        story.say("Any reader can ask for the earliest, the latest, or any offset in between.");
        story.show("earliest()", log.earliest());
        story.show("latest()", log.latest());
        story.show("read(3)", log.read(3));
        story.predict("read(-1) counts from the end. Which event is it, and at what offset?");
        story.show("read(-1)", log.read(-1));
        story.show("resolve(-1)", log.resolve(-1));

        story.say("A consumer that starts at -1 records the real offset, not -1.");
        SimpleConsumer<String> consumer = SimpleConsumer.startingAt(log, -1);
        story.show("consumer position", consumer.position());
        story.predict("the till appends \"curry sauce\". What does the consumer read next, and next again?");
        log.append("curry sauce");
        for (int i = 0; i < 3; i++) {
            story.show("consumer.next()", consumer.next().orElse("(nothing: caught up with the producer)"));
        }

        story.say("Reading removed nothing: a second consumer can start from the beginning.");
        SimpleConsumer<String> latecomer = SimpleConsumer.fromEarliest(log);
        story.show("latecomer.next()", latecomer.next().orElseThrow());
        story.show("log size", log.size());

        story.say("Asking for an offset the log does not hold is an error that names the valid range.");
        try {
            log.read(9);
        } catch (OffsetOutOfRangeException e) {
            story.showRefusal("read(9)", e);
        }
    }

    private Lesson01Demo() {
    }
}

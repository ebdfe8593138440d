package toykafka.course;

import toykafka.narration.Narrator;

/** Every lesson's demo in order: the course in a couple of minutes of reading. */
public final class Tour {

    private Tour() {
    }

    public static void run(Narrator story) {
        story.out().println("toykafka: Apache Kafka, built one concept at a time.");
        story.out().println("This tour runs each lesson's demo in order. Read the predictions and guess before the answer.");
        for (Lesson lesson : Course.lessons()) {
            Course.tourDemo(lesson).accept(story);
        }
        story.say("That is the tour. To learn a lesson properly, step through its notebook (./toykafka step 1),"
                + " read lessons/01-the-log.adoc, then write the class yourself (./toykafka check 1).");
    }
}

package toykafka.lesson15;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

/**
 * What lesson 15's demo tells on any cluster, our broker or Apache Kafka's: the plain cashier bills every meal
 * twice, the transactional one's killed transaction is invisible to read_committed until its successor aborts
 * it, every meal is then billed once, its commit moves the epoch on (transaction version 2), and a stalled
 * cashier is fenced by the partition's leader.
 */
public final class Lesson15Story {

    /** The lines the lesson's text quotes, in the order it quotes them. */
    static final List<String> QUOTED = List.of(
            "bills in bills-at-least-once  ==>  12 for 6 meals",
            "meals billed twice  ==>  [meal-1, meal-2, meal-3, meal-4, meal-5, meal-6]",
            "bills read_uncommitted  ==>  6",
            "bills read_committed  ==>  0",
            "transaction cashier  ==>  Ongoing, producer epoch 0, partitions [bills-0, bills-1, bills-2]",
            "bills-0 last stable offset / end  ==>  0 / 2",
            "bills-1 last stable offset / end  ==>  0 / 2",
            "bills-2 last stable offset / end  ==>  0 / 2",
            "transaction cashier  ==>  Empty, producer epoch 2",
            "transaction cashier  ==>  CompleteCommit, producer epoch 3",
            "bills read_committed  ==>  6 for 6 meals",
            "meals billed twice  ==>  []",
            "bills read_uncommitted  ==>  12",
            "cashier-2 commits after cashier-3 started  ==>  InvalidProducerEpochException");

    private Lesson15Story() {
    }

    /** Every quoted line is told, in that order. */
    public static void assertTheCashiers(String story) {
        int at = 0;
        for (String line : QUOTED) {
            int found = story.indexOf(line, at);
            assertTrue(found >= 0, "the story tells, after what came before: " + line + "\n" + story);
            at = found + line.length();
        }
        for (int partition = 0; partition < 3; partition++) {
            assertTrue(story.contains("cashiers' committed offset of meals-" + partition + "  ==>  2"),
                    "the group's offsets end where the meals do: " + story);
        }
    }
}

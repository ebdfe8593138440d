package toykafka.lesson15;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import toykafka.WritesGeneratedData;
import toykafka.testing.Narrated;

/**
 * Runs lesson 15's narrated main on our broker: the story any cluster tells, then what only our broker shows,
 * the markers in bills-0 and what the lesson's filter keeps of them. Every line the lesson's text quotes is checked
 * against the text too.
 */
@WritesGeneratedData
class Lesson15DemoTest {

    @Test
    void a_killed_cashier_bills_twice_at_least_once_and_once_in_a_transaction() throws Exception {
        String story = Narrated.story(Lesson15Demo::narrate);
        Lesson15Story.assertTheCashiers(story);

        assertTrue(story.matches("(?s).*offset 2  ==>  ABORT \\(coordinator epoch 0\\) marker, producer (\\d+) epoch 1\n"
                + ".*offset 5  ==>  COMMIT \\(coordinator epoch 0\\) marker, producer \\1 epoch 3\n.*"),
                "an ABORT marker under the fencing epoch, a COMMIT under the epoch after the new one: " + story);
        assertTrue(story.contains("the batches a read_committed consumer keeps (AbortedTransactionFilter)  ==>  [3]"),
                story);
        assertTrue(story.contains("a read_committed fetch returns the batches at  ==>  []"),
                "nothing while the transaction is open: " + story);

        String text = Files.readString(Path.of("lessons/15-exactly-once.adoc"));
        for (String line : Lesson15Story.QUOTED) {
            assertTrue(text.contains(line), "the lesson quotes the demo as it runs: " + line);
        }
    }
}

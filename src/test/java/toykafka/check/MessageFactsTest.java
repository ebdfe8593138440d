package toykafka.check;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static toykafka.check.MessageFacts.assertMentions;

import org.junit.jupiter.api.Test;

class MessageFactsTest {

    private final RuntimeException archive = new IllegalArgumentException("9 is past the end (4); use 0 to 4");

    @Test
    void any_wording_passes_that_carries_the_facts() {
        assertMentions(archive, 9, 0, 4);
        assertMentions(new IllegalArgumentException("offset -1? offsets start at 0"), -1, 0);
    }

    @Test
    void a_missing_fact_fails_and_a_number_is_not_found_inside_another() {
        assertThrows(AssertionError.class, () -> assertMentions(archive, 5));
        assertThrows(AssertionError.class, () -> assertMentions(new IllegalArgumentException("offset 14"), 4));
        assertThrows(AssertionError.class, () -> assertMentions(new IllegalArgumentException("offset -4"), 4));
        assertThrows(AssertionError.class, () -> assertMentions(new IllegalArgumentException("offset 4"), -4));
        assertThrows(AssertionError.class, () -> assertMentions(new IllegalArgumentException(), "anything"));
    }
}

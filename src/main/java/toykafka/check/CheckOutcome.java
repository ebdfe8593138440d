package toykafka.check;

/**
 * How one contract test went against a learner's class.
 *
 * @param name        the test's name as a sentence, e.g. "append returns the new event's offset, counting from 0"
 * @param passed      whether it passed
 * @param explanation why it failed, in the lesson's terms; empty when it passed
 */
public record CheckOutcome(String name, boolean passed, String explanation) {
}

package toykafka.broker.group.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.group.SmallStack;

/** What a subscribed expression may cost before it is compiled, and that everyday ones pass. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TopicRegexTest {

    @Test
    void everyday_expressions_pass() {
        for (String expression : List.of("orders-.*", "(orders|payments)-[0-9]+", "\\p{Greek}+", "a{2,5}",
                "[a-z]{1,10}-[]x]", "x{1000}", "(ab){1000}", "\\Q{1000}\\E", "menu{", "[[:alpha:]]+")) {
            assertEquals(Optional.empty(), TopicRegex.refusal(expression), expression);
        }
    }

    @Test
    void nested_counted_repetitions_are_refused_before_anything_is_compiled() {
        for (String expression : List.of("(a{1000}){1000}", "((a{1000}){1000}){1000}", "(a{500}|b{600}){200}",
                "(((a{100}){100}){100})")) {
            String refusal = TopicRegex.refusal(expression).orElseThrow(() -> new AssertionError(expression));
            assertTrue(refusal.startsWith("SubscribedTopicRegex `" + expression + "` is not a valid regular expression")
                    && refusal.contains("100000 instructions"), refusal);
        }
    }

    @Test
    void groups_nested_deeper_than_re2s_limit_are_refused_naming_it() {
        String deep = "(".repeat(5_000) + "a" + ")".repeat(5_000); // 10 KB that once overflowed the stack
        String refusal = TopicRegex.refusal(deep).orElseThrow();
        assertTrue(refusal.contains("nested deeper than 1000"), refusal);
        assertTrue(refusal.contains("(10001 characters)"), "a long expression is cut short in the answer: " + refusal);
    }

    @Test
    void an_expression_too_deep_for_re2js_matcher_matches_nothing_where_a_fine_one_matches() throws Exception {
        String deep = "(" + "a?".repeat(5_000) + ")" + "a".repeat(5_000); // 15 KB, a small program
        assertEquals(Optional.empty(), TopicRegex.refusal(deep), "it compiles, as Kafka's check finds");
        List<String> names = List.of("orders", "a".repeat(200));
        List<List<String>> matched = new ArrayList<>();
        SmallStack.run(() -> { // a stack the matcher's recursion outgrows
            matched.add(TopicRegex.matching(deep, names));
            matched.add(TopicRegex.matching("ord.*", names));
        });
        assertEquals(List.of(List.of(), List.of("orders")), matched);
    }

    @Test
    void a_syntax_error_is_re2js_own_message() {
        assertTrue(TopicRegex.refusal("menu-(").orElseThrow().contains("missing closing )"));
    }
}

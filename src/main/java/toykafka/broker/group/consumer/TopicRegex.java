package toykafka.broker.group.consumer;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * A member's {@code SubscribedTopicRegex}, weighed before it is compiled. RE2/J matches in linear time, but the
 * program it compiles grows with nested counted repetitions: 15 characters, {@code (a{1000}){1000}}, compile to about
 * a million instructions and tens of megabytes, and Kafka 4.1 takes any of them. This broker estimates the program's
 * size from the expression's text and refuses one over {@value #MAX_PROGRAM_SIZE} instructions, or nested deeper than
 * {@value #MAX_NESTING} groups (RE2's own nesting limit), with Kafka's INVALID_REGULAR_EXPRESSION, before any memory
 * is spent on it. What is taken is compiled only to resolve it ({@link SubscribedTopics}), never kept per member.
 *
 * <p>RE2/J's matcher follows a chain of optional parts by recursion, one frame each: {@code (a?a?…a?)aa…a}, 15 KB of
 * it, compiles to a small program but overflows a thread's stack when matched. Kafka resolves expressions on its
 * coordinator's executor, where that failure only leaves the expression unresolved; here such an expression matches
 * nothing, and the heartbeat that resolves it is answered all the same.
 */
final class TopicRegex {

    static final int MAX_PROGRAM_SIZE = 100_000;
    static final int MAX_NESTING = 1_000;

    private TopicRegex() {
    }

    /** Why the expression is refused, in Kafka's words where Kafka has them; empty if it may be compiled. */
    static Optional<String> refusal(String expression) {
        String tooCostly = weigh(expression);
        if (tooCostly != null) {
            return Optional.of("SubscribedTopicRegex `" + abbreviated(expression) + "` is not a valid regular"
                    + " expression: " + tooCostly + ".");
        }
        try {
            Pattern.compile(expression);
            return Optional.empty();
        } catch (PatternSyntaxException e) {
            return Optional.of("SubscribedTopicRegex `" + abbreviated(expression) + "` is not a valid regular"
                    + " expression: " + e.getMessage() + ".");
        } catch (StackOverflowError tooDeep) {
            return Optional.of("SubscribedTopicRegex `" + abbreviated(expression) + "` is not a valid regular"
                    + " expression: RE2/J ran out of stack compiling it; this broker takes only those it can compile.");
        }
    }

    /**
     * The names an expression {@link #refusal} took matches whole (RE2/J's {@code matches}), or none if RE2/J runs out
     * of stack evaluating it: the thread that asked goes on.
     */
    static List<String> matching(String expression, List<String> names) {
        try {
            Pattern pattern = Pattern.compile(expression);
            return names.stream().filter(pattern::matches).toList();
        } catch (StackOverflowError tooDeep) {
            return List.of();
        }
    }

    /**
     * An upper estimate of the compiled program, from the text alone and without recursion: each literal, class or
     * escape counts 1, a group counts its contents, alternatives add up, and {@code {n,m}} multiplies what it repeats
     * by its largest count. Returns why it is too costly, or null.
     */
    static String weigh(String expression) {
        Deque<long[]> groups = new ArrayDeque<>(); // each: {alternatives so far, current sequence, last atom}
        long[] top = new long[3];
        int i = 0;
        int n = expression.length();
        while (i < n) {
            char c = expression.charAt(i);
            long atom = -1; // set when c starts a new atom
            switch (c) {
                case '\\' -> {
                    i = afterEscape(expression, i);
                    atom = 1;
                }
                case '[' -> {
                    i = afterClass(expression, i);
                    atom = 1;
                }
                case '(' -> {
                    if (groups.size() >= MAX_NESTING) {
                        return "groups nested deeper than " + MAX_NESTING;
                    }
                    groups.push(top);
                    top = new long[3];
                    i++;
                }
                case ')' -> {
                    long size = top[0] + top[1];
                    top = groups.isEmpty() ? new long[3] : groups.pop(); // an unmatched ')' is RE2/J's to refuse
                    i++;
                    atom = size;
                }
                case '|' -> {
                    top[0] = saturated(top[0] + top[1]);
                    top[1] = 0;
                    top[2] = 0;
                    i++;
                }
                case '*', '+', '?' -> {
                    top[1] = saturated(top[1] + 1);
                    i++;
                }
                case '{' -> {
                    int[] repeat = repeatAt(expression, i);
                    if (repeat == null) {
                        i++;
                        atom = 1; // a brace that is no repeat is a literal
                    } else {
                        long repeated = saturated(top[2] * Math.max(1, repeat[0]));
                        top[1] = saturated(top[1] - top[2] + repeated);
                        top[2] = repeated;
                        i = repeat[1];
                    }
                }
                default -> {
                    i++;
                    atom = 1;
                }
            }
            if (atom >= 0) {
                top[1] = saturated(top[1] + atom);
                top[2] = atom;
            }
            if (top[0] + top[1] > MAX_PROGRAM_SIZE) {
                return "it would compile to more than " + MAX_PROGRAM_SIZE + " instructions (counted repetitions"
                        + " multiply what they repeat); this broker takes at most " + MAX_PROGRAM_SIZE;
            }
        }
        return null;
    }

    /** Where an escape ends: {@code \p{Greek}}, {@code \x{41}} and {@code \Q...\E} as one atom each. */
    private static int afterEscape(String text, int at) {
        if (at + 1 >= text.length()) {
            return text.length();
        }
        char kind = text.charAt(at + 1);
        if ((kind == 'p' || kind == 'P' || kind == 'x') && at + 2 < text.length() && text.charAt(at + 2) == '{') {
            int close = text.indexOf('}', at + 3);
            return close < 0 ? text.length() : close + 1;
        }
        if (kind == 'Q') {
            int end = text.indexOf("\\E", at + 2);
            return end < 0 ? text.length() : end + 2;
        }
        return at + 2;
    }

    /** Where a character class ends: a ']' first in it is a literal, as are escaped ones and those in [:name:]. */
    private static int afterClass(String text, int at) {
        int i = at + 1;
        if (i < text.length() && text.charAt(i) == '^') {
            i++;
        }
        if (i < text.length() && text.charAt(i) == ']') {
            i++;
        }
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == '[' && text.startsWith("[:", i)) {
                int close = text.indexOf(":]", i + 2);
                i = close < 0 ? i + 1 : close + 2;
            } else if (c == ']') {
                return i + 1;
            } else {
                i++;
            }
        }
        return text.length();
    }

    /** {@code {n}}, {@code {n,}} or {@code {n,m}} at {@code at}: {the largest count that matters, end}, or null. */
    private static int[] repeatAt(String text, int at) {
        int close = text.indexOf('}', at);
        if (close < 0) {
            return null;
        }
        String inside = text.substring(at + 1, close);
        if (!inside.matches("\\d{1,9}(,\\d{0,9})?")) {
            return null;
        }
        String[] counts = inside.split(",", -1);
        int min = Integer.parseInt(counts[0]);
        int max = counts.length == 1 ? min : counts[1].isEmpty() ? min + 1 : Integer.parseInt(counts[1]);
        return new int[] {Math.max(min, max), close + 1};
    }

    private static long saturated(long value) {
        return value < 0 || value > Integer.MAX_VALUE ? Integer.MAX_VALUE : value;
    }

    private static String abbreviated(String expression) {
        return expression.length() <= 200 ? expression
                : expression.substring(0, 200) + "… (" + expression.length() + " characters)";
    }
}

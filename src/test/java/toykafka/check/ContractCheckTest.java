package toykafka.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import toykafka.course.Course;

class ContractCheckTest {

    /** An exception as a starter method in the learner's package throws it. */
    private static UnsupportedOperationException stub(String message) {
        UnsupportedOperationException stub = new UnsupportedOperationException(message);
        stub.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("toykafka.exercises.lesson01.MyListLog", "append", "MyListLog.java", 14)});
        return stub;
    }

    @Test
    void an_unmodifiable_collection_in_the_learners_code_is_not_mistaken_for_a_stub() {
        UnsupportedOperationException fromLibrary = new UnsupportedOperationException();
        fromLibrary.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("java.util.ImmutableCollections", "uoe", "ImmutableCollections.java", 142),
            new StackTraceElement("toykafka.exercises.lesson01.MyListLog", "append", "MyListLog.java", 17)});
        assertEquals("threw UnsupportedOperationException: null (at MyListLog.java:17); is something you change an"
                + " unmodifiable collection, such as one from List.of() or toList()?", ContractCheck.explain(fromLibrary));
    }

    @Test
    void explains_a_stub_an_assertion_and_a_crash_in_the_learners_terms() {
        assertEquals("not written yet: write append()", ContractCheck.explain(stub("write append()")));
        assertEquals("latest() should be 2 ==> expected: <2> but was: <5>",
                ContractCheck.explain(new AssertionError("latest() should be 2 ==> expected: <2> but was: <5>")));
        assertEquals("not written yet: write latest()", ContractCheck.explain(
                new AssertionError("expected OffsetOutOfRangeException", stub("write latest()"))));
        assertEquals("threw ArithmeticException: / by zero", ContractCheck.explain(new ArithmeticException("/ by zero")));
    }

    @Test
    void an_unknown_check_class_is_refused_with_what_to_do() {
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> ContractCheck.run("toykafka.exercises.NoSuchCheck"));
        assertTrue(error.getMessage().startsWith("the checks toykafka.exercises.NoSuchCheck are not compiled"),
                error.getMessage());
    }

    @Test
    void the_printed_report_names_each_check_and_the_next_step() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        var lesson = Course.require(1);
        CheckReport report = new CheckReport("x", java.util.List.of(
                new CheckOutcome("append returns the offset", true, ""),
                new CheckOutcome("read returns the event", false, "read(0) should return event 0")));
        new CheckPrinter(new PrintStream(printed, true, StandardCharsets.UTF_8)).print(lesson, report);
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("  pass  append returns the offset"), text);
        assertTrue(text.contains("  FAIL  read returns the event\n          read(0) should return event 0"), text);
        assertTrue(text.contains("1 of 2 checks pass."), text);
        assertTrue(text.contains("./toykafka hint 1"), text);

        printed.reset();
        CheckReport allGood = new CheckReport("x", java.util.List.of(new CheckOutcome("a", true, "")));
        new CheckPrinter(new PrintStream(printed, true, StandardCharsets.UTF_8)).print(lesson, allGood);
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("keeps every promise of lesson 1"));
    }
}

package toykafka.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import toykafka.course.Course;
import toykafka.course.Lesson;

/**
 * Every exercise has teeth: the untouched starter fails every check of its lesson, with a message that
 * points into the lesson, and the reference code passes the very same contracts through the same runner.
 */
class ExercisesHaveTeethTest {

    @TestFactory
    Stream<DynamicTest> untouched_starters_fail_every_check() {
        return Course.lessons().stream().map(lesson -> DynamicTest.dynamicTest("lesson " + lesson.number(), () -> {
            PristineStarters.assumePristine(lesson);
            CheckReport report = ContractCheck.run(lesson.checkClass());
            assertFalse(report.outcomes().isEmpty(), "the check class " + lesson.checkClass() + " ran no test");
            for (CheckOutcome outcome : report.outcomes()) {
                assertFalse(outcome.passed(), "the untouched starter passes '" + outcome.name()
                        + "': that check cannot tell a finished exercise from an empty one");
                assertTrue(outcome.explanation().startsWith("not written yet: ")
                                && outcome.explanation().contains("lessons/" + lesson.paddedNumber() + "-"),
                        "'" + outcome.name() + "' should fail on a stub pointing into the lesson, was: "
                                + outcome.explanation());
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> reference_code_passes_the_same_contracts() {
        return Course.lessons().stream().flatMap(lesson -> lesson.referenceTests().stream().map(reference ->
                DynamicTest.dynamicTest("lesson " + lesson.number() + ": " + reference, () -> {
                    CheckReport report = ContractCheck.run(reference);
                    assertFalse(report.outcomes().isEmpty(), reference + " ran no test");
                    List<CheckOutcome> failures = report.outcomes().stream().filter(o -> !o.passed()).toList();
                    assertEquals(List.of(), failures);
                    assertTrue(report.outcomes().size() >= ContractCheck.run(lesson.checkClass()).outcomes().size(),
                            "the reference runs at least every check the learner's class runs");
                })));
    }
}

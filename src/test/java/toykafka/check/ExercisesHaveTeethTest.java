package toykafka.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import toykafka.course.Course;
import toykafka.course.Lesson;

/**
 * Every exercise has teeth: the untouched starter fails every check of its lesson, with a message that
 * points into the lesson, and the reference code passes the very same contracts through the same runner.
 */
class ExercisesHaveTeethTest {

    @TempDir
    Path classes;

    /** The starter as it is in src/exercises, compiled with its check the way `./toykafka check` does it. */
    private CheckReport checkStarter(Lesson lesson) {
        return ContractCheck.checkExercise(lesson, Path.of("src/exercises/java"), Path.of("src/test/java"),
                classes.resolve("lesson" + lesson.paddedNumber() + "-" + System.nanoTime()));
    }

    @TestFactory
    Stream<DynamicTest> untouched_starters_fail_every_check() {
        return Course.lessons().stream().map(lesson -> DynamicTest.dynamicTest("lesson " + lesson.number(), () -> {
            PristineStarters.assumePristine(lesson);
            CheckReport report = checkStarter(lesson);
            assertEquals(List.of(), report.compilerErrors(), "the untouched starter must compile");
            assertFalse(report.outcomes().isEmpty(), "the check class " + lesson.checkClass() + " ran no test");
            for (CheckOutcome outcome : report.outcomes()) {
                assertFalse(outcome.passed(), "the untouched starter passes '" + outcome.name()
                        + "': that check cannot tell a finished exercise from an empty one");
                assertTrue(outcome.explanation().startsWith("not written yet: ")
                                && outcome.explanation().contains("./toykafka read " + lesson.number() + " "),
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
                    assertTrue(report.outcomes().size() >= checkStarter(lesson).outcomes().size(),
                            "the reference runs at least every check the learner's class runs");
                })));
    }
}

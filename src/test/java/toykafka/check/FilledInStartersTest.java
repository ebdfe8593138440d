package toykafka.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import toykafka.course.Course;

/**
 * The other half of "exercises have teeth": a learner who fills in the starter correctly passes
 * every check. A finished version of each starter (src/test/resources/filled-in), written from the
 * lesson's text and hints only, is compiled with the lesson's check exactly as `./toykafka check` does.
 */
class FilledInStartersTest {

    private static final Path FILLED_IN = Path.of("src/test/resources/filled-in");

    @TempDir
    Path classes;

    @TestFactory
    Stream<DynamicTest> a_correctly_filled_in_starter_passes_every_check() {
        return Course.lessons().stream().map(lesson -> DynamicTest.dynamicTest("lesson " + lesson.number(), () -> {
            Path source = FILLED_IN.resolve(lesson.exerciseClass().replace('.', '/') + ".java");
            assertTrue(Files.isRegularFile(source), "lesson " + lesson.number() + " needs a filled-in starter at " + source);
            CheckReport report = ContractCheck.checkExercise(lesson, FILLED_IN, Path.of("src/test/java"),
                    classes.resolve("lesson" + lesson.number()));
            assertEquals(List.of(), report.compilerErrors(), "the filled-in starter does not compile");
            assertTrue(report.outcomes().size() > 0, "the check ran no test");
            assertEquals(List.of(), report.outcomes().stream().filter(outcome -> !outcome.passed()).toList(),
                    "a correct " + lesson.exerciseClass() + " should pass every check");
        }));
    }
}

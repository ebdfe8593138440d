package toykafka.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.course.Course;
import toykafka.course.Lesson;

class ExerciseCompilerTest {

    @TempDir
    Path work;

    private final Lesson lesson1 = Course.require(1);

    /** Lesson 1's starter with one line broken the way a learner might break it. */
    private Path brokenStarterRoot() throws IOException {
        Path starter = Path.of("src/exercises/java/toykafka/exercises/lesson01/MyListLog.java");
        Path copy = work.resolve("src/toykafka/exercises/lesson01/MyListLog.java");
        Files.createDirectories(copy.getParent());
        String source = Files.readString(starter);
        Files.writeString(copy, source.replaceFirst("public long append\\(E event\\) \\{",
                "public long append(E event) {\n        return events.size() - 1;"));
        return work.resolve("src");
    }

    @Test
    void a_class_that_does_not_compile_reports_the_compilers_message_and_line_and_runs_no_check() throws IOException {
        CheckReport report = ContractCheck.checkExercise(lesson1, brokenStarterRoot(), Path.of("src/test/java"),
                work.resolve("classes"));
        assertFalse(report.compiled());
        assertFalse(report.allPassed());
        assertEquals(0, report.outcomes().size());
        String first = report.compilerErrors().get(0);
        java.util.List<String> lines = Files.readAllLines(work.resolve("src/toykafka/exercises/lesson01/MyListLog.java"));
        int broken = lines.indexOf("        return events.size() - 1;") + 1;
        assertTrue(first.startsWith("MyListLog.java, line " + broken + ": cannot find symbol"), first);
        assertTrue(first.contains("return events.size() - 1;"), "shows the line itself: " + first);

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        new CheckPrinter(new PrintStream(printed, true, StandardCharsets.UTF_8)).print(lesson1, report);
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("your MyListLog does not compile yet, so no check ran"), text);
        assertTrue(text.contains("symbol:   variable events"), text);
    }

    @Test
    void each_check_compiles_the_source_as_it_is_now() throws IOException {
        Path root = brokenStarterRoot();
        Path classes = work.resolve("classes");
        assertFalse(ContractCheck.checkExercise(lesson1, root, Path.of("src/test/java"), classes).compiled());
        Files.copy(Path.of("src/exercises/java/toykafka/exercises/lesson01/MyListLog.java"),
                root.resolve("toykafka/exercises/lesson01/MyListLog.java"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        CheckReport report = ContractCheck.checkExercise(lesson1, root, Path.of("src/test/java"), classes);
        assertTrue(report.compiled(), String.join("\n", report.compilerErrors()));
        assertTrue(report.outcomes().size() > 0);
    }
}

package toykafka.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import toykafka.WritesGeneratedData;
import toykafka.course.Course;
import toykafka.course.Lesson;

/** Every notebook in jshell/ plays clean: no rejected snippet, no surprise exception, every value as written. */
@WritesGeneratedData
class NotebooksTest {

    private static final Path NOTEBOOKS = Path.of("jshell");

    static List<Path> notebookFiles() throws IOException {
        try (Stream<Path> files = Files.list(NOTEBOOKS)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".jsh")).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> every_notebook_plays_clean() throws IOException {
        return notebookFiles().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            List<NotebookProblem> problems;
            try (PrintStream snippetOutput = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
                problems = NotebookRunner.withOwnClassPath(snippetOutput)
                        .play(Notebook.read(file), new NotebookListener() { });
            }
            assertTrue(problems.isEmpty(), () -> problems.size() + " problem(s) in " + file + ":\n"
                    + problems.stream().map(NotebookProblem::toString).collect(Collectors.joining("\n")));
        }));
    }

    @Test
    void every_lesson_has_a_notebook_and_every_notebook_a_lesson() throws IOException {
        List<String> expected = Course.lessons().stream().map(Lesson::notebookFile).sorted().toList();
        List<String> present = notebookFiles().stream().map(file -> "jshell/" + file.getFileName()).toList();
        assertEquals(expected, present);
    }
}

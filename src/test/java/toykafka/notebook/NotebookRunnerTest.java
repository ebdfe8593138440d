package toykafka.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.WritesGeneratedData;

/** The notebook checker must catch every way a notebook can go wrong, naming the file and line. */
@WritesGeneratedData
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class NotebookRunnerTest {

    private static final Path FILE = Path.of("jshell/99-example.jsh");

    private final List<String> heard = new ArrayList<>();

    private List<NotebookProblem> play(String... lines) {
        NotebookListener recorder = new NotebookListener() {
            @Override
            public void narration(String text) {
                heard.add("prose: " + text);
            }

            @Override
            public void snippet(int line, String source) {
                heard.add("snippet " + line + ": " + source);
            }

            @Override
            public void value(String value) {
                heard.add("value: " + value);
            }

            @Override
            public void exception(String description) {
                heard.add("exception: " + description);
            }
        };
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        return NotebookRunner.withOwnClassPath(discard).play(Notebook.parse(FILE, List.of(lines)), recorder);
    }

    @Test
    void a_clean_notebook_has_no_problems_and_shows_prose_snippets_and_values() {
        List<NotebookProblem> problems = play(
                "// a list",
                "var names = new java.util.ArrayList<String>();",
                "// ==> []",
                "names.add(\"cod\")",
                "// ==> true",
                "",
                "names.get(3)",
                "// !! IndexOutOfBoundsException: Index 3 out of bounds for length 1");
        assertEquals(List.of(), problems);
        assertEquals(List.of("prose: a list", "snippet 2: var names = new java.util.ArrayList<String>();",
                "value: []", "snippet 4: names.add(\"cod\")", "value: true", "snippet 7: names.get(3)",
                "exception: IndexOutOfBoundsException: Index 3 out of bounds for length 1"), heard);
    }

    @Test
    void a_rejected_snippet_is_a_problem_naming_file_line_and_compiler_message() {
        List<NotebookProblem> problems = play("int x = 1;", "// ==> 1", "int y = \"two\";", "// ==> 2");
        assertEquals(1, problems.size());
        NotebookProblem problem = problems.get(0);
        assertEquals(FILE, problem.file());
        assertEquals(3, problem.line());
        assertTrue(problem.message().contains("rejected") && problem.message().contains("incompatible types"),
                problem.message());
    }

    @Test
    void a_value_the_notebook_does_not_state_is_a_problem() {
        List<NotebookProblem> problems = play("var total = 6 * 7;");
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).message().startsWith("it shows a value the notebook does not state: add the line"
                + " '// ==> 42' after it"), problems.get(0).message());
    }

    @Test
    void an_unexpected_exception_is_a_problem() {
        List<NotebookProblem> problems = play("Integer.parseInt(\"x\")");
        assertEquals(1, problems.size());
        assertEquals("it threw NumberFormatException: For input string: \"x\"", problems.get(0).message());
    }

    @Test
    void a_value_other_than_the_one_written_is_a_problem() {
        List<NotebookProblem> problems = play("1 + 1", "// ==> 3");
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).message().startsWith("expected the value\n3\n    but it was\n2"),
                problems.get(0).message());
    }

    @Test
    void an_expected_exception_that_does_not_happen_is_a_problem() {
        List<NotebookProblem> problems = play("1 + 1", "// !! ArithmeticException: / by zero");
        assertEquals(1, problems.size());
        assertEquals("expected it to throw ArithmeticException: / by zero but it did not", problems.get(0).message());
    }

    @Test
    void a_reference_to_something_undefined_is_a_problem() {
        List<NotebookProblem> problems = play("void shout() { nowhere(); }");
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).message().startsWith("the snippet refers to something undefined"),
                problems.get(0).message());
    }

    @Test
    void a_snippet_may_span_lines_and_a_value_may_span_lines() {
        List<NotebookProblem> problems = play(
                "String twoLines() {",
                "    return \"a\\nb\";",
                "}",
                "System.out.print(\"\")",
                "twoLines()",
                "// ==> \"a\\nb\"");
        assertEquals(List.of(), problems);
        assertTrue(heard.contains("snippet 1: String twoLines() {\n    return \"a\\nb\";\n}"), heard.toString());
    }

    @Test
    void a_snippet_left_open_at_the_end_of_its_cell_is_a_problem() {
        List<NotebookProblem> problems = play("int broken() {", "", "1", "// ==> 1");
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).message().startsWith("the snippet is incomplete"), problems.get(0).message());
    }
}

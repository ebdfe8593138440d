package toykafka.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** ./toykafka step with someone at the keyboard: Enter goes on, q stops, at a cell's end and at a prediction. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class NotebookPlayerTest {

    private static final Notebook NOTEBOOK = Notebook.parse(Path.of("jshell/99-example.jsh"), List.of(
            "// Predict: what is 6 times 7?",
            "6 * 7",
            "// ==> 42",
            "",
            "// the second cell",
            "1 + 1",
            "// ==> 2"));

    private String printed;
    private NotebookPlayer player;

    private List<NotebookProblem> play(String typed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        player = new NotebookPlayer(new PrintStream(out, true, StandardCharsets.UTF_8),
                new BufferedReader(new StringReader(typed)));
        List<NotebookProblem> problems = player.play(NOTEBOOK);
        printed = out.toString(StandardCharsets.UTF_8);
        return problems;
    }

    @Test
    void q_at_a_prediction_quits_without_showing_the_answer() {
        assertEquals(List.of(), play("q\n"));
        assertTrue(printed.contains("Predict: what is 6 times 7?\n[Enter: see the answer, q: quit] "), printed);
        assertFalse(printed.contains("42"), "the answer stays unshown: " + printed);
        assertFalse(printed.contains("cell 2"), printed);
        assertTrue(player.stoppedEarly());
    }

    @Test
    void enter_at_a_prediction_shows_the_answer_and_q_between_cells_quits() {
        assertEquals(List.of(), play("\nq\n"));
        assertTrue(printed.contains("==> 42"), printed);
        assertFalse(printed.contains("cell 2"), printed);
        assertTrue(player.stoppedEarly());
    }

    @Test
    void enter_all_the_way_plays_every_cell() {
        assertEquals(List.of(), play("\n\n"));
        assertTrue(printed.contains("==> 2"), printed);
        assertFalse(player.stoppedEarly());
    }
}

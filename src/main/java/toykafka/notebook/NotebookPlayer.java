package toykafka.notebook;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * Shows a notebook the way a notebook looks: each snippet as typed at {@code jshell>}, then the value
 * it shows. Between cells it waits for Enter when someone is at the keyboard.
 */
public final class NotebookPlayer implements NotebookListener {

    private final PrintStream out;
    private final BufferedReader keyboard;
    private boolean stoppedEarly;

    /**
     * @param out      where the notebook is shown
     * @param keyboard where to wait for Enter between cells; null to play straight through
     */
    public NotebookPlayer(PrintStream out, BufferedReader keyboard) {
        this.out = out;
        this.keyboard = keyboard;
    }

    /** Plays a notebook and returns the problems found, which are also shown as they happen. */
    public List<NotebookProblem> play(Notebook notebook) {
        return NotebookRunner.withOwnClassPath(out).play(notebook, this);
    }

    @Override
    public void cellStarted(int cell, int cells) {
        out.println();
        out.println("-- cell " + cell + " of " + cells + " --");
    }

    @Override
    public void narration(String text) {
        out.println(text);
        // A prediction is only worth making before the answer is on the screen.
        if (keyboard != null && text.startsWith("Predict")) {
            stopIfAsked(waitForEnter("[Enter: see the answer, q: quit] "));
        }
    }

    @Override
    public void snippet(int line, String source) {
        out.println("jshell> " + source.replace("\n", "\n   ...> "));
    }

    @Override
    public void value(String value) {
        out.println("==> " + value);
    }

    @Override
    public void exception(String description) {
        out.println("!! " + description);
    }

    @Override
    public void problem(NotebookProblem problem) {
        out.println("[notebook problem] " + problem.message());
    }

    @Override
    public boolean cellFinished(int cell, int cells) {
        if (keyboard == null || cell == cells) {
            return true;
        }
        stopIfAsked(waitForEnter("[Enter: next cell, q: quit] "));
        return !stoppedEarly;
    }

    /** q, or the end of the input, stops the notebook. */
    private void stopIfAsked(String answer) {
        stoppedEarly = answer == null || answer.strip().equalsIgnoreCase("q");
    }

    @Override
    public boolean quit() {
        return stoppedEarly;
    }

    /** True if the reader quit before the last cell. */
    public boolean stoppedEarly() {
        return stoppedEarly;
    }

    private String waitForEnter(String prompt) {
        out.print(prompt);
        out.flush();
        try {
            return keyboard.readLine();
        } catch (IOException e) {
            return null;
        }
    }
}

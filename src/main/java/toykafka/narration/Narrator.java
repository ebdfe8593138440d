package toykafka.narration;

import java.io.PrintStream;

/** Prints a lesson's demo as a short story: headings, prose, predictions and results. */
public final class Narrator {

    private final PrintStream out;

    public Narrator(PrintStream out) {
        this.out = out;
    }

    public static Narrator toStandardOut() {
        return new Narrator(System.out);
    }

    public void title(String text) {
        out.println();
        out.println("=== " + text + " ===");
    }

    public void say(String text) {
        out.println();
        out.println(text);
    }

    /** Asks the reader to guess before the next result is shown. */
    public void predict(String question) {
        out.println("  Predict: " + question);
    }

    public void show(String what, Object value) {
        out.println("  " + what + "  ==>  " + value);
    }

    /** Shows what a bad request is told, so the reader sees the message a real caller would. */
    public void showRefusal(String what, RuntimeException refusal) {
        out.println("  " + what + "  !!  " + refusal.getClass().getSimpleName() + ": " + refusal.getMessage());
    }

    public PrintStream out() {
        return out;
    }
}

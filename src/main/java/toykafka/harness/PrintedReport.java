package toykafka.harness;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * A benchmark's report as it runs: each line printed at once, so a long run shows where it is, and kept, so
 * the run can return what it printed to be written to its report file.
 */
public final class PrintedReport {

    private final PrintStream out;
    private final StringBuilder text = new StringBuilder();

    public PrintedReport(PrintStream out) {
        this.out = out;
    }

    public void line(String line) {
        out.println(line);
        out.flush();
        text.append(line).append('\n');
    }

    /** The report's first line: which benchmark, and the machine it ran on, since its figures are that machine's. */
    public void heading(String benchmark) {
        line("toykafka bench " + benchmark + ": one run on this machine (" + Runtime.getRuntime().availableProcessors()
                + " cores, " + System.getProperty("os.name") + ")");
    }

    /** Every line so far, each ended by a newline. */
    public String text() {
        return text.toString();
    }

    /** A ratio to two significant digits, 0.85 or 0.0031: far below a target, two decimals would print 0.00. */
    public static String twoDigits(double ratio) {
        return new BigDecimal(ratio).round(new MathContext(2)).toPlainString();
    }
}

package toykafka.common;

import java.io.PrintStream;

/**
 * A log line that a flood could repeat thousands of times a second (a connection refused, a socket the
 * system would not give): printed at most once a period, saying how many like it were left out since, so
 * the log stays readable and does not fill the disk. Kafka logs such events once per occurrence at
 * INFO/WARN and leaves the rate to its log configuration. Both front ends use it, from any thread.
 */
public final class ThrottledLine {

    private final PrintStream log;
    private final long periodNanos;
    private long lastPrintedNanos;
    private boolean printedOnce;
    private long leftOut;

    public ThrottledLine(PrintStream log, long periodNanos) {
        this.log = log;
        this.periodNanos = periodNanos;
    }

    /** Prints the line unless one was printed less than a period before {@code now} (nanoseconds). */
    public synchronized void println(String line, long now) {
        if (printedOnce && now - lastPrintedNanos < periodNanos) {
            leftOut++;
            return;
        }
        log.println(leftOut == 0 ? line : line + " (and " + leftOut + " more like it left out of the log)");
        printedOnce = true;
        lastPrintedNanos = now;
        leftOut = 0;
    }
}

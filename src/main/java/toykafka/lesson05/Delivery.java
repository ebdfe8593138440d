package toykafka.lesson05;

/** In which order a member commits and processes what it polled, and so what a crash in between costs. */
public enum Delivery {
    /** Commit, then process: a crash in between loses the batch, which is never processed. */
    AT_MOST_ONCE("commit, then process"),
    /** Process, then commit: a crash in between processes the batch again after the restart. */
    AT_LEAST_ONCE("process, then commit");

    private final String steps;

    Delivery(String steps) {
        this.steps = steps;
    }

    public String steps() {
        return steps;
    }

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " (" + steps + ")";
    }
}

package toykafka.check;

import java.util.List;

/** The outcomes of one run of a lesson's contract tests, in the order they ran. */
public record CheckReport(String checkClass, List<CheckOutcome> outcomes) {

    public long passed() {
        return outcomes.stream().filter(CheckOutcome::passed).count();
    }

    public long failed() {
        return outcomes.size() - passed();
    }

    public boolean allPassed() {
        return !outcomes.isEmpty() && failed() == 0;
    }
}

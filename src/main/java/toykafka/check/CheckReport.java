package toykafka.check;

import java.util.List;

/**
 * The outcomes of one run of a lesson's contract tests, in the order they ran.
 *
 * @param compilerErrors why the learner's class did not compile; then no test ran and outcomes is empty
 */
public record CheckReport(String checkClass, List<CheckOutcome> outcomes, List<String> compilerErrors) {

    public CheckReport(String checkClass, List<CheckOutcome> outcomes) {
        this(checkClass, outcomes, List.of());
    }

    public static CheckReport notCompiled(String checkClass, List<String> compilerErrors) {
        return new CheckReport(checkClass, List.of(), List.copyOf(compilerErrors));
    }

    public boolean compiled() {
        return compilerErrors.isEmpty();
    }

    public long passed() {
        return outcomes.stream().filter(CheckOutcome::passed).count();
    }

    public long failed() {
        return outcomes.size() - passed();
    }

    public boolean allPassed() {
        return compiled() && !outcomes.isEmpty() && failed() == 0;
    }
}

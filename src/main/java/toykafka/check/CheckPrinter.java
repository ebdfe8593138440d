package toykafka.check;

import java.io.PrintStream;
import toykafka.course.Course;
import toykafka.course.Lesson;

/** Prints a check the way a learner needs it: which promises hold, which do not, and what to do next. */
public final class CheckPrinter {

    private final PrintStream out;

    public CheckPrinter(PrintStream out) {
        this.out = out;
    }

    public void print(Lesson lesson, CheckReport report) {
        if (!report.compiled()) {
            printCompilerErrors(lesson, report);
            return;
        }
        out.println("Lesson " + lesson.number() + ": checking your " + simpleName(lesson.exerciseClass())
                + " against the lesson's contract (" + report.outcomes().size() + " checks)");
        out.println();
        for (CheckOutcome outcome : report.outcomes()) {
            out.println((outcome.passed() ? "  pass  " : "  FAIL  ") + outcome.name());
            if (!outcome.passed()) {
                outcome.explanation().lines().limit(4).forEach(line -> out.println("          " + line));
            }
        }
        out.println();
        out.println(report.passed() + " of " + report.outcomes().size() + " checks pass.");
        if (report.allPassed()) {
            out.println("Your " + simpleName(lesson.exerciseClass()) + " keeps every promise of lesson "
                    + lesson.number() + ". " + nextStep(lesson));
        } else {
            out.println("Start with the first FAIL above, edit " + sourcePath(lesson) + ", then run ./toykafka check "
                    + lesson.number() + " again. Stuck? ./toykafka hint " + lesson.number());
        }
    }

    private void printCompilerErrors(Lesson lesson, CheckReport report) {
        String name = simpleName(lesson.exerciseClass());
        out.println("Lesson " + lesson.number() + ": your " + name + " does not compile yet, so no check ran.");
        out.println("The compiler says:");
        out.println();
        report.compilerErrors().forEach(error -> {
            error.lines().forEach(line -> out.println("  " + line));
            out.println();
        });
        out.println("Fix " + (report.compilerErrors().size() == 1 ? "that line" : "the first of these") + " in "
                + sourcePath(lesson) + ", save, and run ./toykafka check " + lesson.number()
                + " again (or leave ./toykafka watch " + lesson.number() + " running). The other lessons,"
                + " hints and demos work as before.");
    }

    static String sourcePath(Lesson lesson) {
        return "src/exercises/java/" + lesson.exerciseClass().replace('.', '/') + ".java";
    }

    private static String nextStep(Lesson lesson) {
        return Course.lesson(lesson.number() + 1)
                .map(next -> "Next: lesson " + next.number() + ", " + next.title() + " (./toykafka step "
                        + next.number() + ").")
                .orElse("That was the last lesson so far: well done.");
    }

    static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}

package toykafka.check;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import toykafka.course.Lesson;

/**
 * Runs a lesson's contract tests in this JVM and explains each failure in the lesson's terms
 * rather than as a stack trace.
 */
public final class ContractCheck {

    private static final String LEARNER_PACKAGE = "toykafka.exercises.";

    /** Where the learner's classes are compiled for `./toykafka check`, one folder per lesson. */
    private static final Path COMPILED_EXERCISES = Path.of("target/exercises");

    private ContractCheck() {
    }

    /**
     * Compiles the learner's exercise for this lesson as it is now on disk and runs the lesson's
     * contract tests against it. A class that does not compile gives a report with the compiler's
     * errors and no outcomes.
     */
    public static CheckReport checkExercise(Lesson lesson) {
        return checkExercise(lesson, Path.of("src/exercises/java"), Path.of("src/test/java"),
                COMPILED_EXERCISES.resolve("lesson" + lesson.paddedNumber()));
    }

    /** As {@link #checkExercise(Lesson)}, with the exercise and check sources and the output folder named. */
    public static CheckReport checkExercise(Lesson lesson, Path exerciseRoot, Path checkRoot, Path output) {
        ExerciseCompiler.Compiled compiled = ExerciseCompiler.compile(lesson, exerciseRoot, checkRoot, output);
        if (!compiled.ok()) {
            return CheckReport.notCompiled(lesson.checkClass(), compiled.errors());
        }
        try (URLClassLoader learnersClasses = ExerciseCompiler.loaderFor(compiled.classes())) {
            return run(Class.forName(lesson.checkClass(), true, learnersClasses));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the check " + lesson.checkClass() + " compiled but cannot be loaded", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the test class named {@code checkClass} and returns one outcome per test. */
    public static CheckReport run(String checkClass) {
        try {
            return run(Class.forName(checkClass, false, ContractCheck.class.getClassLoader()));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the checks " + checkClass + " are not compiled: run them through"
                    + " ./toykafka, which builds the test classes first, or run 'mvn test-compile'");
        }
    }

    /** Runs a test class, however it was loaded, and returns one outcome per test. */
    public static CheckReport run(Class<?> checkClass) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(checkClass))
                .build();
        List<CheckOutcome> outcomes = new ArrayList<>();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (!test.isTest()) {
                    return;
                }
                boolean passed = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL;
                String why = passed ? "" : result.getThrowable().map(ContractCheck::explain).orElse("failed");
                outcomes.add(new CheckOutcome(test.getDisplayName(), passed, why));
            }
        });
        return new CheckReport(checkClass.getName(), List.copyOf(outcomes));
    }

    /** One or two lines a learner can act on: what was expected, or which method is still a stub. */
    static String explain(Throwable failure) {
        // assertThrows wraps a stub's exception as the cause of its own failure: look through it.
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (isStub(cause)) {
                return "not written yet: " + cause.getMessage();
            }
        }
        if (failure instanceof AssertionError) {
            return String.valueOf(failure.getMessage());
        }
        String where = learnerFrame(failure).map(frame -> " (at " + frame.getFileName() + ":"
                + frame.getLineNumber() + ")").orElse("");
        String hint = failure instanceof UnsupportedOperationException
                ? "; is something you change an unmodifiable collection, such as one from List.of() or toList()?" : "";
        return "threw " + failure.getClass().getSimpleName() + ": " + failure.getMessage() + where + hint;
    }

    /** A starter's own "write me" exception, thrown by the learner's class itself, not by a library it calls. */
    private static boolean isStub(Throwable failure) {
        StackTraceElement[] frames = failure.getStackTrace();
        return failure instanceof UnsupportedOperationException
                && frames.length > 0 && frames[0].getClassName().startsWith(LEARNER_PACKAGE);
    }

    /** The deepest frame in the learner's own code, which is where they should look first. */
    private static Optional<StackTraceElement> learnerFrame(Throwable failure) {
        return Arrays.stream(failure.getStackTrace())
                .filter(frame -> frame.getClassName().startsWith(LEARNER_PACKAGE))
                .filter(frame -> !frame.getClassName().endsWith("Check"))
                .findFirst();
    }
}

package toykafka.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs a class of fixture tests in a launcher of its own and tells what became of each test and of the class,
 * so a test of an extension sees what JUnit reports once the extension's callbacks and closes have run.
 */
final class FixtureRun {

    private static final String LAUNCHED = "toykafka.testing.fixtureRun";

    private FixtureRun() {
    }

    /**
     * Marks a class of fixture tests, some of which fail on purpose: it runs only inside {@link #of}, never
     * in the build's own run of the tests.
     */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @ExtendWith(OnlyInFixtureRun.class)
    @interface Fixture {
    }

    /** The result of each test by method name, and of the class itself under the class's simple name. */
    static Map<String, TestExecutionResult> of(Class<?> fixture) {
        Map<String, TestExecutionResult> results = new TreeMap<>();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(fixture))
                .configurationParameter(LAUNCHED, "true").build(), new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                        if (test.getSource().isPresent() && !test.getParentId().isEmpty()) {
                            results.put(name(test), result);
                        }
                    }
                });
        return results;
    }

    /** What {@code test} of the fixture failed with, for a fixture the extension must refuse: its message. */
    static String failure(Class<?> fixture, String test) {
        Map<String, TestExecutionResult> results = of(fixture);
        TestExecutionResult result = results.get(test);
        assertNotNull(result, test + " ran: " + results);
        assertEquals(TestExecutionResult.Status.FAILED, result.getStatus(), test + " fails");
        return result.getThrowable().orElseThrow().getMessage();
    }

    private static String name(TestIdentifier test) {
        String display = test.getDisplayName();
        int paren = display.indexOf('(');
        return paren < 0 ? display : display.substring(0, paren);
    }

    /** Leaves a {@link Fixture} class disabled unless {@link FixtureRun} launched it. */
    static final class OnlyInFixtureRun implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(LAUNCHED).isPresent()
                    ? ConditionEvaluationResult.enabled("launched by a test of an extension")
                    : ConditionEvaluationResult.disabled("a fixture of a test of an extension, whose tests fail on purpose");
        }
    }
}

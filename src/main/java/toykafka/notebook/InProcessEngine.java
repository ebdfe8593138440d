package toykafka.notebook;

import java.util.Map;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * Runs snippets in this JVM, on the caller's thread. The JDK's own "local" engine does too, but after
 * each snippet it waits for every thread the snippet started, so a snippet that starts a producer's
 * background sender (lesson 7) would never finish.
 */
final class InProcessEngine implements ExecutionControlProvider {

    @Override
    public String name() {
        return "toykafka-in-process";
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
        return new DirectExecutionControl();
    }
}

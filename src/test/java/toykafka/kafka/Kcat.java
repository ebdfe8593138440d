package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import toykafka.harness.KcatBinary;

/**
 * kcat, librdkafka's command-line client (Debian's package {@code kcat}), found on the PATH and run as a child
 * process with a time limit. A machine without it skips kcat's tests with a line saying how to install it;
 * CI sets {@value #REQUIRE_VARIABLE} (in .ci/run, which installs it), and there a missing kcat fails them.
 */
final class Kcat {

    static final String REQUIRE_VARIABLE = "TOYKAFKA_REQUIRE_KCAT";
    /** A bound for a client that connects to a loopback broker and exits at the end of the log, not a figure. */
    private static final Duration TIME_LIMIT = Duration.ofMinutes(5);
    /**
     * A bound for a kcat left running in the background (a group member), should the test never stop it: longer
     * than a test's several waits of minutes each on a busy machine, since it must not end a member mid-test.
     */
    private static final Duration BACKGROUND_TIME_LIMIT = Duration.ofMinutes(30);

    private final Path binary;

    private Kcat(Path binary) {
        this.binary = binary;
    }

    /** kcat from this machine's PATH, or the test fails (on CI) or is skipped (elsewhere). */
    static Kcat require() {
        return require(System.getenv());
    }

    static Kcat require(Map<String, String> environment) {
        Optional<Path> found = find(environment.getOrDefault("PATH", ""));
        if (found.isPresent()) {
            return new Kcat(found.get());
        }
        String missing = "kcat is not installed (no kcat or kafkacat on the PATH); install it with "
                + "`apt-get install kcat` (Debian, Ubuntu) or `brew install kcat` (macOS)";
        if (!environment.getOrDefault(REQUIRE_VARIABLE, "").isEmpty()) {
            fail(missing + "; " + REQUIRE_VARIABLE + " is set, so its tests must run");
        }
        Assumptions.abort(missing + " to run this test");
        throw new AssertionError("unreachable: abort throws");
    }

    static Optional<Path> find(String pathVariable) {
        return KcatBinary.onPath(pathVariable);
    }

    /** Runs kcat with these arguments, {@code input} on its standard input (null for none), to its end or its time limit. */
    ChildProcess.Result run(String input, String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(args));
        return ChildProcess.run(command, input, TIME_LIMIT);
    }

    /**
     * Starts kcat with these arguments and leaves it running, nothing on its standard input: a member of a group
     * ({@code -G}) consumes until it is stopped. The test stops it with {@link ChildProcess.Running#stop} (SIGTERM:
     * kcat commits and leaves its group) or kills it; a time limit kills it should the test do neither.
     */
    ChildProcess.Running start(String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(args));
        return ChildProcess.start(command, BACKGROUND_TIME_LIMIT);
    }
}

package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * librdkafka's transactional producer, which kcat cannot drive, through Confluent's Python client as Debian
 * packages it ({@code python3-confluent-kafka}, on Debian's own {@code /usr/bin/python3}). A machine without it
 * skips the tests with a line saying how to install it; CI sets {@value #REQUIRE_VARIABLE} (in .ci/run, which
 * installs it), and there a missing client fails them.
 */
final class ConfluentKafkaPython {

    static final String REQUIRE_VARIABLE = "TOYKAFKA_REQUIRE_CONFLUENT_KAFKA";
    /** Debian's interpreter first: a python3 earlier on the PATH (pyenv, a virtualenv) has not got Debian's modules. */
    private static final List<String> INTERPRETERS = List.of("/usr/bin/python3", "python3");
    /** A bound for a script of a few transactions against a loopback broker, not a figure. */
    private static final Duration TIME_LIMIT = Duration.ofMinutes(5);

    private final String interpreter;

    private ConfluentKafkaPython(String interpreter) {
        this.interpreter = interpreter;
    }

    /** The client, or the test fails (on CI) or is skipped (elsewhere). */
    static ConfluentKafkaPython require() {
        Optional<String> found = INTERPRETERS.stream().filter(ConfluentKafkaPython::importsTheClient).findFirst();
        if (found.isPresent()) {
            return new ConfluentKafkaPython(found.get());
        }
        String missing = "no python3 here imports confluent_kafka; install it with "
                + "`apt-get install python3-confluent-kafka` (Debian, Ubuntu)";
        if (!System.getenv().getOrDefault(REQUIRE_VARIABLE, "").isEmpty()) {
            fail(missing + "; " + REQUIRE_VARIABLE + " is set, so its tests must run");
        }
        Assumptions.abort(missing + " to run this test");
        throw new AssertionError("unreachable: abort throws");
    }

    private static boolean importsTheClient(String interpreter) {
        if (interpreter.startsWith("/") && !Files.isExecutable(Path.of(interpreter))) {
            return false;
        }
        try {
            return ChildProcess.run(List.of(interpreter, "-c", "import confluent_kafka"), null, Duration.ofMinutes(1))
                    .exitCode() == 0;
        } catch (RuntimeException notThere) {
            return false;
        }
    }

    /** Runs {@code script} with these arguments, to its end or its time limit. */
    ChildProcess.Result run(Path script, String... args) {
        List<String> command = new ArrayList<>(List.of(interpreter, script.toString()));
        command.addAll(List.of(args));
        return ChildProcess.run(command, null, TIME_LIMIT);
    }
}

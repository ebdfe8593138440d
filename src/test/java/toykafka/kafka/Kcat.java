package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;

/**
 * kcat, librdkafka's command-line client (Debian's package {@code kcat}), found on the PATH and run as a child
 * process with a time limit. A machine without it skips kcat's tests with a line saying how to install it;
 * CI sets {@value #REQUIRE_VARIABLE} (in .ci/run, which installs it), and there a missing kcat fails them.
 */
final class Kcat {

    static final String REQUIRE_VARIABLE = "TOYKAFKA_REQUIRE_KCAT";
    /** Its name since 1.7, then the name it had before, which older distributions still ship. */
    private static final List<String> NAMES = List.of("kcat", "kafkacat");
    /** A bound for a client that connects to a loopback broker and exits at the end of the log, not a figure. */
    private static final Duration TIME_LIMIT = Duration.ofSeconds(60);
    /** A bound for a kcat left running in the background (a group member), should the test never stop it. */
    private static final Duration BACKGROUND_TIME_LIMIT = Duration.ofSeconds(120);

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
        for (String name : NAMES) {
            for (String dir : pathVariable.split(File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** Runs kcat with these arguments, {@code input} on its standard input (null for none), to its end or its time limit. */
    ChildProcess.Result run(String input, String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(args));
        return ChildProcess.run(command, input, TIME_LIMIT);
    }

    /**
     * Starts kcat with these arguments and leaves it running, nothing on its standard input: a member of a group
     * ({@code -G}) consumes until it is stopped. The test stops it with {@link Background#stop}, or
     * {@link Background#close} kills it; a time limit kills it should the test do neither.
     */
    Background start(String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(args));
        return Background.start(command, BACKGROUND_TIME_LIMIT);
    }

    /**
     * A kcat running in the background, its output in files read while it runs. Stopped by its process id:
     * {@link #stop} with SIGTERM, on which kcat closes its consumer (a group member commits its offsets and
     * leaves the group) and exits; {@link #close} with SIGKILL.
     */
    static final class Background implements AutoCloseable {
        private final List<String> command;
        private final Process process;
        private final Path stdout;
        private final Path stderr;

        private Background(List<String> command, Process process, Path stdout, Path stderr) {
            this.command = command;
            this.process = process;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        private static Background start(List<String> command, Duration timeLimit) {
            try {
                Path stdout = Files.createTempFile("kcat-", ".out");
                Path stderr = Files.createTempFile("kcat-", ".err");
                Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                        .start();
                process.getOutputStream().close(); // end of input at once
                ProcessHandle handle = process.toHandle();
                CompletableFuture.delayedExecutor(timeLimit.toMillis(), TimeUnit.MILLISECONDS)
                        .execute(handle::destroyForcibly);
                return new Background(command, process, stdout, stderr);
            } catch (IOException e) {
                throw new UncheckedIOException("could not start " + String.join(" ", command), e);
            }
        }

        long pid() {
            return process.pid();
        }

        /** What kcat printed on its standard output so far (all of it once it has stopped). */
        String output() {
            return read(stdout);
        }

        /** What kcat printed on its standard error so far: its notes, such as a group's assignments. */
        String errors() {
            return read(stderr);
        }

        /**
         * Waits until what kcat printed on its standard error passes {@code condition}, and returns it. Fails the
         * test, with all kcat printed, if kcat exits first or {@code limit} passes: a bound, not a figure.
         */
        String awaitErrors(String what, Predicate<String> condition, Duration limit) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            while (true) {
                String errors = errors();
                if (condition.test(errors)) {
                    return errors;
                }
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    String described = describe();
                    close();
                    fail("kcat never printed " + what + ": " + described);
                }
                Thread.sleep(20);
            }
        }

        /**
         * SIGTERM by process id, as Ctrl-C would stop it, then waits for it to exit, which it does after closing
         * its consumer. Returns its exit code; fails the test (having killed it) if it does not exit within
         * {@code limit}.
         */
        int stop(Duration limit) throws InterruptedException {
            ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroy);
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                String described = describe();
                close();
                fail("kcat did not exit on SIGTERM: " + described);
            }
            return process.exitValue();
        }

        String describe() {
            return (process.isAlive() ? "running" : "exited with " + process.exitValue()) + ": " + String.join(" ", command)
                    + "\n--- output ---\n" + output() + "\n--- errors ---\n" + errors();
        }

        /** SIGKILL by process id if it still runs, waits until it is gone, and deletes its output files. */
        @Override
        public void close() {
            ProcessHandle handle = process.toHandle();
            handle.descendants().forEach(ProcessHandle::destroyForcibly);
            handle.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (Path file : new Path[] {stdout, stderr}) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // a temporary file left behind harms nothing; the test's own result matters more
                }
            }
        }

        /** A file's text, or nothing once {@link #close} has deleted it. */
        private static String read(Path file) {
            try {
                return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read kcat's output " + file, e);
            }
        }
    }
}

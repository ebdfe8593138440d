package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs a program nobody here wrote (a JVM with Kafka's tools, kcat) as a child process, with a time limit:
 * its output goes to files (a full pipe never stalls it), its input comes from a file, and when it is done or
 * out of time it is killed by its process id, children first, so no test leaves a process behind.
 */
final class ChildProcess {

    /** What a finished (or stopped) child left: its exit code, whether the time limit stopped it, what it printed. */
    record Result(List<String> command, int exitCode, boolean timedOut, String output, String errors) {

        List<String> lines() {
            return output.lines().toList();
        }

        /** Fails the test, with everything the child printed, unless it exited with 0 in time. */
        Result assertSucceeded() {
            if (timedOut || exitCode != 0) {
                fail(describe());
            }
            return this;
        }

        String describe() {
            return (timedOut ? "stopped at its time limit" : "exited with " + exitCode) + ": " + commandLine()
                    + "\n--- output ---\n" + output + "\n--- errors ---\n" + errors;
        }

        /** The command, a class path shortened to its size: the jars would bury the arguments that matter. */
        private String commandLine() {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < command.size(); i++) {
                boolean classPath = i > 0 && command.get(i - 1).equals("-cp");
                line.append(i == 0 ? "" : " ").append(classPath
                        ? "(" + command.get(i).split(File.pathSeparator).length + " class path entries)" : command.get(i));
            }
            return line.toString();
        }
    }

    private ChildProcess() {
    }

    /**
     * Runs {@code command} to its end or to {@code timeLimit}, whichever comes first.
     *
     * @param input what the child reads on its standard input, or null for nothing (end of input at once)
     */
    static Result run(List<String> command, String input, Duration timeLimit) {
        Path stdin = null;
        Path stdout = null;
        Path stderr = null;
        Process process = null;
        try {
            stdin = Files.createTempFile("child-", ".in");
            stdout = Files.createTempFile("child-", ".out");
            stderr = Files.createTempFile("child-", ".err");
            Files.writeString(stdin, input == null ? "" : input, StandardCharsets.UTF_8);
            process = new ProcessBuilder(command).redirectInput(stdin.toFile()).redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile()).start();
            boolean finished = process.waitFor(timeLimit.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                kill(process);
            }
            return new Result(command, finished ? process.exitValue() : -1, !finished,
                    Files.readString(stdout, StandardCharsets.UTF_8), Files.readString(stderr, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        } finally {
            if (process != null) {
                kill(process);
            }
            for (Path file : new Path[] {stdin, stdout, stderr}) {
                deleteQuietly(file);
            }
        }
    }

    /**
     * A child left running for the test to stop, as a crash drill's broker is: its output goes to files, read
     * while it runs, and {@link #kill} ends it with SIGKILL. The time limit kills it too, should the test not.
     */
    static final class Running implements AutoCloseable {
        private final List<String> command;
        private final Process process;
        private final Path stdout;
        private final Path stderr;

        private Running(List<String> command, Process process, Path stdout, Path stderr) {
            this.command = command;
            this.process = process;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        /**
         * The first line the child printed that starts with {@code prefix}, once it is there. Fails the test
         * with all the child printed if it exits first or {@code limit} passes.
         */
        String awaitLine(String prefix, Duration limit) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            while (true) {
                String output = read(stdout);
                int end = output.lastIndexOf('\n'); // only whole lines: the child may be halfway through one
                for (String line : output.substring(0, end + 1).lines().toList()) {
                    if (line.startsWith(prefix)) {
                        return line;
                    }
                }
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    kill();
                    fail("no line starting \"" + prefix + "\" from " + describe());
                }
                Thread.sleep(20);
            }
        }

        long pid() {
            return process.pid();
        }

        boolean alive() {
            return process.isAlive();
        }

        /** SIGKILL by process id, its children first: no shutdown hook runs. Returns once it is gone. */
        void kill() {
            ChildProcess.kill(process);
        }

        /** What the child printed on its standard output so far (all of it once it has stopped). */
        String output() {
            return read(stdout);
        }

        /** What the child printed on its standard error so far. */
        String errors() {
            return read(stderr);
        }

        /**
         * Waits until what the child printed on its standard error passes {@code condition} (kcat's notes, such as
         * a group's assignments, go there), and returns it. Fails the test with all the child printed, having
         * killed it, if it exits first or {@code limit} passes: a bound, not a figure.
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
                    kill();
                    fail("never printed " + what + ": " + described);
                }
                Thread.sleep(20);
            }
        }

        /**
         * SIGTERM by process id, as Ctrl-C would stop it, then waits for it to exit: a kcat group member commits
         * and leaves its group first. Returns the exit code; fails the test, having killed it, if it does not exit
         * within {@code limit}.
         */
        int stop(Duration limit) throws InterruptedException {
            process.toHandle().destroy();
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                String described = describe();
                kill();
                fail("did not exit on SIGTERM: " + described);
            }
            return process.exitValue();
        }

        String describe() {
            return new Result(command, process.isAlive() ? -1 : process.exitValue(), false, read(stdout), read(stderr))
                    .describe();
        }

        /** Kills the child if it still runs, and deletes its output files. */
        @Override
        public void close() {
            kill();
            deleteQuietly(stdout);
            deleteQuietly(stderr);
        }

        /** A file's text, or nothing once {@link #close} has deleted it. */
        private static String read(Path file) {
            try {
                return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read a child's output " + file, e);
            }
        }
    }

    /**
     * Starts {@code command} and leaves it running, with nothing on its standard input; {@code timeLimit} is a
     * safety net that kills it if the test never does.
     */
    static Running start(List<String> command, Duration timeLimit) {
        try {
            Path stdout = Files.createTempFile("child-", ".out");
            Path stderr = Files.createTempFile("child-", ".err");
            Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                    .start();
            process.getOutputStream().close(); // end of input at once
            CompletableFuture.delayedExecutor(timeLimit.toMillis(), TimeUnit.MILLISECONDS).execute(() -> kill(process));
            return new Running(command, process, stdout, stderr);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + String.join(" ", command), e);
        }
    }

    /** SIGKILL to the child's own children, then to the child, by process id; then waits until it is gone. */
    private static void kill(Process process) {
        ProcessHandle handle = process.toHandle();
        handle.descendants().forEach(ProcessHandle::destroyForcibly);
        handle.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a temporary file left behind harms nothing; the test's own result matters more
            }
        }
    }
}

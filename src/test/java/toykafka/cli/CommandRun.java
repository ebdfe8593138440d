package toykafka.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * One run of toykafka's command line in this JVM, as {@code ./toykafka} would run it, and what it wrote: its exit
 * code, its standard output, the errors the command line reported (picocli's error writer), and what a command
 * reported on the side on System.err (progress, offsets). System.out, System.err and System.in are swapped only
 * for the run and put back even when the command throws.
 */
record CommandRun(int exitCode, String out, String errors, String reported) {

    /** Runs the command line with these arguments and an empty standard input. */
    static CommandRun of(String... args) {
        return withInput("", args);
    }

    /**
     * Runs the command line with these arguments and checks that it refused them, as a usage error (exit code 2) whose
     * message names {@code reason}; the run, for what else a test checks of it.
     */
    static CommandRun assertRefused(String reason, String... args) {
        CommandRun run = of(args);
        assertEquals(2, run.exitCode(), run.errors());
        assertTrue(run.errors().contains(reason), run.errors());
        return run;
    }

    /**
     * Runs {@code toykafka bench <benchmark> <options> --out <report>}, which must succeed, and reads the report it
     * wrote.
     */
    static BenchReport bench(Path report, String benchmark, String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("bench", benchmark));
        args.addAll(List.of(options));
        args.addAll(List.of("--out", report.toString()));
        CommandRun run = of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.errors() + run.out());
        return new BenchReport(run, report, Files.readString(report));
    }

    /** A benchmark's run, and the report it wrote: its file and its text. */
    record BenchReport(CommandRun run, Path file, String text) {

        /** Checks that the benchmark removed what it built and left only the report in the report's folder. */
        void assertOnlyTheReportIsLeft(String why) throws IOException {
            try (Stream<Path> left = Files.list(file.getParent())) {
                assertEquals(List.of(file), left.toList(), why);
            }
        }
    }

    /** Runs the command line with these arguments, reading this text as its standard input. */
    static CommandRun withInput(String input, String... args) {
        PrintStream realOut = System.out;
        PrintStream realErr = System.err;
        InputStream realIn = System.in;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ByteArrayOutputStream reported = new ByteArrayOutputStream();
        StringWriter errors = new StringWriter();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(reported, true, StandardCharsets.UTF_8));
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            // Built after the swap, so nothing in it can hold on to the real streams.
            CommandLine commandLine = Main.commandLine();
            commandLine.setErr(new PrintWriter(errors, true));
            int exitCode = commandLine.execute(args);
            return new CommandRun(exitCode, printed.toString(StandardCharsets.UTF_8), errors.toString(),
                    reported.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(realOut);
            System.setErr(realErr);
            System.setIn(realIn);
        }
    }
}

package toykafka.cli;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import toykafka.apachekafka.KafkaJars;
import toykafka.apachekafka.KafkaTools;

/**
 * {@code toykafka kafka tool NAME ARGS...}: one of Apache Kafka's command-line tools, as its {@code bin/NAME.sh}
 * would run it, from the jars Maven fetched, so a learner needs no Kafka download to follow the lessons. Everything
 * after the name is the tool's, untouched; what it prints is Kafka's, and its exit code is this command's.
 */
@Command(name = "tool", mixinStandardHelpOptions = true,
        description = "Runs one of Apache Kafka's command-line tools from the jars Maven fetched: NAME is its script's"
                + " name without .sh, and every argument after it is the tool's own, as in"
                + " ./toykafka kafka tool kafka-topics --bootstrap-server 127.0.0.1:9092 --list")
final class KafkaToolCommand implements Callable<Integer> {

    /** How long a tool may take to finish once this command is told to stop: its own shutdown prints a summary. */
    private static final long STOP_GRACE_SECONDS = 10;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "the tool, named as Kafka's script without .sh (below)")
    String name;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "the tool's own arguments, passed on as typed")
    List<String> args = new ArrayList<>();

    /**
     * Lists the tools under the usage and stops reading options at the name: from there on every argument, even
     * {@code --help}, belongs to the tool.
     */
    static void configure(CommandLine tool) {
        tool.setStopAtPositional(true);
        int width = KafkaTools.names().stream().mapToInt(String::length).max().orElse(0);
        // picocli reads the footer as a format string: %n is a line break
        StringBuilder footer = new StringBuilder("%nThe tools:%n");
        for (KafkaTools.Tool each : KafkaTools.ALL) {
            footer.append("  ").append(String.format("%-" + width + "s", each.name())).append("  ")
                    .append(each.does()).append("%n");
        }
        footer.append("%nNAME --help prints that tool's own options. A tool that needs a cluster takes"
                + " --bootstrap-server: the course's broker's Kafka port (./toykafka broker prints it) or Apache Kafka's"
                + " (./toykafka kafka start).");
        tool.getCommandSpec().usageMessage().footer(footer.toString());
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        KafkaTools.Tool tool = KafkaTools.named(name).orElseThrow(() -> new CommandLine.ParameterException(
                spec.commandLine(), "Kafka has no tool called '" + name + "' here; the tools are "
                        + String.join(", ", KafkaTools.names())));
        List<String> command = KafkaTools.command(tool, KafkaJars.inProject(), args);
        // Run where the command was typed, so a relative path (kafka-dump-log --files) means what the learner meant.
        Process process = new ProcessBuilder(command)
                .directory(new File(System.getProperty("toykafka.cwd", "."))).start();
        Thread out = pump(process.getInputStream(), Main.out(), process.getInputStream(), tool.name() + "-stdout");
        Thread err = pump(process.getErrorStream(), Main.err(), process.getErrorStream(), tool.name() + "-stderr");
        pump(Main.in(), process.getOutputStream(), process.getOutputStream(), tool.name() + "-stdin");
        // Ctrl-C reaches the tool too and it ends in its own way (the console consumer counts what it printed): this
        // JVM waits for that and prints it, and a plain kill of this JVM is passed on to the tool. Through its handle,
        // not Process.destroy, which also closes the pipes the tool's last words come through.
        Thread stop = new Thread(() -> {
            process.toHandle().destroy();
            try {
                if (!process.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
                out.join(TimeUnit.SECONDS.toMillis(2));
                err.join(TimeUnit.SECONDS.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "toykafka-tool-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            int exitCode = process.waitFor();
            out.join();
            err.join();
            return exitCode;
        } finally {
            if (process.isAlive()) { // interrupted while waiting
                process.destroyForcibly();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for the tool
            }
        }
    }

    /**
     * Copies bytes as they come, on a daemon thread (it may wait on a terminal after the tool is gone), and closes
     * {@code closedAtEnd} when the copy ends: the tool's output for what it prints, the tool's input for what is typed
     * or piped to this command, so the tool sees an end of input where this command's ends, as a shell would (the
     * console producer stops there).
     */
    private static Thread pump(InputStream from, OutputStream to, Closeable closedAtEnd, String threadName) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (closedAtEnd) {
                for (int read; (read = from.read(buffer)) >= 0; ) {
                    to.write(buffer, 0, read);
                    to.flush();
                }
            } catch (IOException gone) {
                // the tool ended: what it printed is printed, what it did not read is not needed
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}

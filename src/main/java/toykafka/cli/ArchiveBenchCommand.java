package toykafka.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import toykafka.tools.ArchiveBenchmark;

/** {@code toykafka bench archive}: lesson 10's archive written, read and summarized at scale. */
@Command(name = "archive", mixinStandardHelpOptions = true,
        description = "Generates an archive (default: a million rows), writes it as retention does, reads it into a"
                + " table and runs every summary, against raw writes, raw reads and a bare CSV tokenizer of the"
                + " same bytes. About a minute with the defaults.")
final class ArchiveBenchCommand implements Runnable {

    @Option(names = "--rows", paramLabel = "N", description = "rows to generate (default: 1000000)")
    int rows = 1_000_000;

    @Option(names = "--repeats", paramLabel = "N", description = "runs of each measurement; the best counts (default: 2)")
    int repeats = 2;

    @Option(names = "--out", paramLabel = "FILE",
            description = "where to write the results (default: target/bench/archive.txt in the project folder)")
    Path out;

    @Override
    public void run() {
        if (rows < 1 || repeats < 1) {
            throw new IllegalArgumentException("--rows and --repeats must be at least 1; were " + rows + " and " + repeats);
        }
        Path file = (out == null ? Path.of("target", "bench", "archive.txt") : DumpCommand.typed(out)).toAbsolutePath();
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("--out names a directory, " + file + "; give a file in it, such as "
                    + file.resolve("archive.txt"));
        }
        try {
            Files.createDirectories(file.getParent());
            String report = new ArchiveBenchmark(new ArchiveBenchmark.Settings(file.getParent(), rows, repeats),
                    Main.out()).run();
            Files.writeString(file, report);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + file + ": " + e.getMessage(), e);
        }
        Main.out().println("Written to " + file);
    }
}

package toykafka.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import toykafka.tools.SegmentDump;

/** {@code toykafka dump SEGMENT}: a segment file as text, records and indexes (lesson 8). */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = "Prints a segment's records, index and time index as text, then checks them (lesson 8).")
final class DumpCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SEGMENT", description = "a segment's .log file, named by its 20-digit base offset")
    Path segment;

    @Option(names = {"-n", "--records"}, paramLabel = "N", description = "print at most N records (default: all)")
    long maxRecords = Long.MAX_VALUE;

    @Override
    public Integer call() {
        if (maxRecords < 0) {
            throw new IllegalArgumentException("--records must be 0 or more, was " + maxRecords);
        }
        SegmentDump.Verification verification = SegmentDump.dump(typed(segment), Main.out(), maxRecords);
        Main.out().println(verification);
        return verification.ok() ? 0 : 1;
    }

    /**
     * A path as the user meant it: ./toykafka runs the program in the project folder, and passes the folder
     * the command was typed in as toykafka.cwd, so a relative path is taken from there.
     */
    static Path typed(Path path) {
        return path.isAbsolute() ? path : Path.of(System.getProperty("toykafka.cwd", ".")).resolve(path);
    }
}

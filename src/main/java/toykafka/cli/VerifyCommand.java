package toykafka.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import toykafka.tools.SegmentDump;

/** {@code toykafka verify PATH...}: checks every CRC and index entry of segments (lesson 8). */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Checks every record's length, CRC and offset, and every index entry, of segments (lesson 8)."
                + " Only reads: safe on a partition a log is using. Exits with 1 if anything is wrong.")
final class VerifyCommand implements Callable<Integer> {

    @Parameters(paramLabel = "PATH", arity = "1..*",
            description = "a segment's .log file, or a partition directory to check all its segments")
    List<Path> paths;

    @Override
    public Integer call() {
        boolean allGood = true;
        for (Path path : paths) {
            for (SegmentDump.Verification verification : SegmentDump.verifyAll(DumpCommand.typed(path))) {
                Main.out().println(verification);
                allGood &= verification.ok();
            }
        }
        return allGood ? 0 : 1;
    }
}

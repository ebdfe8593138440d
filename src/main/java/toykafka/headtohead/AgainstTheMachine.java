package toykafka.headtohead;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import toykafka.harness.DrainedSocket;

/**
 * The machine's own limit for a consumer: the partition's segment files sent to a loopback socket by {@code
 * transferTo} (sendfile), nothing decoded, against the fetch-only consumer that just read them from our broker.
 */
final class AgainstTheMachine {

    /** Each run's fetch-only consumer of 1 KiB records and the raw transferTo of its segment, MB/s of batch bytes. */
    private final List<double[]> runs = new ArrayList<>();

    /** Sends the segments of {@code partitionFolder} three times, keeping the best beside what {@code fetched} read. */
    void measure(Path partitionFolder, HeadToHeadLoad.Figures fetched) {
        try (Stream<Path> files = Files.list(partitionFolder)) {
            List<Path> segments = files.filter(file -> file.toString().endsWith(".log")).sorted().toList();
            long bytes = 0;
            for (Path segment : segments) {
                bytes += Files.size(segment);
            }
            double best = 0;
            for (int run = 0; run < 3; run++) {
                try (DrainedSocket socket = new DrainedSocket()) {
                    long started = System.nanoTime();
                    for (Path segment : segments) {
                        try (FileChannel file = FileChannel.open(segment, StandardOpenOption.READ)) {
                            for (long sent = 0, size = file.size(); sent < size; ) {
                                sent += file.transferTo(sent, size - sent, socket.channel());
                            }
                        }
                    }
                    socket.awaitReceived(bytes);
                    best = Math.max(best, bytes / ((System.nanoTime() - started) / 1e9) / 1e6);
                }
            }
            runs.add(new double[] {fetched.valueBytes() / fetched.seconds() / 1e6, best});
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send " + partitionFolder + " to a socket: " + e.getMessage(), e);
        }
    }

    /** The report's line: the best of each, and their ratio against the target. */
    String line() {
        double consumer = runs.stream().mapToDouble(run -> run[0]).max().orElse(Double.NaN);
        double raw = runs.stream().mapToDouble(run -> run[1]).max().orElse(Double.NaN);
        return String.format(Locale.ROOT, "%nAgainst the machine: a fetch-only consumer of 1 KiB records (1 partition)"
                + " read %.1f MB/s of record batches from our broker; a raw transferTo of the same segment files to a"
                + " loopback socket sent %.1f MB/s;"
                + " ratio %.2f (target >= 0.5 %s)%n", consumer, raw, consumer / raw, consumer / raw >= 0.5 ? "met" : "MISSED");
    }
}

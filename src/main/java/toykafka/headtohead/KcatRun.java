package toykafka.headtohead;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import toykafka.harness.KcatBinary;

/**
 * kcat, librdkafka's command-line client (Debian's package {@code kcat}), run as a user types it against either
 * broker: a client in C that nobody here wrote, with librdkafka's defaults but for the address. It reads a topic
 * from its start ({@code -C -o beginning -c N}, exiting at the N-th record), timed from its first output to its
 * last, and writes one from a file of lines ({@code -P -l}, exiting once every record is acknowledged), timed from
 * launch to exit.
 */
final class KcatRun {

    private static final long TIME_LIMIT_SECONDS = 300;

    private final Path binary;

    private KcatRun(Path binary) {
        this.binary = binary;
    }

    /** kcat from this machine's PATH, if it has one. */
    static Optional<KcatRun> find() {
        return KcatBinary.onPath().map(KcatRun::new);
    }

    /** What a report says of it: kcat's version and librdkafka's, from {@code kcat -V}. */
    String version() {
        String printed = run(List.of(binary.toString(), "-V"), null);
        return printed.lines().filter(line -> line.startsWith("Version")).findFirst()
                .map(line -> line.replaceFirst("^Version (\\S+).*librdkafka (\\S+).*$", "kcat $1, librdkafka $2"))
                .orElse("kcat");
    }

    /**
     * Reads {@code records} records of the topic from the start of every partition, as one consumer without a
     * group. The clock runs from the first records kcat prints to the last, so librdkafka's start-up (connecting,
     * metadata, asking where each partition begins) is off it, as the kafka-clients rows leave the consumer's
     * creation off theirs; the figures count the records and the values' bytes kcat printed after the first
     * piece of its output.
     */
    HeadToHeadLoad.Figures consume(String bootstrap, String topic, long records) {
        List<String> command = List.of(binary.toString(), "-b", bootstrap, "-C", "-t", topic, "-o", "beginning",
                "-c", String.valueOf(records), "-q", "-f", "%S\\n");
        long[] read = {0, 0, 0, 0}; // records, bytes, and those of the first piece
        long[] clock = {0, 0};
        String errors = run(command, output -> {
            byte[] piece = new byte[64 * 1024];
            long size = 0;
            for (int n = output.read(piece); n >= 0; n = output.read(piece)) {
                if (clock[0] == 0) {
                    clock[0] = System.nanoTime();
                }
                for (int i = 0; i < n; i++) {
                    if (piece[i] == '\n') {
                        read[0]++;
                        read[1] += size;
                        size = 0;
                    } else {
                        size = size * 10 + (piece[i] - '0');
                    }
                }
                if (read[2] == 0) {
                    read[2] = read[0];
                    read[3] = read[1];
                }
                clock[1] = System.nanoTime();
            }
        });
        if (read[0] != records) {
            throw new IllegalStateException("kcat read " + read[0] + " of " + records + " records of " + topic + " from "
                    + bootstrap + ": " + errors.strip());
        }
        return new HeadToHeadLoad.Figures(read[0] - read[2], read[1] - read[3], (clock[1] - clock[0]) / 1e9, Double.NaN,
                Double.NaN);
    }

    /**
     * Sends {@code records} values of {@code valueBytes} to the topic, spread over its partitions by librdkafka's
     * default partitioner, from a file of lines written first, off the clock, into {@code workDir}.
     */
    HeadToHeadLoad.Figures produce(String bootstrap, String topic, int records, int valueBytes, Path workDir) {
        Path lines = workDir.resolve(topic + ".lines");
        try {
            Files.createDirectories(workDir);
            byte[] line = new byte[valueBytes + 1];
            Arrays.fill(line, (byte) 'x');
            line[valueBytes] = '\n';
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(lines), 1 << 20)) {
                for (int i = 0; i < records; i++) {
                    out.write(line);
                }
            }
            long started = System.nanoTime();
            run(List.of(binary.toString(), "-b", bootstrap, "-P", "-t", topic, "-l", lines.toString()), null);
            double seconds = (System.nanoTime() - started) / 1e9;
            return new HeadToHeadLoad.Figures(records, (long) records * valueBytes, seconds, Double.NaN, Double.NaN);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write kcat's input " + lines + ": " + e.getMessage(), e);
        } finally {
            lines.toFile().delete();
        }
    }

    /** Reads a child's standard output as it comes. */
    private interface OutputReader {
        void read(InputStream output) throws IOException;
    }

    /**
     * Runs the command to its exit, its output given to {@code reader} (or returned, when there is none); returns
     * what it wrote to its standard error when there is a reader. A non-zero exit or an overlong run fails.
     */
    private static String run(List<String> command, OutputReader reader) {
        try {
            File errors = File.createTempFile("kcat", ".err");
            try {
                Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectError(errors).start();
                // the output is read to its end, which a stuck kcat never reaches: the limit ends it instead
                AtomicBoolean overran = new AtomicBoolean();
                CompletableFuture.delayedExecutor(TIME_LIMIT_SECONDS, TimeUnit.SECONDS).execute(() -> {
                    if (process.isAlive()) {
                        overran.set(true);
                        process.destroyForcibly();
                    }
                });
                String printed = "";
                if (reader != null) {
                    reader.read(process.getInputStream());
                } else {
                    printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                }
                process.waitFor();
                if (overran.get()) {
                    throw new IllegalStateException(String.join(" ", command) + " ran over " + TIME_LIMIT_SECONDS + " s");
                }
                String complaints = Files.readString(errors.toPath(), StandardCharsets.UTF_8);
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue() + ": "
                            + complaints.strip());
                }
                return reader != null ? complaints : printed;
            } finally {
                errors.delete();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command.get(0), e);
        }
    }
}

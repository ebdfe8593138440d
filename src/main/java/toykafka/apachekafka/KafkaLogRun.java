package toykafka.apachekafka;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Apache Kafka's own log, UnifiedLog 4.4, timed on batches given as bytes. Kafka 4.4's jars cannot share a
 * JVM with the kafka-clients 3.9 on the course's class path, so the code that drives it,
 * KafkaLogDriver.java (a resource beside this class), runs in a JVM of its own on those jars, through
 * Java's single-file source launcher: compiled against exactly Kafka 4.4, with no build step of its own.
 * The figures are measured inside that JVM, so its start and compile are not in them.
 */
public final class KafkaLogRun {

    static final String DRIVER = "KafkaLogDriver.java";
    private static final Pattern RESULT = Pattern.compile("unifiedlog (\\d+) append (\\d+) read (\\d+)");

    /** What Kafka's log reached for one batch, in bytes per second. */
    public record Rates(double append, double read) {
    }

    /**
     * How Kafka's log is run: where it may make files, how much each run moves, how often (the best counts),
     * the most bytes one read returns, the segment size and the bytes between index entries.
     */
    public record Settings(Path workDir, long bytesPerRun, int repeats, int fetchBytes, int segmentBytes,
                           int indexIntervalBytes, Duration limit) {

        public Settings {
            if (bytesPerRun < 1 || repeats < 1 || fetchBytes < 1 || segmentBytes < 1 || indexIntervalBytes < 0) {
                throw new IllegalArgumentException("bytes per run, repeats, fetch and segment bytes must be at least 1"
                        + " and the index interval at least 0; were " + bytesPerRun + ", " + repeats + ", " + fetchBytes
                        + ", " + segmentBytes + " and " + indexIntervalBytes);
            }
        }
    }

    private KafkaLogRun() {
    }

    /**
     * Appends each batch to a fresh UnifiedLog again and again, then reads the log back; one {@link Rates} per
     * batch, in order. Everything it writes stays under {@code settings.workDir()}.
     *
     * @throws IllegalStateException if the JVM fails or outlasts the limit; the message quotes its output
     */
    public static List<Rates> run(KafkaJars jars, Settings settings, List<ByteBuffer> batches) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("give Kafka's log at least one batch to append");
        }
        try {
            Path dir = Files.createDirectories(settings.workDir());
            Path driver = dir.resolve(DRIVER);
            try (InputStream source = KafkaLogRun.class.getResourceAsStream(DRIVER)) {
                if (source == null) {
                    throw new IllegalStateException(DRIVER + " is missing beside " + KafkaLogRun.class.getName()
                            + " on the class path: rebuild with mvn compile");
                }
                Files.copy(source, driver, StandardCopyOption.REPLACE_EXISTING);
            }
            List<String> command = new ArrayList<>(List.of(java(), "-cp", jars.classPath(),
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", driver.toString(), dir.toString(),
                    String.valueOf(settings.bytesPerRun()), String.valueOf(settings.repeats()),
                    String.valueOf(settings.fetchBytes()), String.valueOf(settings.segmentBytes()),
                    String.valueOf(settings.indexIntervalBytes())));
            for (int i = 0; i < batches.size(); i++) {
                command.add(write(dir.resolve("batch-" + i + ".bin"), batches.get(i)).toString());
            }
            return rates(command, dir.resolve("driver-errors.txt"), settings.limit(), batches.size());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run Apache Kafka's log in " + settings.workDir() + ": " + e.getMessage(), e);
        }
    }

    private static List<Rates> rates(List<String> command, Path errors, Duration limit, int expected)
            throws IOException {
        Process process = new ProcessBuilder(command).redirectError(errors.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        List<Rates> rates = new ArrayList<>();
        try {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    Matcher result = RESULT.matcher(line.strip());
                    if (result.matches() && Integer.parseInt(result.group(1)) == rates.size()) {
                        rates.add(new Rates(Double.parseDouble(result.group(2)), Double.parseDouble(result.group(3))));
                    }
                }
            }
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("Apache Kafka's log ran over " + limit.toSeconds() + " s; its errors"
                        + " are in " + errors);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while Apache Kafka's log ran", e);
        } finally {
            process.destroyForcibly();
        }
        if (process.exitValue() != 0 || rates.size() != expected) {
            throw new IllegalStateException("Apache Kafka's log exited with " + process.exitValue() + " after " + rates.size()
                    + " of " + expected + " results: " + tail(errors));
        }
        return rates;
    }

    /** The exact bytes of a batch, as the child reads them. */
    private static Path write(Path file, ByteBuffer batch) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = batch.duplicate();
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }
        return file;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String tail(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
}

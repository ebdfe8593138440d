package toykafka.bench;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import tech.tablesaw.api.Table;
import toykafka.archive.ArchiveDirectory;
import toykafka.archive.ArchiveReader;
import toykafka.archive.ArchiveReason;
import toykafka.archive.ArchivedEvent;
import toykafka.common.Directories;
import toykafka.harness.PrintedReport;
import toykafka.harness.WorkFolder;
import toykafka.lesson11.TablesawSummaries;

/**
 * Lesson 11's archive at scale: writes a generated archive of many rows the way retention does (chunks of
 * 10,000), reads it into a table and runs every summary. Each is set against a baseline of the same bytes in
 * the same run: raw FileChannel writes for writing, and for reading, the bytes read raw and the CSV tokenized
 * with nothing built, so the ratios say what the schema checks and the table cost.
 */
public final class ArchiveBenchmark {

    /** Where to work and how many rows; the best of {@code repeats} runs counts. */
    public record Settings(Path workDir, int rows, int repeats) {
    }

    private static final int CHUNK = 10_000;
    private static final String[] TOPICS = {"orders", "payments", "deliveries", "reviews"};
    private static final int PARTITIONS = 6;
    private static final int KEYS = 20_000;
    private static final Instant START = Instant.parse("2026-11-23T00:00:00Z");

    private final Settings settings;
    private final PrintedReport report;

    public ArchiveBenchmark(Settings settings, PrintStream out) {
        this.settings = settings;
        this.report = new PrintedReport(out);
    }

    public String run() {
        try (WorkFolder work = WorkFolder.under(settings.workDir(), "archive-bench-")) {
            return measure(work);
        } catch (IOException e) {
            throw new UncheckedIOException("the archive benchmark failed under " + settings.workDir() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Writes, reads and summarises the generated archive in {@code work}; the report printed. */
    private String measure(WorkFolder work) throws IOException {
        report.line(String.format(Locale.ROOT, "toykafka bench archive: %,d generated rows, %d topics x %d partitions,"
                + " %,d keys, ~100-byte values; best of %d; %d cores, max heap %,d MiB", settings.rows(),
                TOPICS.length, PARTITIONS, KEYS, settings.repeats(), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20));
        List<ArchivedEvent> rows = generate(settings.rows());
        Path archive = work.resolve("archive");
        double writeSeconds = Double.MAX_VALUE;
        for (int i = 0; i < settings.repeats(); i++) {
            Directories.deleteTree(archive);
            long start = System.nanoTime();
            ArchiveDirectory directory = new ArchiveDirectory(archive);
            for (int from = 0; from < rows.size(); from += CHUNK) {
                directory.append(rows.subList(from, Math.min(rows.size(), from + CHUNK)));
            }
            writeSeconds = Math.min(writeSeconds, seconds(start));
        }
        List<Path> files = files(archive);
        long bytes = 0;
        for (Path file : files) {
            bytes += Files.size(file);
        }
        double rawWriteSeconds = rawWrite(files, work.resolve("raw"));
        report.line(String.format(Locale.ROOT, "write: %,.0f rows/s, %.1f MB/s into %d files (%.1f MB); raw FileChannel"
                + " writes of the same bytes %.1f MB/s; ratio %.2f", rows.size() / writeSeconds,
                bytes / writeSeconds / 1e6, files.size(), bytes / 1e6, bytes / rawWriteSeconds / 1e6,
                rawWriteSeconds / writeSeconds));
        rows = null; // let the generated rows go before the read is measured

        double rawReadSeconds = best(() -> rawRead(files));
        double tokenizeSeconds = best(() -> tokenize(files));
        Table[] table = new Table[1];
        double readSeconds = best(() -> table[0] = ArchiveReader.of(archive).read());
        long heapWithTable = usedHeapAfterGc();
        table[0] = null;
        long heapWithout = usedHeapAfterGc();
        table[0] = ArchiveReader.of(archive).read();
        report.line(String.format(Locale.ROOT, "read into a table: %,.0f rows/s, %.1f MB/s; raw reads %.1f MB/s (ratio"
                + " %.2f); CSV tokenized alone %,.0f rows/s (ratio %.2f)", table[0].rowCount() / readSeconds,
                bytes / readSeconds / 1e6, bytes / rawReadSeconds / 1e6, rawReadSeconds / readSeconds,
                table[0].rowCount() / tokenizeSeconds, tokenizeSeconds / readSeconds));
        report.line(String.format(Locale.ROOT, "memory: the table holds %,d MiB of heap (%.0f bytes a row, values left"
                + " out as the analysis does)", (heapWithTable - heapWithout) >> 20,
                (double) (heapWithTable - heapWithout) / table[0].rowCount()));
        TablesawSummaries summaries = new TablesawSummaries();
        Table archived = table[0];
        double summarySeconds = best(() -> {
            summaries.volume(archived);
            summaries.overTime(archived, ChronoUnit.MINUTES);
            summaries.keySpread(archived);
            summaries.hotKeys(archived, 5);
            summaries.ageAtArchive(archived);
            return null;
        });
        report.line(String.format(Locale.ROOT, "all five summaries: %.2f s (%,.0f rows/s)", summarySeconds,
                archived.rowCount() / summarySeconds));
        return report.text();
    }

    /** Rows as retention would archive them: each partition's offsets in order, a day of timestamps, skewed keys. */
    static List<ArchivedEvent> generate(int count) {
        Random random = new Random(42);
        long[] nextOffset = new long[TOPICS.length * PARTITIONS];
        List<ArchivedEvent> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int topic = random.nextInt(TOPICS.length);
            // squaring a uniform number favours small key numbers: a few customers order far more than most
            int key = (int) (KEYS * Math.pow(random.nextDouble(), 2));
            int partition = Math.floorMod(("customer-" + key).hashCode(), PARTITIONS);
            Instant timestamp = START.plusMillis(86_400_000L * i / count);
            String value = "{\"order\":" + i + ",\"items\":[\"cod\",\"chips\",\"mushy peas\"],\"pence\":"
                    + (450 + random.nextInt(900)) + ",\"note\":\"" + "x".repeat(random.nextInt(20)) + "\"}";
            rows.add(new ArchivedEvent(TOPICS[topic], partition, nextOffset[topic * PARTITIONS + partition]++,
                    timestamp, "customer-" + key, value, i % 10 == 0 ? ArchiveReason.ARCHIVE : ArchiveReason.RETENTION,
                    timestamp.plusSeconds(7200 + random.nextInt(600))));
        }
        return rows;
    }

    private interface Measured {
        Object run() throws IOException;
    }

    private double best(Measured measured) throws IOException {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < settings.repeats(); i++) {
            long start = System.nanoTime();
            measured.run();
            best = Math.min(best, seconds(start));
        }
        return best;
    }

    private double rawWrite(List<Path> files, Path folder) throws IOException {
        List<byte[]> contents = new ArrayList<>();
        for (Path file : files) {
            contents.add(Files.readAllBytes(file));
        }
        Files.createDirectories(folder);
        return best(() -> {
            for (int i = 0; i < contents.size(); i++) {
                Path target = folder.resolve(i + ".csv");
                try (FileChannel channel = FileChannel.open(target, StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                    ByteBuffer buffer = ByteBuffer.wrap(contents.get(i));
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                    channel.force(true); // the archive forces each file too
                }
            }
            return null;
        });
    }

    private static Object rawRead(List<Path> files) throws IOException {
        long total = 0;
        for (Path file : files) {
            total += Files.readAllBytes(file).length;
        }
        return total;
    }

    private static Object tokenize(List<Path> files) throws IOException {
        CsvMapper csv = new CsvMapper();
        long rows = 0;
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file); JsonParser parser = csv.createParser(in)) {
                for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                    if (token == JsonToken.END_ARRAY) {
                        rows++;
                    } else if (token == JsonToken.VALUE_STRING) {
                        parser.getText();
                    }
                }
            }
        }
        return rows;
    }

    private static List<Path> files(Path archive) throws IOException {
        try (Stream<Path> walk = Files.walk(archive)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}

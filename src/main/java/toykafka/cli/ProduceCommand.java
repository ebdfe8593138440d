package toykafka.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import toykafka.client.HttpProducer;
import toykafka.common.Record;
import toykafka.common.UnknownTopicOrPartitionException;
import toykafka.lesson04.DefaultPartitioner;
import toykafka.lesson04.Partitioner;

/**
 * {@code toykafka produce TOPIC}: each line of standard input becomes a record, as with Kafka's
 * kafka-console-producer.sh and MiniKafka's producer. Lines go through lesson 10's {@link HttpProducer},
 * which sends a partition's batches one after another, so the records of a key keep their order.
 */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = {"Sends each line of standard input to a topic as a record, until the input ends (Ctrl-D).",
                "Example: seq 1000000 | ./toykafka produce numbers"})
final class ProduceCommand extends ClientCommand.WithTopic {

    /** As long as kafka-console-producer.sh lets a line wait for others: a line typed by hand goes within a second. */
    private static final Duration LINGER = Duration.ofSeconds(1);

    @Option(names = "--key-separator", paramLabel = "SEP",
            description = "split each line at the first SEP into key and value, e.g. ':' for till-1:cod (parse.key)")
    String keySeparator;

    @Option(names = "--partition", paramLabel = "N", description = "send every record to this partition")
    Integer partition;

    @Option(names = "--batch", paramLabel = "N", description = "most lines in one request (default: 500)")
    int batch = 500;

    /** A record on its way: the partition it goes to, and the offset it gets there. */
    private record Sent(int partition, CompletableFuture<Long> offset) {
    }

    @Override
    void talkTo(String address) {
        if (batch < 1 || batch > 10_000) {
            throw new IllegalArgumentException("--batch must be from 1 to 10000 lines, was " + batch);
        }
        if (keySeparator != null && keySeparator.isEmpty()) {
            throw new IllegalArgumentException("--key-separator must not be empty");
        }
        Map<Integer, long[]> offsets = new TreeMap<>(); // partition -> first and last offset written
        try (HttpProducer producer = new HttpProducer(address, topic, batch, LINGER);
             BufferedReader lines = new BufferedReader(new InputStreamReader(Main.in(), StandardCharsets.UTF_8))) {
            if (partition != null && (partition < 0 || partition >= producer.partitions())) {
                throw UnknownTopicOrPartitionException.unknownPartition(topic, partition, producer.partitions());
            }
            Progress progress = new Progress(Main.err(), "records to " + topic); // timed from here, once connected
            Partitioner partitioner = new DefaultPartitioner(); // as the broker would: murmur2 of the key, else in turn
            List<Sent> unconfirmed = new ArrayList<>(batch);
            String line;
            while ((line = lines.readLine()) != null) {
                if (keySeparator != null && !line.contains(keySeparator)) {
                    confirm(producer, unconfirmed, offsets, progress); // the lines before it are written, or refused
                    throw new IllegalArgumentException("line " + (progress.count() + 1) + " has no key separator '"
                            + keySeparator + "': " + (line.length() > 60 ? line.substring(0, 60) + "..." : line)
                            + (progress.count() == 0 ? "" : " (the lines before it were written)"));
                }
                Record record = record(line);
                int to = partition != null ? partition : partitioner.partition(topic, record, producer.partitions());
                unconfirmed.add(new Sent(to, producer.send(to, record)));
                if (unconfirmed.size() == batch) {
                    confirm(producer, unconfirmed, offsets, progress);
                }
            }
            confirm(producer, unconfirmed, offsets, progress);
            progress.finish();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read standard input: " + e.getMessage(), e);
        }
        offsets.forEach((p, range) -> Main.err().println("  " + topic + "-" + p + ": offsets " + range[0] + " to " + range[1]));
    }

    private Record record(String line) {
        if (keySeparator == null) {
            return Record.of(null, line, Instant.now());
        }
        int at = line.indexOf(keySeparator);
        return Record.of(line.substring(0, at), line.substring(at + keySeparator.length()), Instant.now());
    }

    /**
     * Waits until the records sent so far are written, so that a refusal stops the command with little sent
     * after it, and a long input never piles up in memory.
     */
    private void confirm(HttpProducer producer, List<Sent> unconfirmed, Map<Integer, long[]> offsets, Progress progress) {
        producer.flush();
        RuntimeException refusal = null;
        int written = 0;
        for (Sent sent : unconfirmed) {
            try {
                long offset = sent.offset().join();
                offsets.computeIfAbsent(sent.partition(), p -> new long[] {offset, offset})[1] = offset;
                written++;
            } catch (CompletionException refused) {
                refusal = (RuntimeException) refused.getCause();
            }
        }
        progress.add(written);
        if (refusal != null) {
            throw new IllegalStateException(explain(refusal) + " (" + progress.count() + " records written, "
                    + (unconfirmed.size() - written) + " refused)", refusal);
        }
        unconfirmed.clear();
    }

    /** Counts the work and, once it has taken more than a second, says how far it got, once a second. */
    static final class Progress {
        private final PrintStream out;
        private final String what;
        private final long started = System.nanoTime();
        private long count;
        private long lastShown = started;

        Progress(PrintStream out, String what) {
            this.out = out;
            this.what = what;
        }

        long count() {
            return count;
        }

        void add(long more) {
            count += more;
            long now = System.nanoTime();
            if (now - lastShown >= 1_000_000_000L) {
                lastShown = now;
                out.printf("%,d %s so far, %,.0f a second%n", count, what, count / seconds(now));
            }
        }

        void finish() {
            double seconds = seconds(System.nanoTime());
            out.printf("sent %,d %s in %.1f s (%,.0f a second)%n", count, what, seconds, count / Math.max(seconds, 1e-3));
        }

        private double seconds(long now) {
            return (now - started) / 1e9;
        }
    }
}

package toykafka.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code toykafka produce TOPIC}: each line of standard input becomes a record, as with Kafka's
 * kafka-console-producer.sh and MiniKafka's producer. Lines go in batches, one request each, one batch
 * after another, so the records of a key keep their order.
 */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = {"Sends each line of standard input to a topic as a record, until the input ends (Ctrl-D).",
                "Example: seq 1000000 | ./toykafka produce numbers"})
final class ProduceCommand implements Runnable {

    @Mixin
    BrokerOption broker;

    @Parameters(paramLabel = "TOPIC")
    String topic;

    @Option(names = "--key-separator", paramLabel = "SEP",
            description = "split each line at the first SEP into key and value, e.g. ':' for till-1:cod (parse.key)")
    String keySeparator;

    @Option(names = "--partition", paramLabel = "N", description = "send every record to this partition")
    Integer partition;

    @Option(names = "--batch", paramLabel = "N", description = "lines per request (default: 500)")
    int batch = 500;

    @Override
    public void run() {
        if (batch < 1 || batch > 10_000) {
            throw new IllegalArgumentException("--batch must be from 1 to 10000 lines, was " + batch);
        }
        if (keySeparator != null && keySeparator.isEmpty()) {
            throw new IllegalArgumentException("--key-separator must not be empty");
        }
        BrokerHttp http = broker.connect();
        Progress progress = new Progress(Main.err(), "records to " + topic);
        Map<Integer, long[]> offsets = new TreeMap<>(); // partition -> first and last offset written
        List<String> pending = new ArrayList<>(batch);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(Main.in(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                pending.add(record(line, progress.count() + pending.size() + 1));
                if (pending.size() == batch) {
                    send(http, pending, offsets, progress);
                }
            }
            if (!pending.isEmpty()) {
                send(http, pending, offsets, progress);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read standard input: " + e.getMessage(), e);
        }
        progress.finish();
        offsets.forEach((p, range) -> Main.err().println("  " + topic + "-" + p + ": offsets " + range[0] + " to " + range[1]));
    }

    private String record(String line, long number) {
        StringBuilder json = new StringBuilder("{");
        String value = line;
        if (keySeparator != null) {
            int at = line.indexOf(keySeparator);
            if (at < 0) {
                throw new IllegalArgumentException("line " + number + " has no key separator '" + keySeparator
                        + "': " + (line.length() > 60 ? line.substring(0, 60) + "..." : line));
            }
            json.append("\"key\":").append(BrokerHttp.quote(line.substring(0, at))).append(',');
            value = line.substring(at + keySeparator.length());
        }
        if (partition != null) {
            json.append("\"partition_id\":").append(partition).append(',');
        }
        return json.append("\"value\":").append(BrokerHttp.quote(value)).append('}').toString();
    }

    private void send(BrokerHttp http, List<String> pending, Map<Integer, long[]> offsets, Progress progress) {
        JsonNode replies;
        try {
            replies = http.post(BrokerHttp.TOPICS + "/" + topic + "/records", "[" + String.join(",", pending) + "]");
        } catch (IllegalStateException refused) {
            throw new IllegalStateException(refused.getMessage() + " (the " + progress.count() + " records before this"
                    + " batch of " + pending.size() + " were sent; none of this batch was)", refused);
        }
        for (JsonNode reply : replies) {
            long offset = reply.get("offset").asLong();
            offsets.computeIfAbsent(reply.get("partition_id").asInt(), p -> new long[] {offset, offset})[1] = offset;
        }
        progress.add(pending.size());
        pending.clear();
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

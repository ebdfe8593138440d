package toykafka.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code toykafka consume TOPIC}: prints records as they arrive until Ctrl-C, as Kafka's
 * kafka-console-consumer.sh does. Alone it reads every partition from where {@code --from} says; with
 * {@code --group} it joins a consumer group, reads the partitions the group gives it, and commits after
 * printing each batch, so a restart goes on where it stopped.
 */
@Command(name = "consume", mixinStandardHelpOptions = true,
        description = {"Prints a topic's records as they arrive, until Ctrl-C.",
                "Example: ./toykafka consume orders --from earliest --print-key"})
final class ConsumeCommand implements Runnable {

    @Mixin
    BrokerOption broker;

    @Parameters(paramLabel = "TOPIC")
    String topic;

    @Option(names = "--group", paramLabel = "GROUP", description = "join this consumer group and commit what is printed")
    String group;

    @Option(names = "--from", paramLabel = "WHERE",
            description = "earliest, latest or an offset (default: latest; in a group, only where it has no commit)")
    String from = "latest";

    @Option(names = "--partition", paramLabel = "N", description = "read only this partition (not with --group)")
    Integer partition;

    @Option(names = "--max-records", paramLabel = "N", description = "stop after N records")
    Long maxRecords;

    @Option(names = "--timeout-ms", paramLabel = "MS", description = "stop when no record has come for this long")
    Long timeoutMs;

    @Option(names = "--print-key", description = "print each record's key before its value")
    boolean printKey;

    @Option(names = "--print-offset", description = "print where each record is: topic-partition@offset")
    boolean printOffset;

    private long printed;

    @Override
    public void run() {
        if (group != null && (partition != null || !(from.equals("earliest") || from.equals("latest")))) {
            throw new IllegalArgumentException("with --group, the group decides the partitions and starts where it"
                    + " committed: --from may be earliest or latest (for partitions it has no commit for), and"
                    + " --partition is not taken");
        }
        if (maxRecords != null && maxRecords < 1 || timeoutMs != null && timeoutMs < 0) {
            throw new IllegalArgumentException("--max-records must be 1 or more and --timeout-ms 0 or more");
        }
        BrokerHttp http = broker.connect();
        AtomicBoolean stopping = new AtomicBoolean();
        Thread onCtrlC = new Thread(() -> stopping.set(true), "toykafka-consume-stop");
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        try {
            if (group == null) {
                readPartitions(http, stopping);
            } else {
                readAsMember(http, stopping);
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onCtrlC);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running, which is how we got here
            }
        }
    }

    private void readPartitions(BrokerHttp http, AtomicBoolean stopping) {
        JsonNode described = http.get(BrokerHttp.TOPICS + "/" + topic);
        List<Integer> partitions = new ArrayList<>();
        if (partition != null) {
            partitions.add(partition);
        } else {
            described.get("partitions").forEach(p -> partitions.add(p.get("partition_id").asInt()));
        }
        String[] positions = new String[partitions.size()];
        java.util.Arrays.fill(positions, from); // earliest, latest or a number, until the first read says where
        long quietSince = System.nanoTime();
        int turn = 0;
        while (!stopping.get() && !done(quietSince)) {
            boolean any = false;
            for (int i = 0; i < partitions.size() && !done(quietSince); i++) {
                // one partition waits a little at a time in turn, so a quiet partition holds up no other for long
                long wait = i == turn % partitions.size() ? 500 : 0;
                BrokerHttp.Read read = http.read(topic, partitions.get(i), positions[i], wait);
                for (JsonNode record : read.records()) {
                    if (done(quietSince)) {
                        break;
                    }
                    print(record);
                    positions[i] = String.valueOf(record.get("offset").asLong() + 1);
                    any = true;
                }
                if (read.records().isEmpty()) {
                    positions[i] = String.valueOf(read.nextOffset());
                }
            }
            turn++;
            if (any) {
                quietSince = System.nanoTime();
            }
        }
    }

    private void readAsMember(BrokerHttp http, AtomicBoolean stopping) {
        String base = "/consumers/" + group;
        JsonNode created = http.post(base, "{\"auto.offset.reset\":" + BrokerHttp.quote(from) + "}");
        String member = base + "/instances/" + created.get("instance_id").asText();
        try {
            http.post(member + "/subscription", "{\"topics\":[" + BrokerHttp.quote(topic) + "]}");
            long quietSince = System.nanoTime();
            while (!stopping.get() && !done(quietSince)) {
                JsonNode records = http.get(member + "/records?timeout=500&max_records=500");
                List<String> commits = new ArrayList<>();
                for (JsonNode record : records) {
                    if (done(quietSince)) {
                        break;
                    }
                    print(record);
                    commits.add("{\"topic\":" + BrokerHttp.quote(record.get("topic").asText()) + ",\"partition\":"
                            + record.get("partition").asInt() + ",\"offset\":" + (record.get("offset").asLong() + 1) + "}");
                }
                if (!commits.isEmpty()) {
                    // commit what was printed, after printing it: at least once
                    http.post(member + "/offsets", "{\"offsets\":[" + String.join(",", commits) + "]}");
                    quietSince = System.nanoTime();
                }
            }
        } finally {
            try {
                http.send("DELETE", member, null); // leave, so the group rebalances now rather than after the session
            } catch (IllegalStateException gone) {
                // the broker stopped, or already dropped the member
            }
        }
    }

    private boolean done(long quietSince) {
        return (maxRecords != null && printed >= maxRecords)
                || (timeoutMs != null && System.nanoTime() - quietSince >= timeoutMs * 1_000_000L);
    }

    private void print(JsonNode record) {
        PrintStream out = Main.out();
        StringBuilder line = new StringBuilder();
        if (printOffset) {
            line.append(record.get("topic").asText()).append('-').append(record.get("partition").asInt()).append('@')
                    .append(record.get("offset").asLong()).append(' ');
        }
        if (printKey) {
            line.append(record.get("key").isNull() ? "null" : record.get("key").asText()).append('\t');
        }
        line.append(record.get("value").isNull() ? "null" : record.get("value").asText());
        out.println(line);
        printed++;
    }
}

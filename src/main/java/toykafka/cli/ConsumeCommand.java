package toykafka.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import toykafka.client.HttpConsumer;
import toykafka.client.HttpPartitionConsumer;
import toykafka.client.HttpTopics;
import toykafka.common.OffsetReset;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.lesson02.EventAt;
import toykafka.lesson05.ConsumerRecord;

/**
 * {@code toykafka consume TOPIC}: prints records as they arrive until Ctrl-C, as Kafka's
 * kafka-console-consumer.sh does. Alone it reads every partition from where {@code --from} says, with a
 * {@link HttpPartitionConsumer} for each; with {@code --group} it joins a consumer group as a
 * {@link HttpConsumer}, reads the partitions the group gives it, and commits after printing each batch,
 * so a restart goes on where it stopped.
 */
@Command(name = "consume", mixinStandardHelpOptions = true,
        description = {"Prints a topic's records as they arrive, until Ctrl-C.",
                "Example: ./toykafka consume orders --from earliest --print-key"})
final class ConsumeCommand extends ClientCommand.WithTopic {

    /** The most records one read returns, and the longest a read waits for some. */
    private static final int MAX_RECORDS = 500;
    private static final long WAIT_MS = 500;
    /** Kafka's default heartbeat.interval.ms: a member busy printing stays in its group. */
    private static final Duration HEARTBEATS = Duration.ofSeconds(3);
    /** How long Ctrl-C waits for the last read to end and the member to leave its group before the JVM stops. */
    private static final Duration LEAVING = Duration.ofSeconds(10);

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
    void talkTo(String address) {
        if (group != null && (partition != null || !(from.equals("earliest") || from.equals("latest")))) {
            throw new IllegalArgumentException("with --group, the group decides the partitions and starts where it"
                    + " committed: --from may be earliest or latest (for partitions it has no commit for), and"
                    + " --partition is not taken");
        }
        if (maxRecords != null && maxRecords < 1 || timeoutMs != null && timeoutMs < 0) {
            throw new IllegalArgumentException("--max-records must be 1 or more and --timeout-ms 0 or more");
        }
        // the hook waits while the member leaves its group: the others take its partitions now, not a session later
        try (StopOnShutdown ctrlC = new StopOnShutdown(LEAVING)) {
            if (group == null) {
                readPartitions(address, ctrlC);
            } else {
                readAsMember(address, ctrlC);
            }
        }
    }

    private void readPartitions(String address, StopOnShutdown ctrlC) {
        List<Integer> partitions = new ArrayList<>();
        if (partition != null) {
            partitions.add(partition);
        } else {
            int count = new HttpTopics(address).offsets(topic).size();
            for (int p = 0; p < count; p++) {
                partitions.add(p);
            }
        }
        List<HttpPartitionConsumer> readers = new ArrayList<>();
        partitions.forEach(p -> readers.add(reader(address, p)));
        long quietSince = System.nanoTime();
        int turn = 0;
        while (!ctrlC.stopping() && !done(quietSince)) {
            boolean any = false;
            for (int i = 0; i < readers.size() && !done(quietSince); i++) {
                // one partition waits a little at a time in turn, so a quiet partition holds up no other for long
                Duration wait = i == turn % readers.size() ? waitAtMost(quietSince) : Duration.ZERO;
                for (EventAt<Record> read : readers.get(i).poll(wait)) {
                    if (done(quietSince)) {
                        break;
                    }
                    print(new TopicPartition(topic, partitions.get(i)), read.offset(), read.event());
                    any = true;
                }
            }
            turn++;
            if (any) {
                quietSince = System.nanoTime();
            }
        }
    }

    /** A reader of one partition, starting where {@code --from} says: earliest, latest or an offset. */
    private HttpPartitionConsumer reader(String address, int p) {
        if (from.equals("earliest") || from.equals("latest")) {
            return new HttpPartitionConsumer(address, topic, p, reset(), MAX_RECORDS);
        }
        // no reset: an offset outside the partition is refused, not quietly moved
        HttpPartitionConsumer reader = new HttpPartitionConsumer(address, topic, p, OffsetReset.NONE, MAX_RECORDS);
        reader.seek(fromOffset());
        return reader;
    }

    private long fromOffset() {
        try {
            long offset = Long.parseLong(from);
            if (offset >= 0) {
                return offset;
            }
        } catch (NumberFormatException notANumber) {
            // refused below, as a negative number is
        }
        throw new IllegalArgumentException("--from takes earliest, latest or an offset (0 or more), was " + from);
    }

    private void readAsMember(String address, StopOnShutdown ctrlC) {
        // closing leaves the group, so the others take over its partitions now rather than after its session
        try (HttpConsumer member = new HttpConsumer(address, group, null, reset(), Set.of(topic), HEARTBEATS)) {
            long quietSince = System.nanoTime();
            while (!ctrlC.stopping() && !done(quietSince)) {
                // no more than is still to print: commitSync commits all that poll returned
                int most = maxRecords == null ? MAX_RECORDS : (int) Math.min(MAX_RECORDS, maxRecords - printed);
                List<ConsumerRecord> records = member.poll(waitAtMost(quietSince), most);
                records.forEach(record -> print(record.partition(), record.offset(), record.record()));
                if (!records.isEmpty()) {
                    member.commitSync(); // after printing: at least once
                    quietSince = System.nanoTime();
                }
            }
        }
    }

    private OffsetReset reset() {
        return from.equals("earliest") ? OffsetReset.EARLIEST : OffsetReset.LATEST;
    }

    /** How long a read may wait for records: half a second, or less if --timeout-ms runs out sooner. */
    private Duration waitAtMost(long quietSince) {
        long left = timeoutMs == null ? WAIT_MS : timeoutMs - (System.nanoTime() - quietSince) / 1_000_000;
        return Duration.ofMillis(Math.max(0, Math.min(WAIT_MS, left)));
    }

    private boolean done(long quietSince) {
        return (maxRecords != null && printed >= maxRecords)
                || (timeoutMs != null && System.nanoTime() - quietSince >= timeoutMs * 1_000_000L);
    }

    private void print(TopicPartition where, long offset, Record record) {
        PrintStream out = Main.out();
        StringBuilder line = new StringBuilder();
        if (printOffset) {
            line.append(where).append('@').append(offset).append(' ');
        }
        if (printKey) {
            line.append(String.valueOf(record.keyText())).append('\t');
        }
        line.append(String.valueOf(record.valueText()));
        out.println(line);
        printed++;
    }
}

package toykafka.lesson11;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;
import toykafka.broker.Broker;
import toykafka.common.CorruptRecordException;
import toykafka.common.Record;
import toykafka.lesson08.PartitionDirectory;
import toykafka.lesson08.SegmentReader;

/**
 * The broker's statistics topic as two tables: what each topic took in and gave out between snapshots,
 * and each group's committed offset and lag at every snapshot. The topic's segment files are read as
 * they lie, without opening the log, so a running broker can be looked at too.
 */
public final class BrokerStatsTables {

    /** Both tables; either may have no rows. */
    public record Stats(Table topics, Table groups) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private BrokerStatsTables() {
    }

    /** Reads the statistics a broker wrote into its data directory. */
    public static Stats read(Path brokerDataDir) {
        Path partition = PartitionDirectory.resolve(brokerDataDir, Broker.STATS_TOPIC, 0);
        if (!Files.isDirectory(partition)) {
            throw new IllegalArgumentException(brokerDataDir + " is not a broker's data directory: it has no "
                    + Broker.STATS_TOPIC + "-0 folder, where a broker keeps its statistics");
        }
        return fromSnapshots(snapshots(partition));
    }

    // tag::deltas[]
    /**
     * Turns snapshots into tables. A snapshot's counts run from the broker's start, so the work of one
     * interval is this snapshot's count less the one before; the first snapshot after a (re)start
     * (stat_number 1) is its own interval. A snapshot too large for one record comes in parts (part 1 of
     * parts, 2 of parts, ...), each with its own topics and groups, so they add up row by row.
     */
    static Stats fromSnapshots(List<JsonNode> snapshots) {
        TopicRows topicRows = new TopicRows();
        GroupRows groupRows = new GroupRows();
        Map<String, JsonNode> previous = new HashMap<>();
        for (JsonNode snapshot : snapshots) {
            Instant end = Instant.parse(snapshot.get("end").asText());
            double seconds = Math.max(0.001, Duration.between(Instant.parse(snapshot.get("start").asText()), end)
                    .toMillis() / 1000.0);
            if (snapshot.get("stat_number").asLong() == 1 && snapshot.path("part").asInt(1) == 1) {
                previous.clear();
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = snapshot.path("topics").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> topic = it.next();
                JsonNode before = previous.get(topic.getKey());
                topicRows.add(end, seconds, topic.getKey(), topic.getValue(), before);
                previous.put(topic.getKey(), topic.getValue());
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = snapshot.path("groups").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> group = it.next();
                group.getValue().path("partitions").fields().forEachRemaining(partition -> groupRows.add(end,
                        group.getKey(), partition.getKey(), partition.getValue()));
            }
        }
        return new Stats(topicRows.table(), groupRows.table());
    }
    // end::deltas[]

    /** Every snapshot in the partition, oldest first; a batch cut off at the end (a broker writing) ends the read. */
    static List<JsonNode> snapshots(Path partition) {
        List<JsonNode> snapshots = new ArrayList<>();
        try {
            for (long base : PartitionDirectory.segmentBaseOffsets(partition)) {
                Path file = partition.resolve(PartitionDirectory.fileName(base, "log"));
                try (FileChannel log = FileChannel.open(file, StandardOpenOption.READ)) {
                    SegmentReader reader = new SegmentReader(log::read, file.getFileName().toString(), 0, log.size());
                    while (reader.next()) {
                        for (Record record : reader.records()) {
                            snapshots.add(JSON.readTree(record.value()));
                        }
                    }
                } catch (CorruptRecordException unfinished) {
                    // the broker is still writing this batch, or crashed writing it: nothing after it is readable
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the statistics in " + partition + ": " + e.getMessage(), e);
        }
        return snapshots;
    }

    private static final class TopicRows {
        final InstantColumn time = InstantColumn.create("time");
        final StringColumn topic = StringColumn.create("topic");
        final DoubleColumn seconds = DoubleColumn.create("seconds");
        final List<LongColumn> counts = List.of(LongColumn.create("records_in"), LongColumn.create("bytes_in"),
                LongColumn.create("records_out"), LongColumn.create("bytes_out"), LongColumn.create("errors"));
        final DoubleColumn inPerSecond = DoubleColumn.create("records_in_per_s");
        final DoubleColumn outPerSecond = DoubleColumn.create("records_out_per_s");

        void add(Instant end, double interval, String name, JsonNode now, JsonNode before) {
            time.append(end);
            topic.append(name);
            seconds.append(interval);
            for (LongColumn count : counts) {
                long total = now.path(count.name()).asLong();
                count.append(before == null ? total : total - before.path(count.name()).asLong());
            }
            inPerSecond.append(counts.get(0).get(counts.get(0).size() - 1) / interval);
            outPerSecond.append(counts.get(2).get(counts.get(2).size() - 1) / interval);
        }

        Table table() {
            inPerSecond.setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(3));
            outPerSecond.setPrintFormatter(NumberColumnFormatter.fixedWithGrouping(3));
            Table table = Table.create("topic statistics", time, topic, seconds);
            counts.forEach(table::addColumns);
            return table.addColumns(inPerSecond, outPerSecond);
        }
    }

    private static final class GroupRows {
        final InstantColumn time = InstantColumn.create("time");
        final StringColumn group = StringColumn.create("group");
        final StringColumn partition = StringColumn.create("partition");
        final LongColumn committed = LongColumn.create("committed");
        final LongColumn lag = LongColumn.create("lag");

        void add(Instant end, String groupId, String topicPartition, JsonNode about) {
            time.append(end);
            group.append(groupId);
            partition.append(topicPartition);
            committed.append(about.path("committed").asLong());
            lag.append(about.path("lag").asLong());
        }

        Table table() {
            return Table.create("group lag", time, group, partition, committed, lag);
        }
    }
}

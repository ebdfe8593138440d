package toykafka.storage;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import toykafka.archive.Archive;
import toykafka.common.Record;
import toykafka.common.RecordMetadata;
import toykafka.common.TopicConfig;
import toykafka.lesson04.BrokerSettings;
import toykafka.lesson04.TopicRegistry;

/**
 * The child JVM of {@link TopicsKillDrillTest}: opens the topics in a data directory, changes them as its
 * cycle says, then appends for ever, printing "ack topic partition offset value" once each append returns.
 */
public final class TopicsKillDrillChild {

    static final Instant START = Instant.parse("2024-05-17T12:00:00Z");

    public static void main(String[] args) {
        Path dataDir = Path.of(args[0]);
        int cycle = Integer.parseInt(args[1]);
        TopicRegistry topics = new TopicRegistry(BrokerSettings.STRICT, Clock.systemUTC(),
                new FileLogStorage(dataDir, Clock.systemUTC(), Archive.discard()));
        if (cycle == 0) {
            topics.createTopic("orders", 3);
            topics.patchConfig("orders", Map.of(TopicConfig.FLUSH_MESSAGES, "1", TopicConfig.RETENTION_MS, "-1"));
            topics.createTopic("drinks", 1);
        } else if (cycle == 1) {
            topics.deleteTopic("drinks");
            topics.increasePartitions("orders", 4);
        }
        System.out.println("ready " + topics.listTopics());
        for (int seq = 0; ; seq++) {
            int partition = seq % topics.partitionsFor("orders");
            String value = cycle + "/" + seq;
            RecordMetadata acked = topics.append("orders", partition, Record.of("till", value, START));
            System.out.println("ack orders " + partition + " " + acked.offset() + " " + value);
        }
    }

    private TopicsKillDrillChild() {
    }
}

package toykafka.kafka;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import toykafka.broker.Broker;
import toykafka.broker.config.BrokerConfig;
import toykafka.lesson04.OnDuplicate;

/**
 * The process {@link KafkaCrashDrillTest} kills: the broker with its Kafka front end, as {@code toykafka
 * broker} starts them, fsyncing every append before it is acknowledged ({@code log.flush.interval.messages=1}),
 * on a free port while advertising the test's proxy. On its first start it creates the drill's topic.
 * Once it serves it prints {@code listening <port> ends <end offset of partition 0> <of partition 1> ...}:
 * what recovery kept, so the test can tell an acknowledgement of a batch written before the kill (a retry the
 * restarted broker recognised) from one of a batch written after. Its faults go to standard error; it runs
 * until killed.
 *
 * <p>Arguments: the data directory, the topic, its partition count, the port to advertise.
 */
public final class KafkaCrashDrillChild {

    private KafkaCrashDrillChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        String topic = args[1];
        int partitions = Integer.parseInt(args[2]);
        BrokerConfig config = BrokerConfig.of(Map.of(
                BrokerConfig.HTTP_PORT, "0",
                BrokerConfig.KAFKA_PORT, "0",
                BrokerConfig.ADVERTISED_PORT, args[3],
                BrokerConfig.FLUSH_MESSAGES, "1",
                BrokerConfig.AUTO_CREATE_TOPICS, "false",
                BrokerConfig.STATS_INTERVAL_MS, "0",
                // members heartbeat often, so a drill that waits for a heartbeat after a restart waits little
                BrokerConfig.GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, "500",
                BrokerConfig.GROUP_SHARE_HEARTBEAT_INTERVAL_MS, "500")).with(BrokerConfig.DATA_DIR, dataDir);
        Broker broker = Broker.start(config, Clock.systemUTC(), event -> { });
        if (!broker.listTopics().contains(topic)) {
            broker.createTopic(topic, partitions, Map.of(), OnDuplicate.FAIL);
        }
        KafkaFrontEnd kafka = KafkaFrontEnd.start(broker, false, System.err);
        String ends = broker.describeTopic(topic).partitions().stream()
                .map(partition -> String.valueOf(partition.endOffset())).collect(Collectors.joining(" "));
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        out.println("listening " + kafka.port() + " ends " + ends);
        new CountDownLatch(1).await(); // until SIGKILL: no shutdown hook, no clean close
    }
}

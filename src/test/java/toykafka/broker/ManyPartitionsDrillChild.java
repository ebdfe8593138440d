package toykafka.broker;

import java.nio.file.Path;
import java.util.List;

/**
 * The child JVM of {@link ManyPartitionsDrillTest}: starts the broker on a data directory, appends one more
 * record to every partition of the given topics, prints "acked N" once every append has returned, then waits
 * for the test to kill it. Nothing is closed: the kill is the point.
 */
public final class ManyPartitionsDrillChild {

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        List<String> topics = List.of(args[1].split(","));
        Broker broker = ManyPartitionsDrillTest.start(dataDir);
        int acked = 0;
        for (String topic : topics) {
            for (int p = 0; p < ManyPartitionsDrillTest.PER_TOPIC; p++) {
                ManyPartitionsDrillTest.produce(broker, topic, p, ManyPartitionsDrillTest.secondValue(topic, p));
                acked++;
            }
        }
        System.out.println("acked " + acked);
        System.out.flush();
        System.in.read(); // the test kills this JVM while it waits here
    }

    private ManyPartitionsDrillChild() {
    }
}

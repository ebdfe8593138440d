package toykafka.restproxy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import toykafka.broker.Broker;
import toykafka.broker.Partitions;
import toykafka.common.Record;
import toykafka.lesson05.ConsumerRecord;

/**
 * REST Proxy's consumer instances for each test over the broker the suite declares with
 * {@link toykafka.testing.StartedBroker}, its settings and clock its own, and no HTTP in between: the
 * instances' own rules, tested without the front end. They are closed after the test, before the broker stops.
 */
abstract class InstancesPerTest {

    ConsumerInstances instances;

    @BeforeEach
    final void startInstances(Broker broker) {
        instances = ConsumerInstances.start(broker);
    }

    @AfterEach
    final void stopInstances() {
        instances.close();
    }

    /** Appends {@code count} records, "order 0" on, to partition {@code partition} of orders. */
    static void appendOrders(Broker broker, int partition, int count) {
        List<Partitions.ProduceRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(new Partitions.ProduceRecord(partition, Record.of(null, "order " + i, Instant.EPOCH)));
        }
        broker.partitions().appendRecords("orders", records);
    }

    /** The offsets one poll of a group's instance reads, without waiting. */
    List<Long> polledOffsets(String group, String instance, int max) {
        return instances.poll(group, instance, max, Duration.ZERO).stream().map(ConsumerRecord::offset).toList();
    }
}

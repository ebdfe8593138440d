package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.config.BrokerConfig;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * Kafka Streams 4.4 on our broker, beyond a word count: {@link StreamsOrderTotals} joins orders with a table of
 * customers and sums them by region in a state store. Two instances at {@code exactly_once_v2}; one is killed with
 * SIGKILL after the first half of the orders. A {@code read_committed} reader of the totals then sees, for each
 * region, a running sum whose steps are exactly that region's orders, each once: nothing lost to the kill, nothing
 * counted twice by the survivor that rebuilt the store from its changelog. With the classic group protocol and with
 * the streams group protocol.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StreamsJoinAggregateTest {

    /**
     * Streams' producers time out after 5 s; the broker looks for them every half second. A streams group's member is
     * fenced after 6 s of silence, not Kafka's 45 s, as the classic protocol's are (see {@link StreamsApp}), so a
     * killed instance's tasks move as soon on either protocol.
     */
    @StartedBroker(value = FrontEnd.KAFKA, settings = {
            @StartedBroker.Setting(name = BrokerConfig.TRANSACTION_ABORT_INTERVAL_MS, value = "500"),
            @StartedBroker.Setting(name = BrokerConfig.GROUP_STREAMS_SESSION_TIMEOUT_MS, value = "6000"),
            @StartedBroker.Setting(name = BrokerConfig.GROUP_STREAMS_HEARTBEAT_INTERVAL_MS, value = "1000")})
    static RunningBroker broker;

    private static final List<String> REGIONS = List.of("east", "north", "south");
    private static final int CUSTOMERS = 12;
    private static final int ORDERS_BEFORE_THE_KILL = 300;
    private static final int ORDERS_AFTER_THE_KILL = 300;
    /** A bound on a hang, not a figure: a run ends when every total has arrived. */
    private static final Duration LIMIT = Duration.ofMinutes(4);

    @TempDir
    Path state;

    @Test
    void a_join_and_a_sum_in_a_store_at_exactly_once_v2_count_each_order_once_though_an_instance_is_killed()
            throws Exception {
        sumsEachOrderOnce("classic", "totals-classic");
    }

    /**
     * The same app with KIP-1071's streams group protocol: the broker makes the table's, the regrouping's and the
     * store's topics and assigns the tasks, and hands the killed member's tasks on when its session (6 s here) runs
     * out.
     */
    @Test
    void with_group_protocol_streams_the_join_and_the_sum_count_each_order_once_though_an_instance_is_killed()
            throws Exception {
        sumsEachOrderOnce("streams", "totals-streams");
    }

    private void sumsEachOrderOnce(String groupProtocol, String app) throws Exception {
        String customers = app + "-customers";
        String orders = app + "-orders";
        String totals = app + "-totals";
        for (String topic : List.of(customers, orders, totals)) {
            broker.broker().createTopic(topic, 4, Map.of(), OnDuplicate.FAIL);
        }
        try (KafkaProducer<String, String> regions = producer(new StringSerializer())) {
            for (int customer = 0; customer < CUSTOMERS; customer++) {
                regions.send(new ProducerRecord<>(customers, "customer-" + customer, regionOf(customer)));
            }
        }
        try (ChildProcess.Running first = start(groupProtocol, app, "first", customers, orders, totals);
             ChildProcess.Running second = start(groupProtocol, app, "second", customers, orders, totals);
             Totals seen = new Totals(totals)) {
            first.awaitLine("state RUNNING", LIMIT);
            second.awaitLine("state RUNNING", LIMIT);
            Map<String, List<Long>> expected = new TreeMap<>();
            sendOrders(orders, 0, ORDERS_BEFORE_THE_KILL, expected);
            seen.awaitSteps(ORDERS_BEFORE_THE_KILL / 2, first, second);
            second.kill();
            sendOrders(orders, ORDERS_BEFORE_THE_KILL, ORDERS_AFTER_THE_KILL, expected);
            seen.awaitSums(expected, first);

            expected.forEach((region, amounts) -> assertEquals(sorted(amounts), sorted(seen.steps(region)),
                    region + ": each step of the sum is one of the region's orders, and every order is one step"));
        }
    }

    private static String regionOf(int customer) {
        return REGIONS.get(customer % REGIONS.size());
    }

    /** Orders {@code from} to {@code from + count}: order i is customer i % 12's, of 1 to 97 cents. */
    private static void sendOrders(String topic, int from, int count, Map<String, List<Long>> expected) {
        try (KafkaProducer<String, Long> producer = producer(new LongSerializer())) {
            for (int i = from; i < from + count; i++) {
                long cents = 1 + (i * 37L) % 97;
                int customer = i % CUSTOMERS;
                producer.send(new ProducerRecord<>(topic, "customer-" + customer, cents));
                expected.computeIfAbsent(regionOf(customer), r -> new ArrayList<>()).add(cents);
            }
        }
    }

    private static <V> KafkaProducer<String, V> producer(org.apache.kafka.common.serialization.Serializer<V> values) {
        Properties config = new Properties();
        config.put("bootstrap.servers", broker.bootstrapServers());
        config.put("linger.ms", "5");
        return new KafkaProducer<>(config, new StringSerializer(), values);
    }

    private ChildProcess.Running start(String groupProtocol, String app, String instance, String customers,
                                       String orders, String totals) {
        return ChildJvm.start(ChildJvm.testClassPath(), StreamsOrderTotals.class.getName(), List.of(
                broker.bootstrapServers(), "exactly_once_v2", groupProtocol, app, app + "-" + instance,
                state.resolve(instance).toString(), customers, orders, totals));
    }

    private static List<Long> sorted(List<Long> values) {
        return values.stream().sorted().toList();
    }

    /** The output read from its start, read_committed: each region's totals in the order they came. */
    private static final class Totals implements AutoCloseable {
        private final StreamsOutput output;

        Totals(String topic) {
            output = new StreamsOutput(broker.bootstrapServers(), topic, "read_committed");
        }

        /** The differences between a region's successive totals: the orders the sum took, in its order. */
        List<Long> steps(String region) {
            List<Long> steps = new ArrayList<>();
            long before = 0;
            for (long total : output.of(region)) {
                steps.add(total - before);
                before = total;
            }
            return steps;
        }

        void awaitSteps(int wanted, ChildProcess.Running... instances) {
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (output.records() < wanted) {
                poll(deadline, instances);
            }
        }

        /** Reads until each region's latest total is the sum of its orders. */
        void awaitSums(Map<String, List<Long>> expected, ChildProcess.Running... instances) {
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (!expected.entrySet().stream().allMatch(region -> {
                List<Long> totals = output.of(region.getKey());
                long sum = region.getValue().stream().mapToLong(Long::longValue).sum();
                return !totals.isEmpty() && totals.get(totals.size() - 1) == sum;
            })) {
                poll(deadline, instances);
            }
        }

        private void poll(long deadline, ChildProcess.Running... instances) {
            output.poll();
            StreamsOutput.failPast(deadline, () -> "the totals did not arrive: " + output.records() + " read, by region "
                    + output.byKey, instances);
        }

        @Override
        public void close() {
            output.close();
        }
    }
}

package toykafka.lesson14;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.Broker;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * The tills stamp their orders with the shop's opening time, years ago, and retention judges a record's age by
 * its timestamp. A broker's retention check runs on a schedule of its own, so it may come between a till's send
 * and the poll of the cook that owns the partition; on Apache Kafka it once did, and took an order no cook had
 * read. Here a retention pass runs at exactly that moment, on our broker, whose retention follows Kafka's rule.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KitchenOrdersOutliveRetentionTest {

    private static final Duration PATIENCE = Duration.ofMinutes(2);

    @StartedBroker(FrontEnd.KAFKA)
    RunningBroker broker;

    @Test
    void a_retention_check_between_the_tills_and_the_cooks_deletes_no_order() throws Exception {
        String bootstrap = broker.bootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
             KafkaProducer<String, String> tills = Lesson14Demo.producer(bootstrap);
             Kitchen kitchen = new Kitchen(bootstrap, admin, Lesson14Demo.GROUP, Lesson14Demo.TOPIC, PATIENCE)) {
            Lesson14Demo.createOrders(admin, bootstrap, PATIENCE);
            kitchen.hire("cook-1");
            kitchen.settle(1);
            Set<String> sent = new TreeSet<>();
            for (int partition = 0; partition < Lesson14Demo.PARTITIONS; partition++) {
                tills.send(Lesson14Demo.order(1, partition)).get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                sent.add(partition + "@0");
            }

            broker.broker().jobs().applyRetention();

            for (int partition = 0; partition < Lesson14Demo.PARTITIONS; partition++) {
                assertEquals(new Broker.PartitionInfo(partition, 0, 1),
                        broker.broker().describePartition(Lesson14Demo.TOPIC, partition),
                        "orders-" + partition + " keeps its order through retention");
            }
            kitchen.cookUntil(Lesson14Demo.PARTITIONS);
            assertEquals(sent, kitchen.cooked, "cook-1 cooked every order the tills sent");
        }
    }
}

package toykafka.restproxy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import toykafka.broker.Broker;

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
}

package toykafka.kafka;

import toykafka.broker.Broker;

/** An API answered by asking the broker: its partitions, its coordinators, its topics and configs. */
abstract class BrokerApi extends Api {

    protected final Broker broker;

    protected BrokerApi(Broker broker, int key, String name, int minVersion, int maxVersion, int firstFlexibleVersion) {
        super(key, name, minVersion, maxVersion, firstFlexibleVersion);
        this.broker = broker;
    }
}

package toykafka.broker;

import toykafka.broker.config.BrokerConfig;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The broker's contract on {@link Partitions} when every partition is a log in memory (storage=memory). */
class BrokerContractInMemoryTest extends BrokerContractInProcessTest {

    @Override
    protected DataApi open(Path dataDir, Map<String, String> settings) {
        Map<String, String> inMemory = new HashMap<>(settings);
        inMemory.put(BrokerConfig.STORAGE, "memory");
        return super.open(dataDir, inMemory);
    }
}

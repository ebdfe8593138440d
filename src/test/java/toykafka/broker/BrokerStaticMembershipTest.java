package toykafka.broker;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.group.base.GroupConfig;
import toykafka.broker.group.GroupProtocol;
import toykafka.broker.group.StaticMembershipContract;

/** Static membership's contract against the broker's own coordinator, with its settings from the broker config. */
class BrokerStaticMembershipTest extends StaticMembershipContract {

    @TempDir
    Path dataDir;

    @Override
    protected GroupProtocol open(GroupConfig group) {
        return BrokerGroupProtocolTest.onBroker(group, dataDir);
    }
}

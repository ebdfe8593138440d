package toykafka.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.group.base.DescribedGroup;
import toykafka.broker.group.base.GroupConfig;
import toykafka.broker.group.GroupProtocol;
import toykafka.broker.group.GroupProtocolContract;
import toykafka.broker.group.base.GroupState;
import toykafka.broker.group.classic.HeartbeatRequest;
import toykafka.broker.group.classic.JoinGroupRequest;
import toykafka.broker.group.classic.JoinGroupResponse;
import toykafka.broker.group.classic.LeaveGroupResponse;
import toykafka.broker.group.classic.LeavingMember;
import toykafka.broker.group.base.ListedGroup;
import toykafka.broker.group.base.OffsetCommitRequest;
import toykafka.broker.group.base.OffsetFetchResponse;
import toykafka.broker.group.classic.SyncGroupRequest;
import toykafka.broker.group.classic.SyncGroupResponse;
import toykafka.clock.ManualClock;
import toykafka.common.Errors;

/**
 * The group protocol's contract against the broker's own coordinator: its group settings from the broker
 * config, its commits in {@code __consumer_offsets}, and a restart that replays them from the topic.
 */
class BrokerGroupProtocolTest extends GroupProtocolContract {

    @TempDir
    Path dataDir;

    // started here, not by StartedBroker: the contract opens the broker when a test asks, with group settings the test picks
    @Override
    protected GroupProtocol open(GroupConfig group) {
        return onBroker(group, dataDir);
    }

    static GroupProtocol onBroker(GroupConfig group, Path dataDir) {
        BrokerConfig config = BrokerConfig.of(Map.of(BrokerConfig.STATS_INTERVAL_MS, "0",
                BrokerConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, String.valueOf(group.initialRebalanceDelay().toMillis()),
                BrokerConfig.GROUP_MIN_SESSION_TIMEOUT_MS, String.valueOf(group.minSessionTimeout().toMillis()),
                BrokerConfig.GROUP_MAX_SESSION_TIMEOUT_MS, String.valueOf(group.maxSessionTimeout().toMillis())))
                .with(BrokerConfig.DATA_DIR, dataDir);
        return new OnBroker(config);
    }

    /** The broker's coordinator, called in process, on a clock the test moves. */
    static final class OnBroker implements GroupProtocol {
        private final BrokerConfig config;
        private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        private Broker broker;

        OnBroker(BrokerConfig config) {
            this.config = config;
            this.broker = Broker.start(config, clock, event -> { });
        }

        @Override
        public CompletableFuture<JoinGroupResponse> join(JoinGroupRequest request) {
            return broker.groupCoordinator().joinGroup(request);
        }

        @Override
        public CompletableFuture<SyncGroupResponse> sync(SyncGroupRequest request) {
            return broker.groupCoordinator().syncGroup(request);
        }

        @Override
        public Errors heartbeat(HeartbeatRequest request) {
            return broker.groupCoordinator().heartbeat(request);
        }

        @Override
        public LeaveGroupResponse leaveMembers(String groupId, List<LeavingMember> members) {
            return broker.groupCoordinator().leaveGroup(groupId, members);
        }

        @Override
        public Errors commit(OffsetCommitRequest request) {
            return broker.groupCoordinator().commitOffsets(request);
        }

        @Override
        public OffsetFetchResponse fetch(String groupId) {
            return broker.groupCoordinator().fetchOffsets(groupId, null);
        }

        @Override
        public DescribedGroup describe(String groupId) {
            return broker.groupCoordinator().describeGroup(groupId);
        }

        @Override
        public List<ListedGroup> list(Set<GroupState> states) {
            return broker.groupCoordinator().listGroups(states.stream().map(GroupState::kafkaName).collect(java.util.stream.Collectors.toSet()), Set.of());
        }

        @Override
        public void advance(Duration time) {
            clock.advance(time);
            broker.tickGroups();
        }

        @Override
        public void restart() {
            broker.close();
            broker = Broker.start(config, clock, event -> { });
        }

        @Override
        public void close() {
            broker.close();
        }
    }
}

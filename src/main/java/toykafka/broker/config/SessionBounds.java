package toykafka.broker.config;

import static toykafka.broker.config.BrokerConfig.GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS;
import static toykafka.broker.config.BrokerConfig.GROUP_CONSUMER_SESSION_TIMEOUT_MS;
import static toykafka.broker.config.BrokerConfig.GROUP_MAX_SESSION_TIMEOUT_MS;
import static toykafka.broker.config.BrokerConfig.GROUP_MIN_SESSION_TIMEOUT_MS;
import static toykafka.broker.config.BrokerConfig.GROUP_SHARE_HEARTBEAT_INTERVAL_MS;
import static toykafka.broker.config.BrokerConfig.GROUP_SHARE_SESSION_TIMEOUT_MS;
import static toykafka.broker.config.BrokerConfig.GROUP_STREAMS_HEARTBEAT_INTERVAL_MS;
import static toykafka.broker.config.BrokerConfig.GROUP_STREAMS_SESSION_TIMEOUT_MS;

import java.util.Map;
import toykafka.common.InvalidConfigurationException;

/**
 * The broker's rules that span two settings: the session timeouts a group allows form a range, and each kind of
 * group's members heartbeat more often than their session runs out, as Kafka's GroupCoordinatorConfig requires.
 */
final class SessionBounds {

    private SessionBounds() {
    }

    /** Refuses a whole set of values, at start or after one changed, that breaks either rule. */
    static void check(Map<String, String> values) {
        long min = Long.parseLong(values.get(GROUP_MIN_SESSION_TIMEOUT_MS));
        long max = Long.parseLong(values.get(GROUP_MAX_SESSION_TIMEOUT_MS));
        if (min > max) {
            throw new InvalidConfigurationException(GROUP_MIN_SESSION_TIMEOUT_MS + " (" + min + ") must not be more"
                    + " than " + GROUP_MAX_SESSION_TIMEOUT_MS + " (" + max + ")");
        }
        checkHeartbeatWithinSession(values, GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, GROUP_CONSUMER_SESSION_TIMEOUT_MS);
        checkHeartbeatWithinSession(values, GROUP_STREAMS_HEARTBEAT_INTERVAL_MS, GROUP_STREAMS_SESSION_TIMEOUT_MS);
        checkHeartbeatWithinSession(values, GROUP_SHARE_HEARTBEAT_INTERVAL_MS, GROUP_SHARE_SESSION_TIMEOUT_MS);
    }

    private static void checkHeartbeatWithinSession(Map<String, String> values, String heartbeat, String session) {
        long interval = Long.parseLong(values.get(heartbeat));
        long timeout = Long.parseLong(values.get(session));
        if (interval >= timeout) {
            throw new InvalidConfigurationException(heartbeat + " (" + interval + ") must be less than " + session
                    + " (" + timeout + "): from 1 to " + (timeout - 1) + " ms");
        }
    }
}

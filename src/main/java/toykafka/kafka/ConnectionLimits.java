package toykafka.kafka;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import toykafka.broker.config.BrokerConfig;

/**
 * {@code max.connections}, {@code max.connections.per.ip} and its overrides: Kafka's dynamic broker configs, so
 * the listener takes a new set when they change, for connections accepted after the change.
 */
record ConnectionLimits(int maxConnections, int maxConnectionsPerIp, Map<InetAddress, Integer> perIpOverrides) {

    static ConnectionLimits of(BrokerConfig config) {
        return new ConnectionLimits(config.maxConnections(), config.maxConnectionsPerIp(),
                addresses(config.maxConnectionsPerIpOverrides()));
    }

    /** The connections {@code address} may hold. */
    int maxConnectionsFrom(InetAddress address) {
        return perIpOverrides.getOrDefault(address, maxConnectionsPerIp);
    }

    /**
     * The overrides by address, as Kafka resolves them: each host name looked up once, when the listener starts
     * or the setting changes (a change naming a host that does not resolve is refused before it is made).
     */
    private static Map<InetAddress, Integer> addresses(Map<String, Integer> overrides) {
        Map<InetAddress, Integer> byAddress = new HashMap<>();
        for (Map.Entry<String, Integer> override : overrides.entrySet()) {
            try {
                byAddress.put(InetAddress.getByName(override.getKey()), override.getValue());
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("cannot look up the host '" + override.getKey() + "' of "
                        + BrokerConfig.MAX_CONNECTIONS_PER_IP_OVERRIDES + ": " + e.getMessage(), e);
            }
        }
        return Map.copyOf(byAddress);
    }
}

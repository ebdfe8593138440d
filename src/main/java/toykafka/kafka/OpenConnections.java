package toykafka.kafka;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The front end's open connections, as its selector thread keeps them (the counts may be read from any thread): how
 * many, how many from each address (for {@code max.connections.per.ip}), those a quota throttles until their time
 * passes, and those whose TLS layer holds bytes no selection will announce. Kafka's {@code Processor} keeps the same.
 */
final class OpenConnections {

    private final Set<Connection> open = new HashSet<>();
    /** Connections that went over a quota and read nothing until their throttle time passes. */
    private final Set<Connection> throttled = new HashSet<>();
    private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private volatile int count;

    void add(Connection connection) {
        open.add(connection);
        perAddress.merge(connection.address(), 1, Integer::sum);
        count = open.size();
    }

    /** Forgets a connection; whether it was open. */
    boolean remove(Connection connection) {
        boolean removed = open.remove(connection);
        if (removed) {
            perAddress.computeIfPresent(connection.address(), (address, held) -> held == 1 ? null : held - 1);
        }
        count = open.size();
        return removed;
    }

    boolean contains(Connection connection) {
        return open.contains(connection);
    }

    /** How many are open; safe from any thread. */
    int count() {
        return count;
    }

    /** How many are open from one address; safe from any thread. */
    int from(InetAddress address) {
        return perAddress.getOrDefault(address, 0);
    }

    /** Every open connection, as it is now: the caller may close some as it goes. */
    List<Connection> all() {
        return List.copyOf(open);
    }

    /** Connections whose TLS layer holds bytes to read that no selection will announce. */
    List<Connection> withBufferedReads() {
        return open.stream().filter(Connection::hasBufferedReads).toList();
    }

    /** A connection that went over a quota: it is woken when its throttle time passes. */
    void throttled(Connection connection) {
        throttled.add(connection);
    }

    /** How long the selector may wait: {@code mostMs}, or less when a throttle ends sooner. */
    long untilNextThrottleEnds(long mostMs) {
        long now = System.nanoTime();
        long wait = mostMs;
        for (Connection connection : throttled) {
            var until = connection.throttledUntil(now);
            wait = Math.min(wait, until.isPresent() ? TimeUnit.NANOSECONDS.toMillis(until.getAsLong() - now) + 1 : 1);
        }
        return Math.max(wait, 1);
    }

    /** Connections whose throttle time passed read again; closed ones are forgotten. */
    void endThrottles() {
        if (throttled.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        throttled.removeIf(connection -> {
            if (!open.contains(connection)) {
                return true;
            }
            if (connection.throttledUntil(now).isPresent()) {
                return false;
            }
            connection.endThrottle(now);
            return true;
        });
    }
}

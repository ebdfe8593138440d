package toykafka.kafka;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import toykafka.broker.config.BrokerConfig;

/**
 * Which connections the Kafka front end closes without being asked, and why: Kafka's idle expiry
 * ({@code connections.max.idle.ms}, counted from a connection's last read or write, whether or not an answer
 * is waiting to go out), and this broker's rules against clients that hold what others need:
 * <ul>
 * <li>a connection that sends no whole request within {@code request.arrival.timeout.ms} of connecting;</li>
 * <li>a large frame that holds memory others wait for and does not arrive whole within that time;</li>
 * <li>an answer in the heap its client takes nothing of within that time, while the requests and answers held
 *     pass {@code queued.max.request.bytes} or others wait for memory;</li>
 * <li>when every one of {@code max.connections} is taken, the connection idle longest, if it has been idle that
 *     long too, makes room for the new one; one that only ever sent ApiVersions goes before one that worked.
 *     Kafka reclaims the least recently used connection so only for its inter-broker listener (KIP-402), and
 *     otherwise makes a new connection wait.</li>
 * </ul>
 * Only the selector thread uses it.
 */
record ConnectionTimeouts(long idleMs, long arrivalMs, long queuedMaxRequestBytes, boolean trace) {

    /** Why a connection is closed, and how loudly: some reasons a flood could repeat are logged at most so often. */
    record Closing(String why, boolean throttled) {
    }

    /** How often the connections are looked over: a tenth of the shorter timeout, within 10 ms and 1 s. */
    long checkEveryMs() {
        return Math.max(10, Math.min(1_000, Math.min(idleMs, arrivalMs) / 10));
    }

    /** The connections to close now, each with why ({@link #check}). */
    Map<Connection, Closing> toClose(Collection<Connection> connections, long now, boolean othersWait,
                                     boolean overBound) {
        Map<Connection, Closing> closing = new LinkedHashMap<>();
        for (Connection connection : connections) {
            Closing why = check(connection, now, othersWait, overBound);
            if (why != null) {
                closing.put(connection, why);
            }
        }
        return closing;
    }

    /**
     * Why {@code connection} is to be closed now, or null to keep it. A null {@code why} in the answer closes it
     * without a line in the log (an idle connection, unless tracing).
     *
     * @param othersWait  whether some connection waits for request memory
     * @param overBound   whether the requests and answers held pass queued.max.request.bytes
     */
    Closing check(Connection connection, long now, boolean othersWait, boolean overBound) {
        long quiet = now - connection.lastActiveNanos();
        return switch (connection.state()) {
            case READING -> {
                if (quiet > idleNanos()) {
                    yield new Closing(trace ? "idle for connections.max.idle.ms=" + idleMs : null, false);
                } else if (!connection.spoken() && now - connection.openedNanos() > arrivalNanos()) {
                    yield new Closing("no whole request within " + BrokerConfig.REQUEST_ARRIVAL_TIMEOUT_MS + "="
                            + arrivalMs + " of connecting", true);
                } else if (othersWait && connection.grantedSince().isPresent()
                        && now - connection.grantedSince().getAsLong() > arrivalNanos()) {
                    yield new Closing("a request of which " + connection.holding() + " bytes are held did not arrive"
                            + " whole within " + BrokerConfig.REQUEST_ARRIVAL_TIMEOUT_MS + "=" + arrivalMs
                            + " while other requests waited for that memory", false);
                }
                yield null;
            }
            case WRITING -> {
                if (quiet > idleNanos()) {
                    yield new Closing(trace ? "its client took nothing of its answer for connections.max.idle.ms="
                            + idleMs : null, false);
                } else if ((othersWait || overBound) && connection.answerBytes() > 0 && quiet > arrivalNanos()) {
                    yield new Closing("its client took nothing of a " + connection.answerBytes() + "-byte answer"
                            + " within " + BrokerConfig.REQUEST_ARRIVAL_TIMEOUT_MS + "=" + arrivalMs + " while the"
                            + " broker held more than " + BrokerConfig.QUEUED_MAX_REQUEST_BYTES + "="
                            + queuedMaxRequestBytes + " bytes of requests and answers, or others waited for memory",
                            true);
                }
                yield null;
            }
            default -> null; // a request being handled: a long poll may rightly wait
        };
    }

    /**
     * The connection to close so a new one fits when all of max.connections are taken: the one idle longest
     * among those reading and idle for request.arrival.timeout.ms or more, one that only sent ApiVersions
     * first; or null when none has been idle that long.
     */
    Connection toReclaim(Collection<Connection> connections, long now) {
        return connections.stream()
                .filter(c -> c.state() == Connection.State.READING && now - c.lastActiveNanos() > arrivalNanos())
                .min(Comparator.comparing(Connection::worked).thenComparingLong(Connection::lastActiveNanos))
                .orElse(null);
    }

    /** The timeouts in the selector's clock, {@link System#nanoTime}. */
    private long idleNanos() {
        return TimeUnit.MILLISECONDS.toNanos(idleMs);
    }

    private long arrivalNanos() {
        return TimeUnit.MILLISECONDS.toNanos(arrivalMs);
    }
}

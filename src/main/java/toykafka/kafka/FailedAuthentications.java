package toykafka.kafka;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Connections whose SASL authentication failed, held as Kafka's {@code Selector} holds them
 * ({@code DelayedAuthenticationFailureClose}): the answer that says so, if any, and the close after it wait {@code
 * connection.failed.authentication.delay.ms}, so a client guessing passwords learns each verdict no sooner. A held
 * connection reads nothing (its request is still in hand) and holds no thread: the selector serves the others and
 * carries each out when it is due. Kept by the selector thread alone.
 */
final class FailedAuthentications {

    /** A failed connection waiting out the delay, with the answer to send then; null for none, only the close. */
    record Held(Connection connection, List<ProtocolWriter.Part> answer, long dueNanos) {
    }

    private final long delayNanos;
    /** In the order they are due: every one waits the same delay. */
    private final ArrayDeque<Held> held = new ArrayDeque<>();

    FailedAuthentications(long delayMs) {
        this.delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMs);
    }

    /** Holds a failed connection's answer and close until the delay passes; false if there is no delay. */
    boolean hold(Connection connection, List<ProtocolWriter.Part> answer, long nowNanos) {
        if (delayNanos <= 0) {
            return false;
        }
        held.add(new Held(connection, answer, nowNanos + delayNanos));
        return true;
    }

    /** How long the selector may wait: {@code mostMs}, or less when a held connection is due sooner. */
    long untilNextDue(long mostMs, long nowNanos) {
        Held first = held.peek();
        return first == null ? mostMs
                : Math.max(1, Math.min(mostMs, TimeUnit.NANOSECONDS.toMillis(first.dueNanos() - nowNanos) + 1));
    }

    /** Those whose delay has passed, taken out: to be answered and closed now. */
    List<Held> due(long nowNanos) {
        List<Held> due = new ArrayList<>();
        while (!held.isEmpty() && held.peek().dueNanos() - nowNanos <= 0) {
            due.add(held.poll());
        }
        return due;
    }
}

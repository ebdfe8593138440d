package toykafka.broker.quota;

/**
 * Kafka's {@code TokenBucket} stat, which its controller mutation quota measures with: a bucket of up to {@code
 * burst} tokens (the quota times {@code quota.window.num} windows of {@code quota.window.size.seconds}), refilled at
 * the quota's rate per second. Recording takes tokens out and may leave the bucket below zero, a debt the refill pays
 * back. A new bucket is full: it starts empty at time 0, as Kafka's does, and the first refill fills it.
 * Not thread-safe: its manager holds the lock.
 */
final class TokenBucket {

    private double tokens;
    private long lastUpdateMs;

    /** The tokens left at {@code nowMs}, below zero while the client owes. */
    double measure(double quota, double burst, long nowMs) {
        refill(quota, burst, nowMs);
        return tokens;
    }

    void record(double quota, double burst, double value, long nowMs) {
        refill(quota, burst, nowMs);
        tokens = Math.min(burst, tokens - value);
    }

    /** When the bucket was last refilled, which is when it was last read or recorded to. */
    long lastUpdateMs() {
        return lastUpdateMs;
    }

    private void refill(double quota, double burst, long nowMs) {
        tokens = Math.min(burst, tokens + quota * (nowMs - lastUpdateMs) / 1000.0);
        lastUpdateMs = nowMs;
    }
}

package toykafka.broker.quota;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Holds each client to its {@code controller_mutation_rate}: the partitions it may create or delete per second, taken
 * from a token bucket (Kafka's {@code ControllerMutationQuotaManager}). The bucket holds the quota times {@code
 * quota.window.num} windows of {@code quota.window.size.seconds}, so a client may burst that many partitions at once
 * and then owes what it took beyond them. The quota that applies, and which clients share a bucket, follow {@link
 * ClientQuotaManager}'s order. CreateTopics, DeleteTopics and CreatePartitions each ask for a {@link
 * ControllerMutationQuota} per request: strict from the version that knows THROTTLING_QUOTA_EXCEEDED (a topic the
 * empty bucket cannot pay for is refused), permissive before it (done, then throttled).
 */
public final class ControllerMutationQuotaManager {

    /** How long a client's bucket is kept after its last use: Kafka's inactive sensor expiry. */
    private static final long INACTIVE_SENSOR_EXPIRATION_MS = 3_600_000;

    /** One client's bucket and the quota it refills at for this request: Kafka's quota sensor and its metric config. */
    static final class QuotaSensor {
        private final TokenBucket bucket;
        private final double quota;
        private final double burst;

        QuotaSensor(TokenBucket bucket, double quota, double burst) {
            this.bucket = bucket;
            this.quota = quota;
            this.burst = burst;
        }

        /**
         * Throws when the bucket is empty at {@code nowMs} (Kafka's {@code Sensor.checkQuotas}): below zero tokens
         * the client owes, and must wait for the refill to pay the debt back.
         */
        void checkQuotas(long nowMs) {
            double tokens = bucket.measure(quota, burst, nowMs);
            if (tokens < 0) {
                throw new QuotaViolation(Math.round(-tokens / quota * 1000));
            }
        }

        /** Takes {@code value} tokens, then checks the bucket when {@code checkQuotas}. */
        void record(double value, long nowMs, boolean checkQuotas) {
            bucket.record(quota, burst, value, nowMs);
            if (checkQuotas) {
                checkQuotas(nowMs);
            }
        }

        /** The lock the bucket's check and record are taken under together. */
        Object lock() {
            return bucket;
        }
    }

    /** A bucket below zero: how long its refill takes to bring it back (Kafka's {@code QuotaViolationException}). */
    static final class QuotaViolation extends RuntimeException {
        final long throttleTimeMs;

        QuotaViolation(long throttleTimeMs) {
            super(null, null, false, false);
            this.throttleTimeMs = throttleTimeMs;
        }
    }

    private final ClientQuotaManager quotas;
    private final int samples;
    private final int windowSeconds;
    private final Clock clock;
    private final Map<ClientQuotaManager.Tags, TokenBucket> buckets = new ConcurrentHashMap<>();
    private volatile long lastExpiryMs;

    /**
     * @param samples       {@code quota.window.num}: with the window, how many seconds of the quota a bucket holds
     * @param windowSeconds {@code quota.window.size.seconds}
     */
    public ControllerMutationQuotaManager(ClientQuotaSettings settings, int samples, int windowSeconds, Clock clock) {
        this.quotas = new ClientQuotaManager(QuotaType.CONTROLLER_MUTATION, settings, samples, windowSeconds);
        this.samples = samples;
        this.windowSeconds = windowSeconds;
        this.clock = clock;
    }

    /**
     * The quota of one request from {@code user}'s client {@code clientId} at {@code apiVersion}: strict from
     * {@code strictSinceVersion} (CreateTopics 6, DeleteTopics 5, CreatePartitions 3), else permissive, and unbounded
     * when no {@code controller_mutation_rate} applies to the client.
     */
    public ControllerMutationQuota newQuotaFor(String user, String clientId, short apiVersion, int strictSinceVersion) {
        return apiVersion >= strictSinceVersion ? newStrictQuotaFor(user, clientId) : newPermissiveQuotaFor(user, clientId);
    }

    /** A quota that refuses a topic once the client's bucket is empty. */
    public ControllerMutationQuota newStrictQuotaFor(String user, String clientId) {
        QuotaSensor sensor = sensorFor(user, clientId);
        return sensor == null ? ControllerMutationQuota.UNBOUNDED_CONTROLLER_MUTATION_QUOTA
                : new StrictControllerMutationQuota(clock, sensor);
    }

    /** A quota that lets every topic through and throttles the client afterwards. */
    public ControllerMutationQuota newPermissiveQuotaFor(String user, String clientId) {
        QuotaSensor sensor = sensorFor(user, clientId);
        return sensor == null ? ControllerMutationQuota.UNBOUNDED_CONTROLLER_MUTATION_QUOTA
                : new PermissiveControllerMutationQuota(clock, sensor);
    }

    /** The client's bucket with the quota that applies to it now, or null when none does. */
    private QuotaSensor sensorFor(String user, String clientId) {
        ClientQuotaManager.Tags tags = quotas.sensorTags(user, clientId);
        Double quota = tags == null ? null : quotas.limit(tags);
        if (quota == null) {
            return null;
        }
        long nowMs = clock.millis();
        expireInactive(nowMs);
        TokenBucket bucket = buckets.computeIfAbsent(tags, key -> new TokenBucket());
        return new QuotaSensor(bucket, quota, samples * windowSeconds * quota);
    }

    /** Drops the buckets of clients silent for an hour, at most once a minute, as Kafka expires its sensors. */
    private void expireInactive(long nowMs) {
        if (nowMs - lastExpiryMs < 60_000) {
            return;
        }
        lastExpiryMs = nowMs;
        buckets.values().removeIf(bucket -> {
            synchronized (bucket) {
                return nowMs - bucket.lastUpdateMs() > INACTIVE_SENSOR_EXPIRATION_MS;
            }
        });
    }
}

package toykafka.broker.quota;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Measures each client against its quota of one type (Kafka's {@code ClientQuotaManager}): a produce's request
 * bytes, a fetch's response bytes, or (Kafka's {@code ClientRequestQuotaManager}) the handler time its requests
 * take, as a percentage of one thread per second. The quota that applies is the most specific one set, in Kafka's order:
 * <ol>
 *   <li>{@code users/<user>/clients/<client-id>}</li>
 *   <li>{@code users/<user>/clients/<default>}</li>
 *   <li>{@code users/<user>}</li>
 *   <li>{@code users/<default>/clients/<client-id>}</li>
 *   <li>{@code users/<default>/clients/<default>}</li>
 *   <li>{@code users/<default>}</li>
 *   <li>{@code clients/<client-id>}</li>
 *   <li>{@code clients/<default>}</li>
 * </ol>
 * Clients that share the entity their quota comes from share one measured rate (Kafka's sensor, named by its user
 * and client-id tags): a user's quota bounds all that user's clients together, a client id's all its connections.
 * With no quota of this type set, nothing is measured.
 */
public final class ClientQuotaManager {

    static final int NO_QUOTAS = 0;
    static final int CLIENT_ID_QUOTA_ENABLED = 1;
    static final int USER_QUOTA_ENABLED = 2;
    static final int USER_CLIENT_ID_QUOTA_ENABLED = 4;
    /** How long a client's measured rate is kept after its last request: Kafka's inactive sensor expiry. */
    private static final long INACTIVE_SENSOR_EXPIRATION_MS = 3_600_000;

    /** Kafka's metric tags: whose rate one sensor measures, "" for a type the quota does not name. */
    record Tags(String user, String clientId) {
    }

    /** One shared rate and when it was last recorded to. */
    private static final class Sensor {
        final SampledRate rate;
        volatile long lastRecordMs;

        Sensor(SampledRate rate) {
            this.rate = rate;
        }
    }

    private final QuotaType type;
    private final ClientQuotaSettings settings;
    private final int samples;
    private final long windowMs;
    private final long maxThrottleTimeMs;
    private final Map<Tags, Sensor> sensors = new ConcurrentHashMap<>();
    private volatile long lastExpiryMs;

    /**
     * @param samples       {@code quota.window.num}: the windows a rate is measured over
     * @param windowSeconds {@code quota.window.size.seconds}: how long each is
     */
    public ClientQuotaManager(QuotaType type, ClientQuotaSettings settings, int samples, int windowSeconds) {
        this(type, settings, samples, windowSeconds, Long.MAX_VALUE);
    }

    /**
     * As {@link #ClientQuotaManager(QuotaType, ClientQuotaSettings, int, int)}, each throttle held to {@code
     * maxThrottleTimeMs}, as Kafka's {@code ClientRequestQuotaManager} holds its to one window
     * ({@code QuotaUtils.boundedThrottleTime}).
     */
    public ClientQuotaManager(QuotaType type, ClientQuotaSettings settings, int samples, int windowSeconds,
                              long maxThrottleTimeMs) {
        this.type = type;
        this.settings = settings;
        this.samples = samples;
        this.windowMs = windowSeconds * 1000L;
        this.maxThrottleTimeMs = maxThrottleTimeMs;
    }

    public QuotaType type() {
        return type;
    }

    // tag::record[]
    /**
     * Records that {@code user}'s client {@code clientId} took {@code value} (bytes) at {@code nowMs}, and returns
     * how long it must wait for its rate to fall back to its quota: 0 within quota. If the observed rate O is above
     * the quota T over a window W, waiting X makes O * W / (W + X) = T, so X = (O - T) / T * W (Kafka's {@code
     * QuotaUtils.throttleTime}).
     */
    public int recordAndGetThrottleTimeMs(String user, String clientId, double value, long nowMs) {
        int enabled = quotaTypesEnabled();
        if (enabled == NO_QUOTAS) {
            return 0;
        }
        Tags tags = tags(enabled, user, clientId == null ? "" : clientId);
        Double limit = limit(tags);
        Sensor sensor = sensors.computeIfAbsent(tags, key -> new Sensor(new SampledRate(samples, windowMs)));
        sensor.lastRecordMs = nowMs;
        expireInactive(nowMs);
        synchronized (sensor) {
            sensor.rate.record(value, nowMs);
            if (limit == null) {
                return 0;
            }
            double observed = sensor.rate.measure(nowMs);
            if (observed <= limit) {
                return 0;
            }
            long throttleTimeMs = Math.round((observed - limit) / limit * sensor.rate.windowSizeMs(nowMs));
            return (int) Math.min(throttleTimeMs, maxThrottleTimeMs);
        }
    }
    // end::record[]

    /** Takes back a value recorded for a fetch whose response is sent empty because it was throttled. */
    public void unrecord(String user, String clientId, double value, long nowMs) {
        int enabled = quotaTypesEnabled();
        if (enabled == NO_QUOTAS) {
            return;
        }
        Sensor sensor = sensors.get(tags(enabled, user, clientId == null ? "" : clientId));
        if (sensor != null) {
            synchronized (sensor) {
                sensor.rate.record(-value, nowMs);
            }
        }
    }

    /**
     * The most a client may take in one go without being throttled even after a quiet window: its quota times the
     * whole windows measured ({@code quota.window.num - 1}), what Kafka caps a fetch's max bytes at; else no bound.
     */
    public double maxValueInQuotaWindow(String user, String clientId) {
        int enabled = quotaTypesEnabled();
        Double limit = enabled == NO_QUOTAS ? null : limit(tags(enabled, user, clientId == null ? "" : clientId));
        return limit == null ? Double.MAX_VALUE : limit * (samples - 1) * (windowMs / 1000.0);
    }

    /** The quota that applies to {@code user}'s client {@code clientId}, or null when none does. */
    public Double quota(String user, String clientId) {
        int enabled = quotaTypesEnabled();
        return enabled == NO_QUOTAS ? null : limit(tags(enabled, user, clientId == null ? "" : clientId));
    }

    /**
     * The tags of the sensor {@code user}'s client {@code clientId} is measured by, or null when no quota of this
     * type is set: for a quota measured otherwise than by a sampled rate.
     */
    Tags sensorTags(String user, String clientId) {
        int enabled = quotaTypesEnabled();
        return enabled == NO_QUOTAS ? null : tags(enabled, user, clientId == null ? "" : clientId);
    }

    /** Which shapes of entity have a quota of this type: user and client id, user, client id (Kafka's bits). */
    int quotaTypesEnabled() {
        return settings.shapesWith(type);
    }

    // tag::precedence[]
    /**
     * The tags of the sensor a client is measured by: the user, the client id or both, as the most specific entity
     * with a quota names them (Kafka's {@code DefaultQuotaCallback.quotaMetricTags}).
     */
    private Tags tags(int enabled, String user, String clientId) {
        switch (enabled) {
            case NO_QUOTAS, CLIENT_ID_QUOTA_ENABLED:
                return new Tags("", clientId);
            case USER_QUOTA_ENABLED:
                return new Tags(user, "");
            case USER_CLIENT_ID_QUOTA_ENABLED:
                return new Tags(user, clientId);
            default: // several shapes set: the first level of the order with a quota decides what is measured
                if (isSet(both(user, clientId)) || isSet(both(user, null))) {
                    return new Tags(user, clientId);
                }
                if (isSet(userOnly(user))) {
                    return new Tags(user, "");
                }
                if (isSet(both(null, clientId)) || isSet(both(null, null))) {
                    return new Tags(user, clientId);
                }
                if (isSet(userOnly(null))) {
                    return new Tags(user, "");
                }
                return new Tags("", clientId);
        }
    }

    /**
     * The quota for these tags: with both, the first set of user and client id, user and default client id, default
     * user and client id, both defaults; with one, that one, then its default.
     */
    Double limit(Tags tags) {
        boolean user = !tags.user().isEmpty();
        boolean client = !tags.clientId().isEmpty();
        if (user && client) {
            return first(both(tags.user(), tags.clientId()), both(tags.user(), null), both(null, tags.clientId()),
                    both(null, null));
        }
        if (user) {
            return first(userOnly(tags.user()), userOnly(null));
        }
        if (client) {
            return first(clientOnly(tags.clientId()), clientOnly(null));
        }
        return null;
    }
    // end::precedence[]

    private Double first(ClientQuotaEntity... entities) {
        for (ClientQuotaEntity entity : entities) {
            Double quota = settings.quota(entity, type);
            if (quota != null) {
                return quota;
            }
        }
        return null;
    }

    private boolean isSet(ClientQuotaEntity entity) {
        return settings.quota(entity, type) != null;
    }

    /** The entity of a user and a client id, each a name or (null) the default: never read from text. */
    private static ClientQuotaEntity both(String user, String clientId) {
        Map<String, String> entries = new HashMap<>();
        entries.put(ClientQuotaEntity.USER, user);
        entries.put(ClientQuotaEntity.CLIENT_ID, clientId);
        return new ClientQuotaEntity(entries);
    }

    private static ClientQuotaEntity userOnly(String user) {
        Map<String, String> entries = new HashMap<>();
        entries.put(ClientQuotaEntity.USER, user);
        return new ClientQuotaEntity(entries);
    }

    private static ClientQuotaEntity clientOnly(String clientId) {
        Map<String, String> entries = new HashMap<>();
        entries.put(ClientQuotaEntity.CLIENT_ID, clientId);
        return new ClientQuotaEntity(entries);
    }

    /** Drops the rates of clients silent for an hour, at most once a minute, as Kafka expires its sensors. */
    private void expireInactive(long nowMs) {
        if (nowMs - lastExpiryMs < 60_000) {
            return;
        }
        lastExpiryMs = nowMs;
        sensors.values().removeIf(sensor -> nowMs - sensor.lastRecordMs > INACTIVE_SENSOR_EXPIRATION_MS);
    }
}

package toykafka.broker.quota;

import java.nio.file.Path;
import java.time.Clock;

/**
 * The broker's client quotas: the settings AlterClientQuotas changes, and a quota manager for each kind of traffic
 * a front end throttles, which read them (Kafka's {@code QuotaFactory.QuotaManagers}). A broker with no quota set
 * measures nothing and holds no client back, as today.
 */
public final class ClientQuotas {

    private final ClientQuotaSettings settings;
    private final ClientQuotaManager produce;
    private final ClientQuotaManager fetch;
    private final ClientQuotaManager request;
    private final ControllerMutationQuotaManager controllerMutation;

    private ClientQuotas(ClientQuotaSettings settings, int samples, int windowSeconds) {
        this.settings = settings;
        this.produce = new ClientQuotaManager(QuotaType.PRODUCE, settings, samples, windowSeconds);
        this.fetch = new ClientQuotaManager(QuotaType.FETCH, settings, samples, windowSeconds);
        this.request = new ClientQuotaManager(QuotaType.REQUEST, settings, samples, windowSeconds, windowSeconds * 1000L);
        this.controllerMutation = new ControllerMutationQuotaManager(settings, samples, windowSeconds, Clock.systemUTC());
    }

    /**
     * The quotas kept in {@code dataDir} (in memory when it is null), each rate measured over {@code samples}
     * windows ({@code quota.window.num}) of {@code windowSeconds} ({@code quota.window.size.seconds}).
     */
    public static ClientQuotas open(Path dataDir, int samples, int windowSeconds) {
        return new ClientQuotas(dataDir == null ? ClientQuotaSettings.inMemory() : ClientQuotaSettings.open(dataDir),
                samples, windowSeconds);
    }

    public ClientQuotaSettings settings() {
        return settings;
    }

    /** Bytes produced: each produce request's size. */
    public ClientQuotaManager produce() {
        return produce;
    }

    /** Bytes consumed: each fetch response's size. */
    public ClientQuotaManager fetch() {
        return fetch;
    }

    /**
     * Handler time: each request's, as a percentage of one thread for a second ({@link #percentOfASecond}), a
     * throttle held to one window, as Kafka's {@code ClientRequestQuotaManager} holds it.
     */
    public ClientQuotaManager request() {
        return request;
    }

    /** Partitions created and deleted: by CreateTopics, CreatePartitions and DeleteTopics. */
    public ControllerMutationQuotaManager controllerMutation() {
        return controllerMutation;
    }

    /** {@code nanos} of handler time as request_percentage counts it: 10 ms is 1 (% of a second). */
    public static double percentOfASecond(long nanos) {
        return nanos * 100.0 / 1_000_000_000L;
    }
}

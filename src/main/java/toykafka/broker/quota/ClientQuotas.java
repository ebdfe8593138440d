package toykafka.broker.quota;

import java.nio.file.Path;

/**
 * The broker's client quotas: the settings AlterClientQuotas changes, and a quota manager for each kind of traffic
 * a front end throttles, which read them (Kafka's {@code QuotaFactory.QuotaManagers}). A broker with no quota set
 * measures nothing and holds no client back, as today.
 */
public final class ClientQuotas {

    private final ClientQuotaSettings settings;
    private final ClientQuotaManager produce;
    private final ClientQuotaManager fetch;

    private ClientQuotas(ClientQuotaSettings settings, int samples, int windowSeconds) {
        this.settings = settings;
        this.produce = new ClientQuotaManager(QuotaType.PRODUCE, settings, samples, windowSeconds);
        this.fetch = new ClientQuotaManager(QuotaType.FETCH, settings, samples, windowSeconds);
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
}

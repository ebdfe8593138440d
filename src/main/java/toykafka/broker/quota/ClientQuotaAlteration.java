package toykafka.broker.quota;

import java.util.List;

/**
 * The changes to one entity's quotas an AlterClientQuotas asks for (Kafka's {@code ClientQuotaAlteration}).
 *
 * @param ops each key to set, or to remove (a null value)
 */
public record ClientQuotaAlteration(ClientQuotaEntity entity, List<Op> ops) {

    /** One key set to a value, or removed when the value is null. */
    public record Op(String key, Double value) {
    }
}

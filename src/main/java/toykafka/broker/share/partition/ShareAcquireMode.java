package toykafka.broker.share.partition;

import java.util.Locale;
import toykafka.common.EnumLookup;
import toykafka.common.Errors;

/**
 * How strictly a share fetch's record count is kept (Kafka's {@code ShareAcquireMode}, the consumer's
 * {@code share.acquire.mode}). BATCH_OPTIMIZED hands out whole batches and may give more records than asked;
 * RECORD_LIMIT never gives more, splitting a batch to keep to the count.
 */
public enum ShareAcquireMode {
    BATCH_OPTIMIZED((byte) 0),
    RECORD_LIMIT((byte) 1);

    private final byte id;

    ShareAcquireMode(byte id) {
        this.id = id;
    }

    /** The id ShareFetch carries. */
    public byte id() {
        return id;
    }

    public static ShareAcquireMode forId(byte id) {
        return EnumLookup.byId(values(), ShareAcquireMode::id, id).orElseThrow(() -> new SharePartitionException(
                Errors.INVALID_REQUEST,
                "Unknown share acquire mode id " + id + ": expected 0 (batch_optimized) or 1 (record_limit)"));
    }

    /** The mode named as the consumer config writes it, in any case. */
    public static ShareAcquireMode of(String name) {
        return EnumLookup.byName(values(), ShareAcquireMode::name, name.toUpperCase(Locale.ROOT)).orElseThrow(
                () -> new IllegalArgumentException("Invalid value `" + name + "` for configuration share.acquire.mode."
                        + " The value must either be 'batch_optimized' or 'record_limit'."));
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}

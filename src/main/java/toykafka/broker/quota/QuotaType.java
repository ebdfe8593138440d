package toykafka.broker.quota;

/**
 * What a quota bounds, each under the key Kafka sets it with ({@code kafka-configs --add-config}): the bytes a
 * client produces or fetches per second, the share of a handler thread's time its requests take, and the partitions
 * it creates or deletes per second. Kafka's {@code QuotaType} and {@code QuotaConfig}'s keys.
 */
public enum QuotaType {
    PRODUCE("producer_byte_rate", true),
    FETCH("consumer_byte_rate", true),
    REQUEST("request_percentage", false),
    CONTROLLER_MUTATION("controller_mutation_rate", false);

    private final String key;
    private final boolean integral;

    QuotaType(String key, boolean integral) {
        this.key = key;
        this.integral = integral;
    }

    /** The key a quota of this type is set with. */
    public String key() {
        return key;
    }

    /** Whether its values are whole numbers: Kafka defines the byte rates as LONG, the others as DOUBLE. */
    boolean integral() {
        return integral;
    }

    /** The type set with {@code key}, or null when Kafka has no user or client quota of that name. */
    public static QuotaType withKey(String key) {
        for (QuotaType type : values()) {
            if (type.key.equals(key)) {
                return type;
            }
        }
        return null;
    }

    /**
     * Why {@code value} cannot be this quota, in Kafka's words ({@code ClientQuotaControlManager}), or null when it
     * can: every quota is above 0, and a byte rate a whole number that fits a long.
     */
    String refusal(double value) {
        if (value <= 0.0) {
            return "Quota " + key + " must be greater than 0";
        }
        if (integral) {
            if (value > Long.MAX_VALUE) {
                return "Proposed value for " + key + " is too large for a LONG.";
            }
            if (Math.abs(value % 1.0) > 1e-6) {
                return key + " cannot be a fractional value.";
            }
        }
        return null;
    }
}

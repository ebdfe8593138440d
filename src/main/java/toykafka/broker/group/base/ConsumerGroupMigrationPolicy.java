package toykafka.broker.group.base;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Whether a busy group may change type member by member ({@code group.consumer.migration.policy}, Kafka's
 * {@code ConsumerGroupMigrationPolicy}): an upgrade turns a classic group into a consumer group when a member of
 * the consumer protocol joins it; a downgrade turns a consumer group back into a classic one when its last member of
 * the consumer protocol leaves and only classic members remain. {@code disabled} also keeps classic members out of
 * a consumer group with members, as Kafka 4.4 does; Kafka 4.1 to 4.3 took them in whatever the policy.
 */
public enum ConsumerGroupMigrationPolicy {
    BIDIRECTIONAL(true, true),
    UPGRADE(true, false),
    DOWNGRADE(false, true),
    DISABLED(false, false);

    /** The setting's name, as Kafka's. */
    public static final String SETTING = "group.consumer.migration.policy";

    private final boolean upgrade;
    private final boolean downgrade;

    ConsumerGroupMigrationPolicy(boolean upgrade, boolean downgrade) {
        this.upgrade = upgrade;
        this.downgrade = downgrade;
    }

    /** The values the setting takes, as Kafka names them. */
    public static List<String> names() {
        return Arrays.stream(values()).map(ConsumerGroupMigrationPolicy::toString).toList();
    }

    /**
     * The policy a value names, in any case, as Kafka reads it.
     *
     * @throws IllegalArgumentException naming the valid values
     */
    public static ConsumerGroupMigrationPolicy parse(String value) {
        String name = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(policy -> policy.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(SETTING + " must be one of " + names()
                        + " (any case), was " + value));
    }

    public boolean upgrades() {
        return upgrade;
    }

    public boolean downgrades() {
        return downgrade;
    }

    /** Whether a consumer group with members takes a classic member's JoinGroup: under any policy but disabled. */
    public boolean takesClassicJoins() {
        return this != DISABLED;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}

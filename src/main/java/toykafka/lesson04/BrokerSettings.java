package toykafka.lesson04;

/**
 * Broker-wide settings for topics, named as Kafka's broker names them.
 *
 * @param autoCreateTopicsEnable whether writing to an unknown topic creates it ({@code auto.create.topics.enable})
 * @param numPartitions          how many partitions a topic created that way gets ({@code num.partitions})
 */
// tag::settings[]
public record BrokerSettings(boolean autoCreateTopicsEnable, int numPartitions) {

    /** Kafka's own defaults: a write to a new name creates a topic of one partition. */
    public static final BrokerSettings KAFKA_DEFAULTS = new BrokerSettings(true, 1);

    /** What most production clusters choose: topics exist only when someone creates them. */
    public static final BrokerSettings STRICT = new BrokerSettings(false, 1);
    // end::settings[]

    public BrokerSettings {
        if (numPartitions < 1) {
            throw new IllegalArgumentException("num.partitions must be 1 or more, was " + numPartitions);
        }
    }

    @Override
    public String toString() {
        return "auto.create.topics.enable=" + autoCreateTopicsEnable + ", num.partitions=" + numPartitions;
    }
}

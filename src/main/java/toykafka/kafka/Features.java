package toykafka.kafka;

import java.util.List;
import java.util.Map;

// tag::features[]
/**
 * The feature levels ApiVersions advertises from v3, in its tagged fields, which {@code kafka-features
 * describe} and {@code Admin.describeFeatures} print: Kafka's {@code BrokerFeatures} (what a broker can run)
 * and the levels its controllers finalized (what the cluster runs). Only what this broker implements is
 * advertised, since a level promises clients and tools what it stands for:
 *
 * <ul>
 * <li>{@code metadata.version} 7 (3.3-IV3), supported and finalized: the lowest level Kafka 4 runs at. It
 *     names what Kafka's brokers share through the metadata log; this broker keeps no metadata log, and no
 *     level above 3.3-IV3 switches on anything it does (tiered storage, JBOD, KIP-951's leader hints, ELR).
 * <li>{@code group.version} 0 to 1, finalized at 1, as Kafka 4 has it: level 1 is KIP-848's consumer groups,
 *     whose ConsumerGroupHeartbeat and ConsumerGroupDescribe are served here beside the classic protocol.
 * <li>{@code share.version} 0 to 2, finalized at 2, as Kafka 4.4 has it: level 1 is KIP-932's share groups, whose
 *     ShareGroupHeartbeat, ShareGroupDescribe, ShareFetch and ShareAcknowledge are served here; level 2 adds
 *     KIP-1191's dead-letter topic for the records a share group sets aside, written here by the
 *     {@code DeadLetterQueue}.
 * <li>{@code streams.version} 0 to 1, finalized at 1, as Kafka 4.4 has it: level 1 is KIP-1071's streams groups,
 *     whose StreamsGroupHeartbeat and StreamsGroupDescribe are served here; a Kafka Streams application with
 *     {@code group.protocol=streams} refuses to start against a cluster that does not finalize it.
 * <li>{@code transaction.version} 0 to 2, finalized at 2, as a cluster Kafka 4.1 or later formats has it: a
 *     Kafka 4 client that reads level 2 leaves AddPartitionsToTxn and AddOffsetsToTxn out (the leader adds a
 *     partition on its first batch) and takes a new epoch from every EndTxn. Older clients keep the classic
 *     protocol, which is still served.
 * </ul>
 *
 * Left out, as this broker has none of what they version: {@code kraft.version} (no KRaft quorum),
 * {@code eligible.leader.replicas.version} (one replica per partition). The finalized levels here are those of a
 * new broker; UpdateFeatures ({@code kafka-features upgrade|downgrade}) changes them within the supported range,
 * and the broker keeps the changes and their epoch ({@link FinalizedFeatures}).
 */
final class Features {

    /** A feature this broker supports from {@code min} to {@code max}, finalized at {@code finalized} (0: not). */
    record Feature(String name, short min, short max, short finalized) {
    }

    static final List<Feature> ADVERTISED = List.of(
            new Feature("group.version", (short) 0, (short) 1, (short) 1),
            new Feature("metadata.version", (short) 7, (short) 7, (short) 7),
            new Feature("share.version", (short) 0, (short) 2, (short) 2),
            new Feature("streams.version", (short) 0, (short) 1, (short) 1),
            new Feature("transaction.version", (short) 0, (short) 2, (short) 2));

    private Features() {
    }

    /**
     * The supported features a client of this ApiVersions version can read: v3 omits those whose lowest level
     * is 0, which clients before Kafka 3.9 refuse (KAFKA-17011); v4 tells all.
     */
    static List<Feature> supported(short version) {
        return ADVERTISED.stream().filter(feature -> version >= 4 || feature.min() > 0).toList();
    }

    /**
     * The finalized features, each at its level after the {@code changed} ones; a feature at 0 is not finalized,
     * as in Kafka.
     */
    static List<Feature> finalized(Map<String, Short> changed) {
        return ADVERTISED.stream().map(feature -> new Feature(feature.name(), feature.min(), feature.max(),
                changed.getOrDefault(feature.name(), feature.finalized()))).filter(feature -> feature.finalized() > 0)
                .toList();
    }

    /** The feature of this name this broker supports, or null. */
    static Feature named(String name) {
        return ADVERTISED.stream().filter(feature -> feature.name().equals(name)).findFirst().orElse(null);
    }
}
// end::features[]

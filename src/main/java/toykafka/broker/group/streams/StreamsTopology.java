package toykafka.broker.group.streams;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The topology a streams application's first member sends when it joins (Kafka's {@code StreamsTopology}): its
 * subtopologies, each with the topics it reads and writes. The group keeps the first one it is given; a member that
 * joins with an older epoch is told its topology is stale.
 *
 * @param epoch         the application's topology epoch
 * @param subtopologies by id, sorted
 */
public record StreamsTopology(int epoch, SortedMap<String, Subtopology> subtopologies) {

    public StreamsTopology {
        subtopologies = Collections.unmodifiableSortedMap(new TreeMap<>(subtopologies));
    }

    /**
     * An internal topic as the member describes it: its partitions (0: the broker decides), replication factor
     * (0: the broker's default) and topic configs.
     */
    public record TopicInfo(String name, int partitions, short replicationFactor, Map<String, String> configs) {
        public TopicInfo {
            Objects.requireNonNull(name, "name");
            configs = Map.copyOf(configs);
        }
    }

    /**
     * One subtopology: a piece of the application that runs as one task per input partition.
     *
     * @param sourceTopics          the topics it reads, repartition topics among them
     * @param sourceTopicRegexes    expressions naming more topics it reads (Kafka 4.4 refuses them)
     * @param repartitionSinkTopics the repartition topics it writes
     * @param repartitionSourceTopics the repartition topics it reads, which the broker makes
     * @param changelogTopics       the changelogs of its state stores, which the broker makes
     * @param copartitionGroups     sets of the topics it reads that must have as many partitions as each other
     */
    public record Subtopology(String id, List<String> sourceTopics, List<String> sourceTopicRegexes,
                              List<String> repartitionSinkTopics, List<TopicInfo> repartitionSourceTopics,
                              List<TopicInfo> changelogTopics, List<Set<String>> copartitionGroups) {
        public Subtopology {
            sourceTopics = List.copyOf(sourceTopics);
            sourceTopicRegexes = List.copyOf(sourceTopicRegexes);
            repartitionSinkTopics = List.copyOf(repartitionSinkTopics);
            repartitionSourceTopics = List.copyOf(repartitionSourceTopics);
            changelogTopics = List.copyOf(changelogTopics);
            copartitionGroups = copartitionGroups.stream().map(Set::copyOf).toList();
        }

        /** Every topic it reads: the external ones, then the repartition ones. */
        List<String> allSourceTopics() {
            Set<String> all = new LinkedHashSet<>(sourceTopics);
            repartitionSourceTopics.forEach(topic -> all.add(topic.name()));
            return new ArrayList<>(all);
        }

        /** A subtopology with state: its standby tasks are worth having. */
        boolean stateful() {
            return !changelogTopics.isEmpty();
        }
    }

    /** The subtopology that reads this topic, or null. */
    Subtopology readerOf(String topic) {
        return subtopologies.values().stream().filter(sub -> sub.allSourceTopics().contains(topic)).findFirst()
                .orElse(null);
    }

    /** Why Kafka refuses the topology before it looks at the group (its {@code throwIfInvalidTopology}), or null. */
    String invalid() {
        for (Subtopology subtopology : subtopologies.values()) {
            if (!subtopology.sourceTopicRegexes().isEmpty()) {
                return "Regular expressions for source topics are not supported yet.";
            }
        }
        return null;
    }

    /** Why Kafka calls the topology itself wrong (STREAMS_INVALID_TOPOLOGY), or null. */
    String malformed() {
        for (Subtopology subtopology : subtopologies.values()) {
            for (TopicInfo changelog : subtopology.changelogTopics()) {
                if (changelog.partitions() != 0) {
                    return "Changelog topic " + changelog.name() + " must have an undefined partition count, but it"
                            + " is set to " + changelog.partitions() + ".";
                }
            }
        }
        return null;
    }
}

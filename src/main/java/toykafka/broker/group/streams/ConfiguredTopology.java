package toykafka.broker.group.streams;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import toykafka.broker.group.base.TopicLookup;

/**
 * A streams group's topology checked against the broker's topics (Kafka's {@code ConfiguredTopology}, made by its
 * {@code InternalTopicManager.configureTopics}): how many tasks each subtopology has, which internal topics the
 * broker must still make, and, if the topology cannot run yet, the status that says why.
 *
 * @param tasks    each subtopology's task count; empty unless the source topics exist and agree
 * @param internal the repartition and changelog topics with the partition counts worked out for them; empty if none
 *                 could be
 * @param toCreate those of them that do not exist yet
 * @param status   why the topology cannot run yet, or null if it is ready
 */
public record ConfiguredTopology(int epoch, SortedMap<String, Integer> tasks, Map<String, InternalTopic> internal,
                                 Map<String, InternalTopic> toCreate, StreamsGroupHeartbeat.Status status,
                                 String statusDetail) {

    /** An internal topic the broker makes for the group. */
    public record InternalTopic(String name, int partitions, short replicationFactor, Map<String, String> configs) {
    }

    /** Whether tasks may be assigned: every topic is there and partitioned as it must be. */
    boolean ready() {
        return status == null;
    }

    // tag::partition-counts[]
    /**
     * Kafka's rules, in its order: every external source topic must exist (else MISSING_SOURCE_TOPICS); a repartition
     * topic with no partition count of its own takes the largest count among the topics its writer reads, worked out
     * until no count is left to find; copartitioned topics must agree (else INCORRECTLY_PARTITIONED_TOPICS), the
     * repartition topics among them taking the external topics' count; a changelog topic takes its subtopology's
     * task count, which is the largest partition count among the topics it reads. Internal topics that do not exist
     * yet are to be made (MISSING_INTERNAL_TOPICS until they are); one that exists with another count is
     * INCORRECTLY_PARTITIONED_TOPICS.
     *
     * @throws StreamsTopologyException for a topology no partition counts can satisfy (STREAMS_INVALID_TOPOLOGY)
     */
    static ConfiguredTopology configure(StreamsTopology topology, TopicLookup topics) {
        Collection<StreamsTopology.Subtopology> subtopologies = topology.subtopologies().values();
        Set<String> missing = new TreeSet<>();
        subtopologies.forEach(sub -> sub.sourceTopics().stream().filter(topic -> topics.topic(topic) == null)
                .filter(topic -> sub.repartitionSourceTopics().stream().noneMatch(info -> info.name().equals(topic)))
                .forEach(missing::add));
        if (!missing.isEmpty()) {
            return failed(topology, StreamsGroupHeartbeat.Status.MISSING_SOURCE_TOPICS,
                    "Source topics " + summary(missing) + " are missing.");
        }
        Map<String, Integer> decided = new HashMap<>();
        PartitionCounts counts = new PartitionCounts(topics, decided);
        try {
            decided.putAll(repartitionCounts(subtopologies, counts));
            enforceCopartitioning(subtopologies, counts, decided);
        } catch (Incorrect e) {
            return failed(topology, StreamsGroupHeartbeat.Status.INCORRECTLY_PARTITIONED_TOPICS, e.getMessage());
        }
        SortedMap<String, Integer> tasks = new TreeMap<>();
        Map<String, InternalTopic> wanted = new HashMap<>();
        for (StreamsTopology.Subtopology sub : subtopologies) {
            int taskCount = sub.allSourceTopics().stream().mapToInt(counts::of).max()
                    .orElseThrow(() -> new StreamsTopologyException("No source topics found for subtopology "
                            + sub.id()));
            tasks.put(sub.id(), taskCount);
            sub.repartitionSourceTopics().forEach(info -> wanted.put(info.name(), internal(info,
                    info.partitions() != 0 ? info.partitions() : decided.get(info.name()))));
            sub.changelogTopics().forEach(info -> wanted.put(info.name(), internal(info, taskCount)));
        }
        Map<String, InternalTopic> toCreate = new TreeMap<>();
        for (InternalTopic topic : wanted.values()) {
            TopicLookup.Topic existing = topics.topic(topic.name());
            if (existing == null) {
                toCreate.put(topic.name(), topic);
            } else if (existing.partitions() != topic.partitions()) {
                return failed(topology, StreamsGroupHeartbeat.Status.INCORRECTLY_PARTITIONED_TOPICS, "Existing topic "
                        + topic.name() + " has different number of partitions: expected " + topic.partitions()
                        + ", found " + existing.partitions());
            }
        }
        if (!toCreate.isEmpty()) {
            return new ConfiguredTopology(topology.epoch(), Collections.unmodifiableSortedMap(tasks),
                    Map.copyOf(wanted), toCreate, StreamsGroupHeartbeat.Status.MISSING_INTERNAL_TOPICS,
                    "Internal topics are missing: " + summary(toCreate.keySet()));
        }
        return new ConfiguredTopology(topology.epoch(), Collections.unmodifiableSortedMap(tasks), Map.copyOf(wanted),
                Map.of(), null, null);
    }

    /** Each repartition topic's count: its own, else the largest among what its writer reads, until all are found. */
    private static Map<String, Integer> repartitionCounts(Collection<StreamsTopology.Subtopology> subtopologies,
                                                          PartitionCounts counts) {
        Map<String, Integer> found = new HashMap<>();
        subtopologies.forEach(sub -> sub.repartitionSourceTopics().stream().filter(info -> info.partitions() != 0)
                .forEach(info -> found.put(info.name(), info.partitions())));
        boolean needed;
        do {
            needed = false;
            boolean progress = false;
            for (StreamsTopology.Subtopology sub : subtopologies) {
                for (String sink : sub.repartitionSinkTopics()) {
                    if (found.containsKey(sink)) {
                        continue;
                    }
                    OptionalInt largest = sub.allSourceTopics().stream().map(topic -> found.containsKey(topic)
                            ? OptionalInt.of(found.get(topic)) : counts.find(topic))
                            .filter(OptionalInt::isPresent).mapToInt(OptionalInt::getAsInt).max();
                    if (largest.isPresent()) {
                        found.put(sink, largest.getAsInt());
                        progress = true;
                    } else {
                        needed = true;
                    }
                }
            }
            if (needed && !progress) {
                throw new StreamsTopologyException("Failed to compute number of partitions for all repartition topics."
                        + " There may be loops in the topology that cannot be resolved.");
            }
        } while (needed);
        for (StreamsTopology.Subtopology sub : subtopologies) {
            if (sub.repartitionSourceTopics().stream().anyMatch(info -> !found.containsKey(info.name()))) {
                throw new StreamsTopologyException("Failed to compute number of partitions for all repartition topics,"
                        + " because a repartition source topic is never used as a sink topic.");
            }
        }
        return found;
    }

    /** Kafka's {@code CopartitionedTopicsEnforcer}, for each copartition group of each subtopology. */
    private static void enforceCopartitioning(Collection<StreamsTopology.Subtopology> subtopologies,
                                              PartitionCounts counts, Map<String, Integer> decided) {
        Set<String> fixed = new HashSet<>();
        Set<String> flexible = new HashSet<>();
        subtopologies.forEach(sub -> sub.repartitionSourceTopics().forEach(info ->
                (info.partitions() != 0 ? fixed : flexible).add(info.name())));
        for (StreamsTopology.Subtopology sub : subtopologies) {
            for (Set<String> group : sub.copartitionGroups()) {
                if (group.isEmpty()) {
                    continue;
                }
                Map<String, Integer> repartition = new TreeMap<>();
                Map<String, Integer> external = new TreeMap<>();
                group.forEach(topic -> (fixed.contains(topic) || flexible.contains(topic) ? repartition : external)
                        .put(topic, counts.of(topic)));
                int count;
                if (external.isEmpty()) {
                    count = fixed.isEmpty() ? repartition.values().stream().mapToInt(i -> i).max().orElse(0)
                            : sameCount(fixed.stream().collect(Collectors.toMap(t -> t, counts::of)), repartition);
                    if (count == 0) {
                        throw new StreamsTopologyException("All topics in the copartition group had undefined"
                                + " partition number: " + repartition.keySet());
                    }
                } else {
                    count = sameCount(external, external);
                }
                for (Map.Entry<String, Integer> topic : repartition.entrySet()) {
                    decided.put(topic.getKey(), count);
                    if (fixed.contains(topic.getKey()) && topic.getValue() != count) {
                        throw new Incorrect(String.format("Number of partitions [%d] of repartition topic [%s] doesn't"
                                + " match number of partitions [%d] of the source topic.", topic.getValue(),
                                topic.getKey(), count));
                    }
                }
            }
        }
    }

    private static int sameCount(Map<String, Integer> topics, Map<String, Integer> named) {
        Set<Integer> distinct = new HashSet<>(topics.values());
        if (distinct.size() > 1) {
            throw new Incorrect("Following topics do not have the same number of partitions: [" + new TreeMap<>(named)
                    + "]");
        }
        return distinct.iterator().next();
    }
    // end::partition-counts[]

    private static InternalTopic internal(StreamsTopology.TopicInfo info, int partitions) {
        return new InternalTopic(info.name(), partitions, info.replicationFactor(), info.configs());
    }

    private static ConfiguredTopology failed(StreamsTopology topology, StreamsGroupHeartbeat.Status status,
                                             String detail) {
        return new ConfiguredTopology(topology.epoch(), Collections.emptySortedMap(), Map.of(), Map.of(), status,
                detail);
    }

    /** Up to three names, then how many more, as Kafka summarizes them. */
    private static String summary(Collection<String> topics) {
        List<String> sorted = new ArrayList<>(new TreeSet<>(topics));
        return String.join(", ", sorted.subList(0, Math.min(3, sorted.size())))
                + (sorted.size() > 3 ? " and " + (sorted.size() - 3) + " additional topics" : "");
    }

    /** A topic's partition count: the broker's if it exists, else the one decided for it so far. */
    private record PartitionCounts(TopicLookup topics, Map<String, Integer> decided) {
        OptionalInt find(String topic) {
            TopicLookup.Topic existing = topics.topic(topic);
            if (existing != null) {
                return OptionalInt.of(existing.partitions());
            }
            Integer count = decided.get(topic);
            return count == null ? OptionalInt.empty() : OptionalInt.of(count);
        }

        int of(String topic) {
            return find(topic).orElseThrow(() -> new StreamsTopologyException("Number of partitions is not set for"
                    + " topic: " + topic));
        }
    }

    /** Topics that must agree and do not: INCORRECTLY_PARTITIONED_TOPICS. */
    private static final class Incorrect extends RuntimeException {
        Incorrect(String message) {
            super(message, null, false, false);
        }
    }
}

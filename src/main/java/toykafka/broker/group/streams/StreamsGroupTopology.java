package toykafka.broker.group.streams;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import toykafka.broker.group.base.TopicLookup;

/**
 * A streams group's topology and what the broker's topics make of it: the topology the first member sent, configured
 * again whenever the broker's topics change ({@link ConfiguredTopology}), and the internal topics it needs made. Kafka
 * keeps the same in its {@code StreamsGroup} (topology, configured topology, metadata hash).
 */
final class StreamsGroupTopology {

    private StreamsTopology topology;
    private ConfiguredTopology configured;
    /** The broker's topics version the configuration was made at; -1: make it again every time. */
    private long configuredAt = -1;

    StreamsTopology topology() {
        return topology;
    }

    /** The configured topology, or null before the first member's topology. */
    ConfiguredTopology configured() {
        return configured;
    }

    /**
     * Why a joining member's topology is refused, or null: once the group has one, a member may join with it or an
     * older one (it is then told STALE_TOPOLOGY), not with another, as Kafka 4.4 has no topology updates yet.
     */
    String refusal(StreamsTopology sent) {
        if (sent == null || topology == null || topology.epoch() > sent.epoch() || topology.equals(sent)) {
            return null;
        }
        return "Topology updates are not supported yet.";
    }

    /**
     * Takes the first member's topology (any later one is the group's already, or older), and configures the topology
     * again if it is new or the broker's topics changed since; true if the tasks or readiness changed, which moves the
     * group's epoch on.
     *
     * @throws StreamsTopologyException for a topology no partition counts satisfy; nothing changes then
     */
    boolean update(StreamsTopology sent, TopicLookup topics) {
        StreamsTopology candidate = topology != null ? topology : sent;
        if (candidate == null) {
            return false;
        }
        long version = topics.version();
        if (candidate == topology && configured != null && version != -1 && version == configuredAt) {
            return false;
        }
        ConfiguredTopology next = ConfiguredTopology.configure(candidate, topics);
        ConfiguredTopology before = configured;
        topology = candidate;
        configured = next;
        configuredAt = version;
        return before == null || !before.tasks().equals(next.tasks()) || before.ready() != next.ready();
    }

    /**
     * The topology a replay of the offsets topic found, configured against the broker's topics as they are now; one
     * they cannot configure stays unconfigured, and its members are told why at their next heartbeat.
     */
    void restored(StreamsTopology kept, TopicLookup topics) {
        topology = kept;
        configured = null;
        configuredAt = -1;
        if (kept != null) {
            try {
                update(null, topics);
            } catch (StreamsTopologyException e) {
                // the same refusal reaches the next member that heartbeats
            }
        }
    }

    /** Has the broker make the internal topics still missing; says which it could not, and why, in their order. */
    Map<String, String> makeMissing(InternalTopicMaker maker) {
        Map<String, String> failures = new LinkedHashMap<>();
        if (configured != null) {
            configured.toCreate().values().forEach(topic -> {
                String failed = maker.make(topic);
                if (failed != null) {
                    failures.put(topic.name(), failed);
                }
            });
        }
        return failures;
    }

    /** Each subtopology's task count, if the topology is ready; none otherwise. */
    SortedMap<String, Integer> tasks() {
        return configured != null && configured.ready() ? configured.tasks() : new TreeMap<>();
    }

    /** The subtopologies with state stores, whose tasks get standby replicas. */
    Set<String> stateful() {
        return topology == null ? Set.of() : topology.subtopologies().values().stream()
                .filter(StreamsTopology.Subtopology::stateful).map(StreamsTopology.Subtopology::id)
                .collect(Collectors.toSet());
    }

    /** Whether the group's members may run: a topology, configured and ready. */
    boolean ready() {
        return configured != null && configured.ready();
    }

    /** Why a member's tasks are not the topology's, as Kafka refuses them, or null. */
    String invalidTasks(StreamsTasks owned) {
        if (owned == null || !ready()) {
            return null;
        }
        for (StreamsTasks.Kind kind : StreamsTasks.Kind.values()) {
            for (Map.Entry<String, java.util.SortedSet<Integer>> sub : owned.of(kind).entrySet()) {
                Integer count = configured.tasks().get(sub.getKey());
                if (count == null) {
                    return "Subtopology " + sub.getKey() + " does not exist in the topology.";
                }
                for (int partition : sub.getValue()) {
                    if (partition < 0 || partition >= count) {
                        return "Task " + partition + " for subtopology " + sub.getKey() + " is invalid. Number of"
                                + " tasks for this subtopology: " + count;
                    }
                }
            }
        }
        return null;
    }

    /** The topics the group's tasks read, repartition topics among them. */
    Set<String> sourceTopics() {
        return topology == null ? Set.of() : topology.subtopologies().values().stream()
                .flatMap(sub -> sub.allSourceTopics().stream()).collect(Collectors.toSet());
    }

    /** The partitions a member's tasks read, by topic: each task's partition of each topic its subtopology reads. */
    Map<String, List<Integer>> partitionsOf(Map<String, ? extends Set<Integer>> tasks, TopicLookup topics) {
        Map<String, List<Integer>> partitions = new TreeMap<>();
        if (topology == null) {
            return partitions;
        }
        tasks.forEach((sub, taskPartitions) -> {
            StreamsTopology.Subtopology subtopology = topology.subtopologies().get(sub);
            if (subtopology == null) {
                return;
            }
            for (String topic : subtopology.allSourceTopics()) {
                TopicLookup.Topic found = topics.topic(topic);
                int count = found == null ? 0 : found.partitions();
                taskPartitions.stream().filter(p -> p < count).sorted().forEach(p ->
                        partitions.computeIfAbsent(topic, t -> new ArrayList<>()).add(p));
            }
        });
        return partitions;
    }

    /** Every member's endpoint with the partitions its tasks read, for interactive queries. */
    List<StreamsGroupHeartbeat.EndpointPartitions> endpoints(Collection<StreamsGroupMember> members,
                                                             TopicLookup topics) {
        List<StreamsGroupHeartbeat.EndpointPartitions> endpoints = new ArrayList<>();
        for (StreamsGroupMember member : members) {
            if (member.userEndpoint() == null) {
                continue;
            }
            StreamsTasks tasks = member.assignment().assigned();
            Map<String, Set<Integer>> standby = new TreeMap<>(tasks.standby());
            tasks.warmup().forEach((sub, partitions) -> standby.merge(sub, partitions, (a, b) -> {
                Set<Integer> both = new TreeSet<>(a);
                both.addAll(b);
                return both;
            }));
            endpoints.add(new StreamsGroupHeartbeat.EndpointPartitions(member.userEndpoint(),
                    partitionsOf(tasks.active(), topics), partitionsOf(standby, topics)));
        }
        return endpoints;
    }
}

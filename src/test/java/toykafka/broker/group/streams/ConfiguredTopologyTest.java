package toykafka.broker.group.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.common.TopicId;
import toykafka.broker.group.MapTopicLookup;
import toykafka.broker.group.base.TopicLookup;

/** Kafka's rules for a streams group's topology against the broker's topics: partition counts and statuses. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConfiguredTopologyTest {

    private final Map<String, TopicLookup.Topic> existing = new HashMap<>();
    private final TopicLookup topics = new MapTopicLookup(existing);

    private void topic(String name, int partitions) {
        existing.put(name, new TopicLookup.Topic(TopicId.random(), partitions));
    }

    private static StreamsTopology.TopicInfo info(String name, int partitions) {
        return new StreamsTopology.TopicInfo(name, partitions, (short) 0, Map.of());
    }

    private static StreamsTopology topology(StreamsTopology.Subtopology... subtopologies) {
        TreeMap<String, StreamsTopology.Subtopology> byId = new TreeMap<>();
        for (StreamsTopology.Subtopology sub : subtopologies) {
            byId.put(sub.id(), sub);
        }
        return new StreamsTopology(0, byId);
    }

    /** A join of two inputs through repartition topics: 0 and 1 repartition, 2 joins them with a store. */
    private static StreamsTopology join(List<Set<String>> copartition) {
        return topology(
                new StreamsTopology.Subtopology("0", List.of("left"), List.of(), List.of("r-left"), List.of(),
                        List.of(), List.of()),
                new StreamsTopology.Subtopology("1", List.of("right"), List.of(), List.of("r-right"), List.of(),
                        List.of(), List.of()),
                new StreamsTopology.Subtopology("2", List.of(), List.of(), List.of(),
                        List.of(info("r-left", 0), info("r-right", 0)), List.of(info("store-changelog", 0)),
                        copartition));
    }

    @Test
    void a_repartition_topic_takes_the_largest_input_of_its_writer_and_a_changelog_its_task_count() {
        topic("left", 3);
        topic("right", 5);
        ConfiguredTopology configured = ConfiguredTopology.configure(join(List.of()), topics);
        assertEquals(Map.of("0", 3, "1", 5, "2", 5), configured.tasks());
        assertEquals(3, configured.toCreate().get("r-left").partitions());
        assertEquals(5, configured.toCreate().get("r-right").partitions());
        assertEquals(5, configured.toCreate().get("store-changelog").partitions());
        assertEquals(StreamsGroupHeartbeat.Status.MISSING_INTERNAL_TOPICS, configured.status());
        assertEquals("Internal topics are missing: r-left, r-right, store-changelog", configured.statusDetail());
    }

    @Test
    void copartitioned_repartition_topics_take_one_count_the_largest() {
        topic("left", 3);
        topic("right", 5);
        ConfiguredTopology configured = ConfiguredTopology.configure(join(List.of(Set.of("r-left", "r-right"))),
                topics);
        assertEquals(5, configured.toCreate().get("r-left").partitions());
        assertEquals(5, configured.toCreate().get("r-right").partitions());
    }

    @Test
    void copartitioned_source_topics_must_agree() {
        topic("a", 2);
        topic("b", 3);
        ConfiguredTopology configured = ConfiguredTopology.configure(topology(new StreamsTopology.Subtopology("0",
                List.of("a", "b"), List.of(), List.of(), List.of(), List.of(), List.of(Set.of("a", "b")))), topics);
        assertEquals(StreamsGroupHeartbeat.Status.INCORRECTLY_PARTITIONED_TOPICS, configured.status());
        assertEquals("Following topics do not have the same number of partitions: [{a=2, b=3}]",
                configured.statusDetail());
    }

    @Test
    void a_missing_source_topic_is_named_and_an_existing_internal_topic_must_have_its_count() {
        ConfiguredTopology missing = ConfiguredTopology.configure(join(List.of()), topics);
        assertEquals(StreamsGroupHeartbeat.Status.MISSING_SOURCE_TOPICS, missing.status());
        assertEquals("Source topics left, right are missing.", missing.statusDetail());

        topic("left", 2);
        topic("right", 2);
        topic("r-left", 2);
        topic("r-right", 2);
        topic("store-changelog", 7);
        ConfiguredTopology wrong = ConfiguredTopology.configure(join(List.of()), topics);
        assertEquals(StreamsGroupHeartbeat.Status.INCORRECTLY_PARTITIONED_TOPICS, wrong.status());
        assertEquals("Existing topic store-changelog has different number of partitions: expected 2, found 7",
                wrong.statusDetail());
        topic("store-changelog", 2);
        ConfiguredTopology ready = ConfiguredTopology.configure(join(List.of()), topics);
        assertNull(ready.status());
        assertEquals(Map.of(), ready.toCreate());
    }

    @Test
    void a_repartition_topic_no_one_writes_is_an_invalid_topology() {
        topic("in", 1);
        StreamsTopologyException e = assertThrows(StreamsTopologyException.class, () -> ConfiguredTopology.configure(
                topology(new StreamsTopology.Subtopology("0", List.of("in"), List.of(), List.of(),
                        List.of(info("orphan", 0)), List.of(), List.of())), topics));
        assertEquals("Failed to compute number of partitions for all repartition topics, because a repartition"
                + " source topic is never used as a sink topic.", e.getMessage());
    }
}

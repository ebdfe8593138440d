package toykafka.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeStreamsGroupsOptions;
import org.apache.kafka.clients.admin.StreamsGroupDescription;
import org.apache.kafka.clients.admin.StreamsGroupMemberAssignment;
import org.apache.kafka.clients.admin.StreamsGroupMemberDescription;
import org.apache.kafka.clients.admin.StreamsGroupSubtopologyDescription;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * Kafka Streams 4.4 with {@code group.protocol=streams}: two instances of a word count form a streams group, whose
 * coordinator assigns them the topology's tasks. What is written is what both brokers must agree on: the
 * topology as the group describes it (subtopologies, their source, repartition and changelog topics, and the
 * partitions the broker gave the internal topics it created), the tasks spread over the two members, each task
 * active once, the counts read back at exactly_once_v2, and the group after one instance leaves and after both do.
 */
final class StreamsGroupProbe {

    private static final String APP = "word-counters";
    private static final String INPUT = "streams-words";
    private static final String OUTPUT = "streams-counts";
    private static final int PARTITIONS = 4;
    private static final List<String> WORDS = List.of("apple", "bread", "cheese", "dates", "eggs", "figs");
    private static final int EACH = 10;
    private static final Duration WAIT = ProbeSession.WAIT;

    private final ProbeSession session;
    private final Path stateDirs;
    private final List<KafkaStreams> instances = new ArrayList<>();

    private StreamsGroupProbe(ProbeSession session, Path stateDirs) {
        this.session = session;
        this.stateDirs = stateDirs;
    }

    static void run(ProbeSession session) throws Exception {
        session.createTopic(INPUT, PARTITIONS, Map.of());
        session.createTopic(OUTPUT, PARTITIONS, Map.of());
        Path stateDirs = Files.createTempDirectory("streams-probe");
        StreamsGroupProbe probe = new StreamsGroupProbe(session, stateDirs);
        try {
            probe.countTogether();
        } finally {
            probe.instances.forEach(instance -> instance.close(WAIT));
            deleteAll(stateDirs);
        }
    }

    private void countTogether() throws Exception {
        instances.add(start("counter-1"));
        instances.add(start("counter-2"));
        try (Admin admin = session.admin()) {
            StreamsGroupDescription group = awaitGroup(admin, "both instances settled",
                    described -> described.members().size() == 2 && settled(described));
            writeTopology(admin, group);
            writeTasks("two members", group);
            session.write("a caller may " + ProbeSession.operations(admin.describeStreamsGroups(List.of(APP),
                    new DescribeStreamsGroupsOptions().includeAuthorizedOperations(true)).all()
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS).get(APP).authorizedOperations()) + " with the streams group");

            produceWords();
            session.write("counts at exactly_once_v2: " + readCounts());

            instances.remove(1).close(WAIT); // closing leaves the group, as a streams member does
            group = awaitGroup(admin, "one instance left", described -> described.members().size() == 1
                    && settled(described));
            writeTasks("one member", group);

            instances.remove(0).close(WAIT);
            group = awaitGroup(admin, "both instances left", described -> described.members().isEmpty());
            session.write("both closed: state " + group.groupState());
            session.step("delete the streams group", () -> admin.deleteStreamsGroups(List.of(APP)).all()
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            session.step("describe it after", () -> admin.describeStreamsGroups(List.of(APP)).all()
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    private KafkaStreams start(String clientId) throws IOException {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(INPUT, Consumed.with(Serdes.String(), Serdes.String()))
                .groupBy((key, word) -> word, Grouped.with(Serdes.String(), Serdes.String()))
                .count(Materialized.<String, Long>as(Stores.inMemoryKeyValueStore("counts"))
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
                .toStream()
                .to(OUTPUT, Produced.with(Serdes.String(), Serdes.Long()));
        Properties settings = new Properties();
        settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, session.bootstrap());
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
        settings.put(StreamsConfig.CLIENT_ID_CONFIG, clientId);
        settings.put(StreamsConfig.GROUP_PROTOCOL_CONFIG, "streams");
        settings.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        settings.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(stateDirs.resolve(clientId)).toString());
        settings.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        settings.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        KafkaStreams streams = new KafkaStreams(builder.build(), settings);
        streams.start();
        return streams;
    }

    /** Every member at the group's target: what it owns is what the coordinator meant it to own. */
    private static boolean settled(StreamsGroupDescription group) {
        // a group is Stable with no tasks before its topology is configured (its internal topics made): not yet
        return group.groupState() == GroupState.STABLE && group.subtopologies() != null && group.members().stream()
                .allMatch(member -> tasks(member.assignment()).equals(tasks(member.targetAssignment())));
    }

    private StreamsGroupDescription awaitGroup(Admin admin, String what, Predicate<StreamsGroupDescription> wanted)
            throws Exception {
        return ProbeSession.awaitGroup(what, () -> admin.describeStreamsGroups(List.of(APP)).all()
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS).get(APP), wanted);
    }

    /** Each subtopology's topics, and the partitions the broker gave each internal topic it created. */
    private void writeTopology(Admin admin, StreamsGroupDescription group) throws Exception {
        Set<String> internal = new TreeSet<>();
        for (StreamsGroupSubtopologyDescription subtopology : sorted(group.subtopologies())) {
            session.write("subtopology " + subtopology.subtopologyId() + ": sources "
                    + new TreeSet<>(subtopology.sourceTopics()) + ", repartition sinks "
                    + new TreeSet<>(subtopology.repartitionSinkTopics()) + ", repartition sources "
                    + partitions(subtopology.repartitionSourceTopics()) + ", changelogs "
                    + partitions(subtopology.stateChangelogTopics()));
            internal.addAll(subtopology.repartitionSourceTopics().keySet());
            internal.addAll(subtopology.stateChangelogTopics().keySet());
        }
        Map<String, TopicDescription> created = admin.describeTopics(internal).allTopicNames()
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        Map<String, Integer> counts = new TreeMap<>();
        created.forEach((name, topic) -> counts.put(name, topic.partitions().size()));
        session.write("internal topics the broker created: " + counts);
    }

    /** How the active and standby tasks are spread over the members, and whether each task is active once. */
    private void writeTasks(String when, StreamsGroupDescription group) {
        List<Integer> activePerMember = new ArrayList<>();
        List<String> everyActive = new ArrayList<>();
        int standby = 0;
        for (StreamsGroupMemberDescription member : group.members()) {
            List<String> active = tasks(member.assignment());
            activePerMember.add(active.size());
            everyActive.addAll(active);
            standby += member.assignment().standbyTasks().stream().mapToInt(t -> t.partitions().size()).sum();
        }
        activePerMember.sort(Comparator.naturalOrder());
        List<String> unique = new ArrayList<>(new TreeSet<>(everyActive));
        session.write(when + ": state " + group.groupState() + ", active tasks per member " + activePerMember
                + ", standby tasks " + standby + ", tasks " + unique + ", each active once "
                + (unique.size() == everyActive.size()));
    }

    private static List<String> tasks(StreamsGroupMemberAssignment assignment) {
        List<String> tasks = new ArrayList<>();
        for (StreamsGroupMemberAssignment.TaskIds subtopology : assignment.activeTasks()) {
            subtopology.partitions().forEach(partition -> tasks.add(subtopology.subtopologyId() + "_" + partition));
        }
        tasks.sort(Comparator.naturalOrder());
        return tasks;
    }

    private static List<StreamsGroupSubtopologyDescription> sorted(
            java.util.Collection<StreamsGroupSubtopologyDescription> subtopologies) {
        return subtopologies.stream().sorted(Comparator.comparing(StreamsGroupSubtopologyDescription::subtopologyId))
                .toList();
    }

    private static Map<String, Integer> partitions(Map<String, StreamsGroupSubtopologyDescription.TopicInfo> topics) {
        Map<String, Integer> partitions = new TreeMap<>();
        topics.forEach((name, info) -> partitions.put(name, info.partitions()));
        return partitions;
    }

    private void produceWords() throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(session.producerSettings())) {
            for (int i = 0; i < WORDS.size() * EACH; i++) {
                producer.send(new ProducerRecord<>(INPUT, "line-" + i, WORDS.get(i % WORDS.size())));
            }
            producer.flush();
        }
    }

    /** The output read committed until every word's count is {@link #EACH}: each word's counts as they came. */
    private Map<String, List<Long>> readCounts() {
        Map<String, Object> settings = session.consumerSettings(null, "earliest");
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, LongDeserializer.class);
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        Map<String, List<Long>> counts = new TreeMap<>();
        try (KafkaConsumer<String, Long> consumer = new KafkaConsumer<>(settings)) {
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                all.add(new TopicPartition(OUTPUT, p));
            }
            consumer.assign(all);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline && !(counts.size() == WORDS.size() && counts.values().stream()
                    .allMatch(seen -> seen.get(seen.size() - 1) == EACH))) {
                for (ConsumerRecord<String, Long> record : consumer.poll(Duration.ofMillis(200))) {
                    counts.computeIfAbsent(record.key(), word -> new ArrayList<>()).add(record.value());
                }
            }
        }
        return counts;
    }

    private static void deleteAll(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

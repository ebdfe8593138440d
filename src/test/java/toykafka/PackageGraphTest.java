package toykafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The house rules for the course's packages, read from the sources: imports point down, never back up.
 * The core speaks to nobody; a lesson builds on earlier lessons and the shared pieces, never on a later
 * lesson or on the tools, benchmarks, course map and command line that sit above every lesson.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PackageGraphTest {

    private static final Path SOURCES = Path.of("src", "main", "java", "toykafka");
    /** A reference to a class (or every class) of a package, subpackages named in full: broker.group. */
    private static final Pattern REFERENCE = Pattern.compile("\\btoykafka\\.([a-z0-9]+(?:\\.[a-z0-9]+)*)\\.[A-Z*]");
    private static final Pattern LESSON = Pattern.compile("lesson(\\d\\d)");
    /** The packages above the lessons: they may use any lesson, and no lesson may use them. */
    private static final Set<String> ABOVE_LESSONS = Set.of("cli", "course", "tools", "bench", "headtohead", "harness",
            "notebook", "check");
    /**
     * What the benchmarks share (a report printed as it goes, work folders, a broker to measure, kafka-clients load
     * and raw connections), below our own benchmarks and the head-to-head against Apache Kafka, which know nothing
     * of each other.
     */
    private static final String HARNESS = "harness";
    private static final Set<String> BENCHMARKS = Set.of("bench", "headtohead");
    /**
     * The broker and its front ends: built from the lessons, used by the lessons after them and by the packages above.
     * The console is a page the HTTP front end serves, its routes handed to the front end by whoever starts it.
     */
    private static final Set<String> BROKER = Set.of("broker", "broker.config", "broker.coordinators", "broker.stats",
            "broker.group", "broker.group.base", "broker.group.modern", "broker.group.classic", "broker.group.consumer", "broker.group.share",
            "broker.group.streams", "broker.txn", "broker.share", "broker.share.partition", "broker.security", "broker.quota", "restproxy", "http",
            "console", "kafka", "client");
    /**
     * The group coordinator's rooms: what every group type stands on, then one room per type. The coordinator in
     * {@code broker.group} stands on them all and only delegates; a room never reaches back up to it.
     */
    private static final String GROUP_BASE = "broker.group.base";
    /** What the groups of Kafka's newer protocols share (Kafka's ModernGroup): consumer, share and streams groups. */
    private static final String GROUP_MODERN = "broker.group.modern";
    private static final Set<String> MODERN_TYPES = Set.of("broker.group.consumer", "broker.group.share",
            "broker.group.streams");
    private static final List<String> GROUP_TYPES = List.of("broker.group.classic", "broker.group.consumer",
            "broker.group.share", "broker.group.streams");
    /**
     * Share groups' data path (Kafka's SharePartitionManager, its share sessions, its dead-letter queue and the
     * persister's records): below the broker, which hands it the partitions' logs through a ShareLog.
     */
    private static final String SHARE = "broker.share";
    /**
     * The share partition of share groups (Kafka's SharePartition): protocol-neutral and free of I/O, it knows only
     * the shared errors, so the wire protocol, the share group coordinator and its persistence build on it.
     */
    private static final String SHARE_PARTITION = "broker.share.partition";
    /**
     * Who may do what (Kafka's principals, its StandardAuthorizer and its SCRAM credentials): protocol-neutral and
     * free of the broker, so the front ends ask it before the core and the core stays free of principals.
     */
    private static final String SECURITY = "broker.security";
    /**
     * How much a client may take (Kafka's ClientQuotaManager, its quota settings and sampled rates): protocol-neutral
     * and free of the broker, so the front ends measure a client against it and the core knows no quota.
     */
    private static final String QUOTA = "broker.quota";
    /**
     * The broker's storage management (partitions on files or in memory, the threads that open and close them,
     * the clean-shutdown marker): built on the logs of lessons 8 and 9, below the broker, and taught with lesson 10.
     */
    private static final String STORAGE = "storage";
    /**
     * Each log's producer state (Kafka's ProducerStateManager), which the log owns: below the storage, reading its
     * log through a seam of its own, so it knows only the shared pieces.
     */
    private static final String PRODUCER_STATE = "storage.producers";
    /** The last lesson the storage stands on. */
    private static final int STORAGE_LESSON = 9;
    /** The first lesson that stands on the broker, and on its storage. */
    private static final int FIRST_BROKER_LESSON = 10;
    /** The shared pieces every layer may use. */
    private static final Set<String> SHARED = Set.of("common", "archive", "clock", "data", "narration");

    /** A reference to Apache Kafka's client library: an import, or a name written in full. */
    private static final Pattern KAFKA_CLIENT = Pattern.compile("\\borg\\.apache\\.kafka\\.");
    /** The packages above the lessons that may drive a broker with Kafka's own client: the benchmarks and the CLI. */
    private static final Set<String> KAFKA_CLIENT_USERS = Set.of("bench", "headtohead", "harness", "cli", "apachekafka");
    /**
     * Apache Kafka itself, started from its jars in a JVM of its own: asked whether it is up with Kafka's Admin
     * client, and built on nothing of ours, so the benchmarks, the command line and lessons from 13 may start it.
     */
    private static final String APACHE_KAFKA = "apachekafka";
    /** The first lesson that may use Kafka's own client: 13, where the broker speaks Kafka's protocol. */
    private static final int FIRST_KAFKA_CLIENT_LESSON = 13;

    /** Each package, and the other toykafka packages its main sources name. */
    private static Map<String, Set<String>> graph() {
        Map<String, Set<String>> uses = new TreeMap<>();
        sources().forEach((from, codes) -> {
            Set<String> targets = uses.computeIfAbsent(from, key -> new TreeSet<>());
            for (String code : codes) {
                Matcher reference = REFERENCE.matcher(code);
                while (reference.find()) {
                    if (!reference.group(1).equals(from)) {
                        targets.add(reference.group(1));
                    }
                }
            }
        });
        return uses;
    }

    /** Each package, and the code of its main source files, without their package line. */
    private static Map<String, List<String>> sources() {
        Map<String, List<String>> codes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String from = SOURCES.relativize(file.getParent()).toString().replace('/', '.');
                codes.computeIfAbsent(from, key -> new ArrayList<>())
                        .add(Files.readString(file).replaceFirst("(?m)^package .*$", ""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return codes;
    }

    /**
     * Every package has its place in the rules before it has code: a lesson, a shared piece, the broker or a
     * front end, the storage, Apache Kafka's launcher, or the packages above the lessons.
     */
    @Test
    void every_package_has_a_place_in_these_rules() {
        List<String> unplaced = graph().keySet().stream()
                .filter(from -> !LESSON.matcher(from).matches() && !SHARED.contains(from) && !BROKER.contains(from)
                        && !from.equals(STORAGE) && !from.equals(PRODUCER_STATE) && !from.equals(APACHE_KAFKA)
                        && !ABOVE_LESSONS.contains(from))
                .toList();
        assertEquals(List.of(), unplaced, "a new package is placed in PackageGraphTest first");
    }

    @Test
    void no_package_uses_a_package_that_uses_it_back() {
        Map<String, Set<String>> uses = graph();
        List<String> cycles = new ArrayList<>();
        for (String from : uses.keySet()) {
            for (String to : uses.get(from)) {
                List<String> back = path(uses, to, from, new TreeSet<>());
                if (back != null) {
                    cycles.add(from + " -> " + String.join(" -> ", back));
                }
            }
        }
        assertEquals(List.of(), cycles, "imports must point one way only");
    }

    @Test
    void a_lesson_uses_only_earlier_lessons_and_the_shared_pieces() {
        List<String> wrong = new ArrayList<>();
        graph().forEach((from, targets) -> {
            Matcher lesson = LESSON.matcher(from);
            if (!lesson.matches()) {
                return;
            }
            for (String to : targets) {
                Matcher other = LESSON.matcher(to);
                int number = Integer.parseInt(lesson.group(1));
                boolean earlier = other.matches() && Integer.parseInt(other.group(1)) < number;
                boolean broker = (BROKER.contains(to) || to.equals(STORAGE) || to.equals(PRODUCER_STATE))
                        && number >= FIRST_BROKER_LESSON;
                boolean apacheKafka = to.equals(APACHE_KAFKA) && number >= FIRST_KAFKA_CLIENT_LESSON;
                if (!earlier && !broker && !apacheKafka && !SHARED.contains(to)) {
                    wrong.add(from + " uses " + to);
                }
            }
        });
        assertEquals(List.of(), wrong);
    }

    @Test
    void the_broker_uses_lessons_and_shared_pieces_but_nothing_above_it() {
        List<String> wrong = new ArrayList<>();
        graph().forEach((from, targets) -> {
            if (BROKER.contains(from)) {
                targets.stream().filter(ABOVE_LESSONS::contains).forEach(to -> wrong.add(from + " uses " + to));
            }
        });
        assertEquals(List.of(), wrong);
        Set<String> frontEnds = Set.of("restproxy", "http", "console", "kafka", "client");
        assertTrue(graph().getOrDefault("broker", Set.of()).stream().noneMatch(frontEnds::contains),
                "the broker knows none of its front ends, REST Proxy's consumer instances included");
        assertTrue(graph().getOrDefault("kafka", Set.of()).stream().noneMatch(Set.of("restproxy", "http", "console", "client")::contains),
                "the Kafka front end translates to the broker, and knows no other front end");
        for (String group : groupPackages()) {
            assertTrue(graph().getOrDefault(group, Set.of()).stream()
                            .noneMatch(to -> BROKER.contains(to) && !to.startsWith("broker.group")),
                    group + " knows neither the broker that uses the coordinator nor any front end: " + graph().get(group));
        }
        for (String room : List.of("broker.config", "broker.coordinators", "broker.stats", SHARE)) {
            assertTrue(graph().getOrDefault(room, Set.of()).stream()
                            .noneMatch(Set.of("broker", "restproxy", "http", "console", "kafka", "client")::contains),
                    room + " lies below the broker that wires it, and knows no front end: " + graph().get(room));
        }
    }

    /**
     * The group rooms: the base knows no group type; each type's room stands on the base, consumer, share and streams
     * groups on what the newer protocols share (modern) too, which stands on the base alone, and a consumer group's
     * room on the classic one too, since classic members join consumer groups; no room knows the coordinator above it.
     */
    @Test
    void each_group_type_has_a_room_standing_on_the_base_and_none_reaches_back_to_the_coordinator() {
        Map<String, Set<String>> uses = graph();
        Set<String> baseUses = uses.getOrDefault(GROUP_BASE, Set.of());
        assertTrue(baseUses.stream().noneMatch(to -> to.startsWith("broker.group")),
                "what every group type stands on names no group type: " + baseUses);
        assertTrue(uses.containsKey(GROUP_MODERN), "the room " + GROUP_MODERN + " exists");
        Set<String> modernUses = new TreeSet<>(uses.get(GROUP_MODERN));
        modernUses.removeIf(to -> !to.startsWith("broker.group"));
        assertEquals(Set.of(GROUP_BASE), modernUses, "what the newer protocols share stands on the base alone");
        for (String room : GROUP_TYPES) {
            assertTrue(uses.containsKey(room), "the room " + room + " exists");
            Set<String> groups = new TreeSet<>(uses.get(room));
            groups.removeIf(to -> !to.startsWith("broker.group"));
            Set<String> allowed = new TreeSet<>(Set.of(GROUP_BASE));
            if (MODERN_TYPES.contains(room)) {
                allowed.add(GROUP_MODERN);
            }
            if (room.equals("broker.group.consumer")) {
                allowed.add("broker.group.classic");
            }
            assertTrue(allowed.containsAll(groups), room + " stands on " + allowed + " only, not " + groups);
        }
    }

    /**
     * A behaviour that differs by group type is a method of {@code Group}: outside the group rooms no code asks a group
     * its type, except the registry's one narrowing of a found group to the type a protocol's call is for.
     */
    @Test
    void outside_the_group_rooms_no_code_branches_on_a_group_type() throws IOException {
        Pattern typeTest = Pattern.compile("instanceof\\s+(Classic|Consumer|Share|Streams|Modern)Group\\b");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String from = SOURCES.relativize(file.getParent()).toString().replace('/', '.');
                if (from.startsWith("broker.group.")) { // a room of the group coordinator
                    continue;
                }
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (typeTest.matcher(lines.get(i)).find()) {
                        found.add(SOURCES.relativize(file) + ":" + (i + 1));
                    }
                }
            }
        }
        assertEquals(List.of(), found, "a behaviour that differs by group type belongs to Group and its rooms");
    }

    private static List<String> groupPackages() {
        List<String> all = new ArrayList<>(List.of("broker.group", GROUP_BASE, GROUP_MODERN));
        all.addAll(GROUP_TYPES);
        return all;
    }

    @Test
    void the_share_partition_knows_only_the_shared_errors() {
        Map<String, Set<String>> uses = graph();
        assertTrue(uses.containsKey(SHARE_PARTITION), "the package " + SHARE_PARTITION + " exists");
        assertTrue(Set.of("common").containsAll(uses.get(SHARE_PARTITION)),
                "the share partition reads no log, writes no state and speaks no protocol: " + uses.get(SHARE_PARTITION));
    }

    @Test
    void who_may_do_what_is_decided_below_the_broker_from_the_shared_pieces() {
        Map<String, Set<String>> uses = graph();
        assertTrue(uses.containsKey(SECURITY), "the package " + SECURITY + " exists");
        assertTrue(SHARED.containsAll(uses.get(SECURITY)),
                "the authorizer and the credentials know no broker, log or protocol: " + uses.get(SECURITY));
    }

    @Test
    void how_much_a_client_may_take_is_decided_below_the_broker_from_the_shared_pieces() {
        Map<String, Set<String>> uses = graph();
        assertTrue(uses.containsKey(QUOTA), "the package " + QUOTA + " exists");
        assertTrue(SHARED.containsAll(uses.get(QUOTA)),
                "the quotas know no broker, log, principal or protocol: " + uses.get(QUOTA));
    }

    @Test
    void the_storage_stands_on_lessons_8_and_9_and_the_shared_pieces_below_the_broker() {
        Map<String, Set<String>> uses = graph();
        assertTrue(uses.containsKey(STORAGE), "the package " + STORAGE + " exists");
        List<String> wrong = new ArrayList<>();
        for (String to : uses.get(STORAGE)) {
            Matcher lesson = LESSON.matcher(to);
            boolean below = lesson.matches() && Integer.parseInt(lesson.group(1)) <= STORAGE_LESSON;
            if (!below && !SHARED.contains(to) && !to.equals(PRODUCER_STATE)) {
                wrong.add(STORAGE + " uses " + to);
            }
        }
        assertEquals(List.of(), wrong, "the storage knows the logs of lessons 8 and 9 and the shared pieces, not the broker above it");
        assertTrue(uses.containsKey(PRODUCER_STATE), "the package " + PRODUCER_STATE + " exists");
        assertTrue(SHARED.containsAll(uses.get(PRODUCER_STATE)),
                "a log's producer state reads its log through ProducerLog and knows only the shared pieces: "
                        + uses.get(PRODUCER_STATE));
    }

    @Test
    void rest_proxys_consumer_instances_are_a_client_of_the_core_and_know_no_front_end() {
        assertTrue(graph().containsKey("restproxy"), "the package restproxy exists");
        Set<String> restProxy = graph().get("restproxy");
        assertTrue(restProxy.contains("broker") && restProxy.stream().anyMatch(to -> to.startsWith("broker.group")),
                "the instances read through the data path and are members of the coordinator's groups: " + restProxy);
        assertTrue(restProxy.stream().noneMatch(Set.of("http", "console", "kafka", "client")::contains),
                "the instances use the core's public API only; the HTTP front end uses them, not the other way: "
                        + restProxy);
    }

    @Test
    void apache_kafka_is_started_by_the_benchmarks_the_command_line_and_later_lessons_and_knows_nothing_of_ours() {
        Map<String, Set<String>> uses = graph();
        assertTrue(uses.containsKey(APACHE_KAFKA), "the package " + APACHE_KAFKA + " exists");
        assertEquals(Set.of(), uses.get(APACHE_KAFKA), "the real Kafka is no client of our code");
        List<String> wrong = new ArrayList<>();
        uses.forEach((from, targets) -> {
            Matcher lesson = LESSON.matcher(from);
            boolean allowed = ABOVE_LESSONS.contains(from)
                    || lesson.matches() && Integer.parseInt(lesson.group(1)) >= FIRST_KAFKA_CLIENT_LESSON;
            if (targets.contains(APACHE_KAFKA) && !allowed) {
                wrong.add(from + " uses " + APACHE_KAFKA);
            }
        });
        assertEquals(List.of(), wrong, "the broker, its front ends and the early lessons never start Apache Kafka");
    }

    @Test
    void the_client_library_reaches_the_broker_only_through_http() {
        assertTrue(graph().containsKey("client"), "the package client exists");
        Set<String> client = graph().get("client");
        assertTrue(client.stream().noneMatch(Set.of("broker", "http", "console")::contains),
                "toykafka.client speaks to a broker at an address, and knows neither its code nor its front end: " + client);
    }

    @Test
    void the_console_builds_on_the_http_front_end_which_knows_it_not() {
        Map<String, Set<String>> uses = graph();
        assertTrue(uses.containsKey("console"), "the package console exists");
        assertTrue(uses.get("console").contains("http"), "the console's routes are the HTTP front end's: " + uses.get("console"));
        assertTrue(uses.get("console").stream().noneMatch(Set.of("restproxy", "kafka", "client")::contains),
                "the console reads the broker itself, through no other front end: " + uses.get("console"));
        assertFalse(uses.get("http").contains("console"),
                "the HTTP front end takes the console's routes from whoever starts it, and never names the console");
    }

    @Test
    void the_benchmarks_share_a_harness_that_knows_none_of_them_and_know_nothing_of_each_other() {
        Map<String, Set<String>> uses = graph();
        assertTrue(uses.containsKey(HARNESS), "the package " + HARNESS + " exists");
        List<String> wrong = new ArrayList<>();
        for (String benchmarks : BENCHMARKS) {
            assertTrue(uses.containsKey(benchmarks), "the package " + benchmarks + " exists");
            assertTrue(uses.get(benchmarks).contains(HARNESS), benchmarks + " runs on the harness: " + uses.get(benchmarks));
            uses.get(benchmarks).stream().filter(BENCHMARKS::contains).forEach(to -> wrong.add(benchmarks + " uses " + to));
            uses.get(benchmarks).stream().filter(Set.of("cli", "course", "notebook", "check")::contains)
                    .forEach(to -> wrong.add(benchmarks + " uses " + to));
        }
        uses.get(HARNESS).stream().filter(to -> ABOVE_LESSONS.contains(to)).forEach(to -> wrong.add(HARNESS + " uses " + to));
        assertEquals(List.of(), wrong, "the command line runs the benchmarks; they stand on the harness alone");
    }

    @Test
    void the_shared_pieces_use_no_lesson_and_nothing_above_them() {
        Map<String, Set<String>> uses = graph();
        assertEquals(Set.of(), uses.get("common"), "the core speaks only Java");
        for (String shared : SHARED) {
            for (String to : uses.getOrDefault(shared, Set.of())) {
                assertTrue(SHARED.contains(to), shared + " uses " + to + ", which is not a shared piece");
            }
        }
        for (String above : ABOVE_LESSONS) {
            assertTrue(uses.containsKey(above), "the package " + above + " exists");
        }
    }

    @Test
    void only_the_benchmarks_the_command_line_and_lessons_from_13_use_kafkas_own_client() {
        Set<String> naming = new TreeSet<>();
        sources().forEach((from, codes) -> {
            if (codes.stream().anyMatch(code -> KAFKA_CLIENT.matcher(code).find())) {
                naming.add(from);
            }
        });
        assertTrue(naming.contains("bench") && naming.contains("headtohead"),
                "the rule sees the benchmarks that drive a broker with kafka-clients: " + naming);
        List<String> wrong = naming.stream().filter(from -> !mayUseKafkaClient(from))
                .map(from -> from + " uses org.apache.kafka").toList();
        assertEquals(List.of(), wrong, "the broker, its front ends, the shared pieces and lessons before "
                + FIRST_KAFKA_CLIENT_LESSON + " are built without Kafka's code; only what drives a broker as a client may use it");
    }

    private static boolean mayUseKafkaClient(String from) {
        Matcher lesson = LESSON.matcher(from);
        return KAFKA_CLIENT_USERS.contains(from)
                || lesson.matches() && Integer.parseInt(lesson.group(1)) >= FIRST_KAFKA_CLIENT_LESSON;
    }

    /** A path of uses from {@code from} to {@code to}, or null if there is none. */
    private static List<String> path(Map<String, Set<String>> uses, String from, String to, Set<String> seen) {
        if (from.equals(to)) {
            return new ArrayList<>(List.of(to));
        }
        if (!seen.add(from)) {
            return null;
        }
        for (String next : uses.getOrDefault(from, Set.of())) {
            List<String> rest = path(uses, next, to, seen);
            if (rest != null) {
                rest.add(0, from);
                return rest;
            }
        }
        return null;
    }
}

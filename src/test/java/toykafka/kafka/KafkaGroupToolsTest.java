package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.kafka.RecordTimes.FIRST_TIMESTAMP;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import toykafka.broker.Partitions;
import toykafka.broker.config.BrokerConfig;
import toykafka.common.Record;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * Consumer groups on our broker as Kafka's own tools (4.4) and kcat see them, each in a process of its own:
 * two kcat members share a topic's partitions and commit where they stopped; the console consumer reads in a
 * group; kafka-consumer-groups lists, describes (members too), resets, deletes offsets and deletes groups; and
 * kafka-consumer-perf-test reads a topic to its end in a group; the console consumer on Kafka 4's protocol
 * ({@code group.protocol=consumer}) makes a consumer group, which the tool lists by type and state. One broker; a topic and a group a test. The
 * records are written through the broker's core, so that the tools are asked only to consume and to manage.
 * kcat members run in the background and are stopped with SIGTERM, on which kcat closes its consumer: it
 * commits its offsets and leaves the group, as Ctrl-C would have it do.
 */
class KafkaGroupToolsTest {

    /**
     * A bound for a member to join, read or stop, or for a tool to hear from the broker, on a two-core machine
     * that runs other work too: each wait ends at the answer, so minutes cost a quiet run nothing.
     */
    private static final Duration LIMIT = Duration.ofMinutes(4);
    /**
     * LIMIT in milliseconds, for the tools' own timeouts: kafka-consumer-groups gives each admin call, from
     * FindCoordinator on, 5 s unless told otherwise, which a JVM starved at a load of 25 has been seen to miss.
     */
    private static final String TOOL_TIMEOUT_MS = String.valueOf(LIMIT.toMillis());
    /** kcat's line for each record: partition, offset and value. */
    private static final String FORMAT = "%p %o %s\\n";
    /** kcat's note on standard error for each rebalance: which partitions it was given or had taken away. */
    private static final Pattern REBALANCED = Pattern.compile(
            "^% Group (\\S+) rebalanced \\(memberid (\\S+)\\): (assigned|revoked):(.*)$", Pattern.MULTILINE);

    /** No cleanup while the class runs: a group the tools leave empty stays until they delete it, however slow. */
    @StartedBroker(value = FrontEnd.KAFKA, settings = @StartedBroker.Setting(
            name = BrokerConfig.OFFSETS_RETENTION_CHECK_INTERVAL_MS, value = "86400000"))
    static RunningBroker broker;

    @Test
    void two_kcat_members_of_a_group_share_the_partitions_read_each_record_once_and_commit_to_the_end()
            throws InterruptedException {
        Kcat kcat = Kcat.require();
        String topic = "kitchen-tickets";
        String group = "kitchen-screens";
        broker.broker().createTopic(topic, 4, Map.of(), OnDuplicate.FAIL);

        try (ChildProcess.Running first = member(kcat, group, topic, "screen-a")) {
            first.awaitErrors("its first assignment", errors -> rebalances(errors).size() >= 1, LIMIT);
            try (ChildProcess.Running second = member(kcat, group, topic, "screen-b")) {
                second.awaitErrors("its assignment", errors -> rebalances(errors).size() >= 1, LIMIT);
                // the group's second generation: the first member gave up its partitions and took its share
                first.awaitErrors("its share after the second member joined", errors -> rebalances(errors).size() >= 3, LIMIT);
                Set<Integer> firstShare = share(first.errors(), topic);
                Set<Integer> secondShare = share(second.errors(), topic);
                assertFalse(firstShare.isEmpty(), first.describe());
                assertFalse(secondShare.isEmpty(), second.describe());
                assertTrue(disjoint(firstShare, secondShare), firstShare + " and " + secondShare);
                assertEquals(Set.of(0, 1, 2, 3), union(firstShare, secondShare), "between them, every partition");

                List<String> written = writeRecords(topic, 4, 5);
                for (int partition = 0; partition < 4; partition++) {
                    ChildProcess.Running owner = firstShare.contains(partition) ? first : second;
                    String end = "Reached end of topic " + topic + " [" + partition + "] at offset 5";
                    owner.awaitErrors(end, errors -> errors.contains(end), LIMIT);
                }
                assertEquals(0, second.stop(LIMIT), second.describe());
                assertEquals(0, first.stop(LIMIT), first.describe());
                List<String> firstRead = first.output().lines().toList();
                List<String> secondRead = second.output().lines().toList();

                assertTrue(firstShare.containsAll(partitionsOf(firstRead)), "only from its share: " + firstRead);
                assertTrue(secondShare.containsAll(partitionsOf(secondRead)), "only from its share: " + secondRead);
                List<String> values = Stream.concat(firstRead.stream(), secondRead.stream())
                        .map(line -> line.split(" ", 3)[2]).sorted().toList();
                assertEquals(written.stream().sorted().toList(), values, "every record, each read once");
            }
        }

        List<OffsetRow> described = describeOffsets(group);
        assertEquals(4, described.size(), "a row for each partition: " + described);
        for (OffsetRow row : described) {
            assertEquals(topic, row.topic());
            assertEquals("5", row.currentOffset(), "kcat committed where it stopped: " + row);
            assertEquals("5", row.logEndOffset(), row.toString());
            assertEquals("0", row.lag(), row.toString());
            assertEquals("-", row.consumerId(), "both members left the group as they stopped: " + row);
        }
    }

    @Test
    void the_console_consumer_reads_every_record_in_a_group_which_the_tool_lists_and_describes_with_its_connected_member()
            throws InterruptedException {
        Kcat kcat = Kcat.require();
        String topic = "bakery-orders";
        String group = "oven-planners";
        broker.broker().createTopic(topic, 3, Map.of(), OnDuplicate.FAIL);
        List<String> written = writeRecords(topic, 3, 10);

        ChildProcess.Result consumed = KafkaTool.CONSOLE_CONSUMER.run(null, "--bootstrap-server", bootstrap(), "--topic", topic,
                "--group", group, "--from-beginning", "--max-messages", "30", "--timeout-ms", TOOL_TIMEOUT_MS).assertSucceeded();
        assertEquals(written.stream().sorted().toList(), consumed.lines().stream().sorted().toList(), consumed.describe());

        try (ChildProcess.Running member = member(kcat, group, topic, "oven-display")) {
            String errors = member.awaitErrors("its assignment", said -> rebalances(said).size() >= 1, LIMIT);
            String memberId = rebalances(errors).get(0).memberId();

            ChildProcess.Result members = consumerGroups("--describe", "--group", group, "--members", "--verbose")
                    .assertSucceeded();
            List<String[]> rows = rows(members.output(), group);
            assertEquals(1, rows.size(), "one member: " + members.describe());
            // GROUP CONSUMER-ID HOST CLIENT-ID #PARTITIONS CURRENT-EPOCH CURRENT-ASSIGNMENT TARGET-EPOCH
            // TARGET-ASSIGNMENT: a classic group's member has no epochs and no target, printed "-"
            String[] row = rows.get(0);
            assertEquals(List.of(memberId, "/127.0.0.1", "oven-display", "3", "-", topic + ":0,1,2", "-", "-"),
                    List.of(row).subList(1, 9), "the member id the broker gave kcat, the host it connected from, its"
                    + " client id and all three partitions: " + members.describe());

            List<String> listed = consumerGroups("--list").assertSucceeded().lines().stream().map(String::strip).toList();
            assertTrue(listed.contains(group), listed.toString());

            assertEquals(0, member.stop(LIMIT), member.describe());
        }
    }

    // tag::consumer-protocol[]
    @Test
    void a_console_consumer_on_kip_848s_protocol_reads_in_a_consumer_group_which_the_tool_lists_by_type_and_state_and_describes()
            throws InterruptedException {
        String topic = "bread-orders";
        String group = "bread-planners";
        broker.broker().createTopic(topic, 3, Map.of(), OnDuplicate.FAIL);
        List<String> written = writeRecords(topic, 3, 10);

        try (ChildProcess.Running consumer = ChildJvm.start(ChildJvm.apacheKafkaClassPath(), KafkaTool.CONSOLE_CONSUMER.mainClass,
                List.of("--bootstrap-server", bootstrap(), "--topic", topic, "--group", group, "--from-beginning",
                        "--command-property", "group.protocol=consumer"))) {
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (consumer.output().lines().count() < written.size()) {
                assertTrue(System.nanoTime() < deadline, "never read every record: " + consumer.describe());
                Thread.sleep(50);
            }
            assertEquals(written.stream().sorted().toList(), consumer.output().lines().sorted().toList());

            // GROUP TYPE, and GROUP STATE: a group of Kafka 4's protocol is of type Consumer, in its own states
            assertEquals(List.of(group, "Consumer"), List.of(rows(consumerGroups("--list", "--type")
                    .assertSucceeded().output(), group).get(0)));
            assertEquals(1, rows(consumerGroups("--list", "--state", "Stable").assertSucceeded().output(), group).size());
            assertEquals(0, rows(consumerGroups("--list", "--state", "Empty").assertSucceeded().output(), group).size());
            // GROUP COORDINATOR (ID) ASSIGNMENT-STRATEGY STATE #MEMBERS: the broker's assignor, not a client's
            ChildProcess.Result state = consumerGroups("--describe", "--group", group, "--state").assertSucceeded();
            String[] stateRow = rows(state.output(), group).get(0);
            assertEquals(List.of("uniform", "Stable", "1"), List.of(stateRow).subList(3, 6), state.describe());
            // From ConsumerGroupDescribe, each member's epoch and target (v1) beside its assignment:
            // GROUP CONSUMER-ID HOST CLIENT-ID #PARTITIONS CURRENT-EPOCH CURRENT-ASSIGNMENT TARGET-EPOCH TARGET-ASSIGNMENT
            ChildProcess.Result verbose = KafkaTool.CONSUMER_GROUPS.run(null, "--bootstrap-server", bootstrap(),
                    "--timeout", TOOL_TIMEOUT_MS, "--describe", "--group", group, "--members", "--verbose")
                    .assertSucceeded();
            String[] member = rows(verbose.output(), group).get(0);
            assertEquals(List.of("/127.0.0.1", "3", "2", topic + ":0,1,2", "2", topic + ":0,1,2"),
                    List.of(member[2], member[4], member[5], member[6], member[7], member[8]), verbose.describe());
            // GROUP COORDINATOR (ID) ASSIGNMENT-STRATEGY STATE GROUP-EPOCH TARGET-ASSIGNMENT-EPOCH #MEMBERS
            ChildProcess.Result epochs = KafkaTool.CONSUMER_GROUPS.run(null, "--bootstrap-server", bootstrap(),
                    "--timeout", TOOL_TIMEOUT_MS, "--describe", "--group", group, "--state", "--verbose")
                    .assertSucceeded();
            assertEquals(List.of("uniform", "Stable", "2", "2", "1"),
                    List.of(rows(epochs.output(), group).get(0)).subList(3, 8), epochs.describe());
            long deadlineForCommits = System.nanoTime() + LIMIT.toNanos();
            while (!describeOffsets(group).stream().allMatch(row -> row.lag().equals("0"))) {
                assertTrue(System.nanoTime() < deadlineForCommits, "never committed to the end: " + consumer.describe());
                Thread.sleep(200);
            }
            assertTrue(describeOffsets(group).stream().allMatch(row -> row.consumerId().equals(member[1])),
                    "every partition is the member's: " + describeOffsets(group));
            consumer.stop(LIMIT);
        }
        // the consumer left with epoch -1: the group is empty at once, and may be deleted
        assertEquals(1, rows(consumerGroups("--list", "--state", "Empty").assertSucceeded().output(), group).size());
        assertTrue(consumerGroups("--delete", "--group", group).assertSucceeded().output()
                .contains("Deletion of requested consumer groups ('" + group + "') was successful."));
    }
    // end::consumer-protocol[]

    @Test
    void kcat_from_debian_predates_kip_848_and_refuses_group_protocol_by_name_so_it_stays_on_the_classic_protocol() {
        // librdkafka took group.protocol in 2.4 (early access) and made it generally available in 2.10; Debian's is 2.0
        ChildProcess.Result refused = Kcat.require().run(null, "-b", bootstrap(), "-G", "kcat-848", "bread-orders",
                "-X", "group.protocol=consumer");
        assertTrue(refused.errors().contains("No such configuration property: \"group.protocol\""),
                refused.describe());
    }

    @Test
    void kafka_consumer_groups_resets_a_groups_offsets_to_the_earliest_deletes_a_topics_offsets_and_deletes_the_group() {
        String topic = "pantry-stock";
        String other = "pantry-orders";
        String group = "pantry-auditors";
        broker.broker().createTopic(topic, 2, Map.of(), OnDuplicate.FAIL);
        broker.broker().createTopic(other, 1, Map.of(), OnDuplicate.FAIL);
        List<String> written = writeRecords(topic, 2, 5).stream().sorted().toList();
        writeRecords(other, 1, 3);
        assertEquals(written, consumeInGroup(topic, group, true, written.size()));

        // the other topic too, which the group never read
        ChildProcess.Result reset = consumerGroups("--group", group,
                "--reset-offsets", "--to-earliest", "--topic", topic, "--topic", other, "--execute").assertSucceeded();
        // GROUP TOPIC PARTITION NEW-OFFSET, the rows run together on one line
        String[] words = reset.output().substring(reset.output().indexOf("NEW-OFFSET") + "NEW-OFFSET".length()).strip()
                .split("\\s+");
        Set<String> newOffsets = new TreeSet<>();
        for (int i = 0; i + 3 < words.length; i += 4) {
            assertEquals(group, words[i], reset.describe());
            newOffsets.add(words[i + 1] + "-" + words[i + 2] + "=" + words[i + 3]);
        }
        assertEquals(Set.of(topic + "-0=0", topic + "-1=0", other + "-0=0"), newOffsets, reset.describe());
        assertEquals(written, consumeInGroup(topic, group, false, written.size()), "from the reset offsets: all again");

        ChildProcess.Result deleted = consumerGroups("--group", group, "--delete-offsets", "--topic", topic).assertSucceeded();
        assertFalse(deleted.output().contains("Error"), deleted.describe());
        List<OffsetRow> left = describeOffsets(group);
        assertEquals(List.of(other), left.stream().map(OffsetRow::topic).toList(), "only the other topic's offset: " + left);
        assertEquals("0", left.get(0).currentOffset(), left.toString());

        // with its last offsets gone the group stays, empty, until the coordinator's cleanup: as Kafka 4.4 keeps it
        consumerGroups("--group", group, "--delete-offsets", "--topic", other).assertSucceeded();
        assertTrue(consumerGroups("--list").assertSucceeded().lines().stream().map(String::strip).toList()
                .contains(group));
        ChildProcess.Result empty = consumerGroups("--describe", "--group", group).assertSucceeded();
        // the tool writes it to standard error
        assertTrue(empty.errors().contains("Consumer group '" + group + "' has no active members."), empty.describe());

        ChildProcess.Result groupDeleted = consumerGroups("--delete", "--group", group).assertSucceeded();
        assertFalse(groupDeleted.output().contains("Error") || groupDeleted.errors().contains("Error"), groupDeleted.describe());
        List<String> listed = consumerGroups("--list").assertSucceeded().lines().stream().map(String::strip).toList();
        assertFalse(listed.contains(group), listed.toString());
    }

    @Test
    void kafka_consumer_groups_does_not_delete_a_group_with_an_active_member() throws InterruptedException {
        Kcat kcat = Kcat.require();
        String topic = "window-displays";
        String group = "window-dressers";
        broker.broker().createTopic(topic, 1, Map.of(), OnDuplicate.FAIL);
        try (ChildProcess.Running member = member(kcat, group, topic, "dresser")) {
            member.awaitErrors("its assignment", errors -> rebalances(errors).size() >= 1, LIMIT);

            ChildProcess.Result refused = consumerGroups("--delete", "--group", group);
            String said = refused.output() + refused.errors();
            // the exception kafka-clients makes of the error code NON_EMPTY_GROUP
            assertTrue(said.contains("Group '" + group + "' could not be deleted") && said.contains("GroupNotEmptyException"),
                    refused.describe());

            List<String> listed = consumerGroups("--list").assertSucceeded().lines().stream().map(String::strip).toList();
            assertTrue(listed.contains(group), "still there: " + listed);
            // ListGroups v5: each group's type and state, and only those asked for
            List<String> stable = consumerGroups("--list", "--type", "--state", "stable").assertSucceeded().lines();
            assertTrue(stable.stream().anyMatch(line -> line.matches(group + "\\s+Classic\\s+Stable\\s*")), stable.toString());
            assertEquals(0, member.stop(LIMIT), member.describe());
        }
    }

    @Test
    void a_restarted_static_kcat_member_takes_back_its_partitions_alone_and_the_tool_shows_each_instance_id()
            throws InterruptedException {
        Kcat kcat = Kcat.require();
        String topic = "table-orders";
        String group = "waiters";
        broker.broker().createTopic(topic, 4, Map.of(), OnDuplicate.FAIL);
        try (ChildProcess.Running first = staticMember(kcat, group, topic, "waiter-1");
             ChildProcess.Running second = staticMember(kcat, group, topic, "waiter-2")) {
            second.awaitErrors("its assignment", errors -> rebalances(errors).size() >= 1, LIMIT);
            first.awaitErrors("its share once both are in", errors -> share(errors, topic).size() == 2, LIMIT);
            Set<Integer> firstShare = share(first.errors(), topic);
            int secondNotes = rebalances(second.errors()).size();

            ChildProcess.Result members = consumerGroups("--describe", "--group", group, "--members", "--verbose")
                    .assertSucceeded();
            // GROUP CONSUMER-ID GROUP-INSTANCE-ID HOST CLIENT-ID #PARTITIONS ASSIGNMENT: the instance id's column
            // is printed once a member has one
            Map<String, String> instanceOf = new TreeMap<>();
            rows(members.output(), group).forEach(row -> instanceOf.put(row[1], row[2]));
            assertEquals(Set.of("waiter-1", "waiter-2"), Set.copyOf(instanceOf.values()), members.describe());
            instanceOf.forEach((memberId, instance) -> assertTrue(memberId.startsWith(instance + "-"),
                    "a static member's id starts with its instance id, as Kafka makes it: " + memberId));

            // librdkafka sends no LeaveGroup for a static member; a new process with the same instance id takes over
            assertEquals(0, first.stop(LIMIT), first.describe());
            try (ChildProcess.Running restarted = staticMember(kcat, group, topic, "waiter-1")) {
                restarted.awaitErrors("its assignment", errors -> rebalances(errors).size() >= 1, LIMIT);
                assertEquals(firstShare, share(restarted.errors(), topic), "the partitions it had before its restart");
                assertEquals(secondNotes, rebalances(second.errors()).size(),
                        "the other member saw no rebalance: " + second.errors());
                assertEquals(0, restarted.stop(LIMIT), restarted.describe());
            }
            assertEquals(0, second.stop(LIMIT), second.describe());
        }
    }

    @Test
    void kafka_consumer_perf_test_reads_a_topic_to_its_end_in_a_group_and_reports_every_message() {
        String topic = "oven-temperatures";
        broker.broker().createTopic(topic, 2, Map.of(), OnDuplicate.FAIL);
        int count = writeRecords(topic, 2, 100).size();

        ChildProcess.Result perf = KafkaTool.CONSUMER_PERF_TEST.run(null, "--bootstrap-server", bootstrap(), "--topic", topic,
                "--group", "oven-watchers", "--num-records", String.valueOf(count), "--timeout", TOOL_TIMEOUT_MS).assertSucceeded();
        List<String> lines = perf.lines();
        int header = lines.indexOf(lines.stream().filter(line -> line.startsWith("start.time")).findFirst()
                .orElseThrow(() -> new AssertionError(perf.describe())));
        List<String> columns = Arrays.stream(lines.get(header).split(",")).map(String::strip).toList();
        List<String> values = Arrays.stream(lines.get(header + 1).split(", ")).map(String::strip).toList();
        assertEquals(columns.size(), values.size(), perf.describe());
        assertEquals(String.valueOf(count), values.get(columns.indexOf("data.consumed.in.nMsg")), perf.describe());
    }

    // ---- helpers ----

    private String bootstrap() {
        return "127.0.0.1:" + broker.port();
    }

    /** kafka-consumer-groups against the broker, each of its admin calls given the tools' timeout. */
    private ChildProcess.Result consumerGroups(String... args) {
        List<String> all = new ArrayList<>(List.of("--bootstrap-server", bootstrap(), "--timeout", TOOL_TIMEOUT_MS));
        all.addAll(List.of(args));
        return KafkaTool.CONSUMER_GROUPS.run(null, all.toArray(String[]::new));
    }

    /**
     * {@code perPartition} records in each partition through the broker's core, each value naming its topic,
     * partition and place; returns the values.
     */
    private List<String> writeRecords(String topic, int partitions, int perPartition) {
        List<Partitions.ProduceRecord> records = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int partition = 0; partition < partitions; partition++) {
            for (int i = 0; i < perPartition; i++) {
                String value = topic + "-" + partition + "-" + i;
                values.add(value);
                records.add(new Partitions.ProduceRecord(partition, Record.of("key-" + i, value,
                        Instant.ofEpochMilli(FIRST_TIMESTAMP + i * 1000L))));
            }
        }
        assertTrue(broker.broker().partitions().appendRecords(topic, records).stream()
                .allMatch(Partitions.RecordAnswer::written));
        return values;
    }

    /** A kcat member of {@code group} reading {@code topic}, from the earliest offset where the group has none. */
    private ChildProcess.Running member(Kcat kcat, String group, String topic, String clientId) {
        return kcat.start("-b", bootstrap(), "-G", group, "-X", "client.id=" + clientId, "-X", "auto.offset.reset=earliest",
                "-u", "-f", FORMAT, topic);
    }

    /** A kcat member with a {@code group.instance.id}: a static member (KIP-345), named as its client id too. */
    private ChildProcess.Running staticMember(Kcat kcat, String group, String topic, String instance) {
        return kcat.start("-b", bootstrap(), "-G", group, "-X", "client.id=" + instance, "-X", "group.instance.id="
                + instance, "-X", "auto.offset.reset=earliest", "-u", "-f", FORMAT, topic);
    }

    /** One of kcat's notes on a rebalance: its member id, and the partitions it was given or had taken away. */
    record Rebalance(String memberId, boolean assigned, String partitions) {
    }

    /** kcat's rebalance notes in the order it printed them. */
    private static List<Rebalance> rebalances(String errors) {
        List<Rebalance> found = new ArrayList<>();
        Matcher matcher = REBALANCED.matcher(errors);
        while (matcher.find()) {
            found.add(new Rebalance(matcher.group(2), matcher.group(3).equals("assigned"), matcher.group(4)));
        }
        return found;
    }

    /** The partitions of {@code topic} a member holds after its last rebalance note: none if it was a revocation. */
    private static Set<Integer> share(String errors, String topic) {
        List<Rebalance> notes = rebalances(errors);
        Set<Integer> partitions = new TreeSet<>();
        if (notes.isEmpty()) {
            return partitions; // no note yet: a wait polls again
        }
        Rebalance last = notes.get(notes.size() - 1);
        if (last.assigned()) {
            Matcher partition = Pattern.compile(Pattern.quote(topic) + " \\[(\\d+)\\]").matcher(last.partitions());
            while (partition.find()) {
                partitions.add(Integer.parseInt(partition.group(1)));
            }
        }
        return partitions;
    }

    private static Set<Integer> partitionsOf(List<String> kcatLines) {
        return kcatLines.stream().map(line -> Integer.parseInt(line.split(" ", 2)[0])).collect(Collectors.toSet());
    }

    private static boolean disjoint(Set<Integer> a, Set<Integer> b) {
        return a.stream().noneMatch(b::contains);
    }

    private static Set<Integer> union(Set<Integer> a, Set<Integer> b) {
        Set<Integer> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }

    /** The console consumer in {@code group}, reading {@code count} values; returns them sorted. */
    private List<String> consumeInGroup(String topic, String group, boolean fromBeginning, int count) {
        List<String> args = new ArrayList<>(List.of("--bootstrap-server", bootstrap(), "--topic", topic, "--group", group,
                "--max-messages", String.valueOf(count), "--timeout-ms", TOOL_TIMEOUT_MS));
        if (fromBeginning) {
            args.add("--from-beginning");
        }
        ChildProcess.Result consumed = KafkaTool.CONSOLE_CONSUMER.run(null, args.toArray(String[]::new)).assertSucceeded();
        assertTrue(consumed.errors().contains("Processed a total of " + count + " messages"), consumed.describe());
        return consumed.lines().stream().sorted().toList();
    }

    /**
     * A row of kafka-consumer-groups --describe, whose columns are GROUP TOPIC PARTITION CURRENT-OFFSET
     * LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID.
     */
    record OffsetRow(String topic, int partition, String currentOffset, String logEndOffset, String lag, String consumerId,
                     String host, String clientId) {
    }

    /** The group's committed offsets as kafka-consumer-groups --describe prints them, by topic and partition. */
    private List<OffsetRow> describeOffsets(String group) {
        ChildProcess.Result described = consumerGroups("--describe", "--group", group).assertSucceeded();
        List<OffsetRow> rows = new ArrayList<>();
        for (String[] row : rows(described.output(), group)) {
            assertEquals(9, row.length, described.describe());
            rows.add(new OffsetRow(row[1], Integer.parseInt(row[2]), row[3], row[4], row[5], row[6], row[7], row[8]));
        }
        rows.sort((a, b) -> a.topic().equals(b.topic()) ? Integer.compare(a.partition(), b.partition())
                : a.topic().compareTo(b.topic()));
        return rows;
    }

    /** The lines of a table the tool printed that start with the group's name, split into their columns. */
    private static List<String[]> rows(String output, String group) {
        return output.lines().map(String::strip).map(line -> line.split("\\s+"))
                .filter(columns -> columns[0].equals(group)).toList();
    }
}

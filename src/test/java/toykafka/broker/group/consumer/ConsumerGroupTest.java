package toykafka.broker.group.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.common.Errors;
import toykafka.common.TopicId;
import toykafka.broker.group.MapTopicLookup;
import toykafka.broker.group.base.ConsumerGroupConfig;
import toykafka.broker.group.base.ConsumerGroupTimings;
import toykafka.broker.group.base.CoordinatorMemory;
import toykafka.broker.group.base.DescribableTopics;
import toykafka.broker.group.base.RefusedJoins;
import toykafka.broker.group.base.TopicLookup;

/**
 * A consumer group of Kafka 4's protocol, heartbeat by heartbeat: epochs, targets, revocation before assignment, and
 * no partition ever owned by two members at once. The rules are Kafka 4.1's ({@code GroupMetadataManager},
 * {@code CurrentAssignmentBuilder}).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConsumerGroupTest {

    private static final TopicId ORDERS = new TopicId(7, 7);
    private static final int SESSION_MS = 45_000;

    private final Map<String, TopicLookup.Topic> topics = new HashMap<>(Map.of("orders",
            new TopicLookup.Topic(ORDERS, 6)));
    private final ConsumerGroup group = new ConsumerGroup("kitchen", List.of(new UniformAssignor(),
            new RangeAssignor()), 5_000, SESSION_MS);
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    private ConsumerGroupHeartbeat.Response beat(String member, int epoch, Map<TopicId, Set<Integer>> owned) {
        boolean join = epoch == ConsumerGroupHeartbeat.JOIN;
        ConsumerGroupHeartbeat.Response response = group.heartbeat(new ConsumerGroupHeartbeat.Request("kitchen",
                member, epoch, null, null, join ? 300_000 : -1, join ? List.of("orders") : null, null,
                join ? Map.of() : owned, member, "/127.0.0.1"), topics::get, now);
        assertNoPartitionOwnedTwice();
        return response;
    }

    private ConsumerGroupHeartbeat.Response join(String member) {
        return beat(member, ConsumerGroupHeartbeat.JOIN, Map.of());
    }

    private static Set<Integer> partitions(ConsumerGroupHeartbeat.Response response) {
        return response.assignment() == null ? null : Set.copyOf(response.assignment().getOrDefault(ORDERS,
                new TreeSet<>()));
    }

    private static Map<TopicId, Set<Integer>> owning(Integer... partitions) {
        return Map.of(ORDERS, Set.of(partitions));
    }

    private void assertNoPartitionOwnedTwice() {
        Set<Integer> seen = new HashSet<>();
        for (SortedMap<TopicId, SortedSet<Integer>> owned : group.owned().values()) {
            for (int partition : owned.getOrDefault(ORDERS, new TreeSet<>())) {
                assertTrue(seen.add(partition), "partition " + partition + " owned twice: " + group.owned());
            }
        }
    }

    @Test
    void each_distinct_expression_is_compiled_once_per_set_of_topic_names_however_often_members_send_it() {
        topics.put("ord-archive", new TopicLookup.Topic(new TopicId(8, 8), 1));
        TopicLookup lookup = new MapTopicLookup(topics);
        Map<String, Integer> epochs = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            String member = "r" + i;
            for (int heartbeat = 0; heartbeat < 2; heartbeat++) { // each member sends its expression twice
                boolean join = heartbeat == 0;
                ConsumerGroupHeartbeat.Response answer = group.heartbeat(new ConsumerGroupHeartbeat.Request("kitchen",
                        member, join ? 0 : epochs.get(member), null, null, join ? 30_000 : -1, null, "ord.*", null,
                        join ? Map.of() : null, member, "/127.0.0.1"), lookup, now);
                assertEquals(Errors.NONE, answer.error(), answer.errorMessage());
                epochs.put(member, answer.memberEpoch());
            }
        }
        assertEquals(1, group.regexCompilations(), "twenty members, forty heartbeats, one expression: compiled once");
        topics.put("ord-new", new TopicLookup.Topic(new TopicId(9, 9), 1));
        ConsumerGroupHeartbeat.Response after = group.heartbeat(new ConsumerGroupHeartbeat.Request("kitchen", "r0",
                epochs.get("r0"), null, null, -1, null, null, null, null, "r0", "/127.0.0.1"), lookup, now);
        assertEquals(Errors.NONE, after.error(), after.errorMessage());
        assertEquals(2, group.regexCompilations(), "a new topic: matched again, once");
    }

    @Test
    void an_expression_matches_only_the_topics_the_member_that_brought_it_may_describe() {
        TopicId archive = new TopicId(8, 8);
        topics.put("ord-archive", new TopicLookup.Topic(archive, 1));
        TopicLookup lookup = new MapTopicLookup(topics);
        DescribableTopics notOrders = names -> names.stream().filter(name -> !name.equals("orders")).toList();
        ConsumerGroupHeartbeat.Response answer = group.heartbeat(new ConsumerGroupHeartbeat.Request("kitchen", "r0",
                0, null, null, 30_000, null, "ord.*", null, Map.of(), "r0", "/127.0.0.1"), lookup, notOrders, now);
        Map<TopicId, SortedSet<Integer>> assigned = answer.assignment();
        for (int i = 0; i < 3; i++) { // matched at the next heartbeat, with the filter of the member that brought it
            answer = group.heartbeat(new ConsumerGroupHeartbeat.Request("kitchen", "r0", answer.memberEpoch(), null,
                    null, -1, null, null, null, null, "r0", "/127.0.0.1"), lookup, DescribableTopics.ALL, now);
            assigned = answer.assignment() == null ? assigned : answer.assignment();
        }
        assertEquals(Map.of(archive, new TreeSet<>(Set.of(0))), assigned, "orders matches, but r0 may not see it");
    }

    /** At 5,000 members, looking every subscription up again at each heartbeat held the group to 23-51 a second. */
    @Test
    void a_heartbeat_that_changes_nothing_looks_nothing_up_until_the_brokers_topics_change() {
        AtomicInteger lookups = new AtomicInteger();
        AtomicLong version = new AtomicLong(3);
        TopicLookup counted = new TopicLookup() {
            @Override
            public Topic topic(String name) {
                lookups.incrementAndGet();
                return topics.get(name);
            }

            @Override
            public long version() {
                return version.get();
            }
        };
        Map<String, Integer> epochs = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            ConsumerGroupHeartbeat.Response joined = group.heartbeat(new ConsumerGroupHeartbeat.Request("kitchen",
                    "m" + i, 0, null, null, 300_000, List.of("orders"), null, null, Map.of(), "m" + i, "/127.0.0.1"),
                    counted, now);
            epochs.put("m" + i, joined.memberEpoch());
        }
        lookups.set(0);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 20; i++) {
                ConsumerGroupHeartbeat.Response beat = group.heartbeat(new ConsumerGroupHeartbeat.Request("kitchen",
                        "m" + i, epochs.get("m" + i), null, null, -1, null, null, null, null, "m" + i, "/127.0.0.1"),
                        counted, now);
                assertEquals(Errors.NONE, beat.error(), beat.errorMessage());
                epochs.put("m" + i, beat.memberEpoch());
            }
        }
        assertEquals(0, lookups.get(), "sixty heartbeats, no subscription changed, the same topics: nothing looked up");
        topics.put("orders", new TopicLookup.Topic(ORDERS, 12));
        version.incrementAndGet();
        int epoch = group.groupEpoch();
        group.heartbeat(new ConsumerGroupHeartbeat.Request("kitchen", "m0", epochs.get("m0"), null, null, -1, null,
                null, null, null, "m0", "/127.0.0.1"), counted, now);
        assertTrue(lookups.get() > 0, "the broker's topics changed: looked up again");
        assertEquals(epoch + 1, group.groupEpoch(), "orders grew to 12 partitions: the group moves on");
    }

    // tag::no-barrier[]
    @Test
    void a_second_member_gets_its_share_only_after_the_first_gives_it_up_and_nobody_waits_at_a_barrier() {
        ConsumerGroupHeartbeat.Response anna = join("anna");
        assertEquals(2, anna.memberEpoch());
        assertEquals(Set.of(0, 1, 2, 3, 4, 5), partitions(anna), "alone, she owns every partition at once");

        ConsumerGroupHeartbeat.Response ben = join("ben");
        assertEquals(3, group.groupEpoch(), "a new member moves the group's epoch on");
        assertEquals(Set.of(), partitions(ben), "his share is still anna's: nothing yet, and no waiting either");
        assertEquals("Reconciling", group.state());

        ConsumerGroupHeartbeat.Response annaAsked = beat("anna", 2, owning(0, 1, 2, 3, 4, 5));
        assertEquals(2, annaAsked.memberEpoch(), "her epoch waits until she has given partitions up");
        Set<Integer> annaKeeps = partitions(annaAsked);
        assertEquals(3, annaKeeps.size(), "she is told to keep three: the other three are to be revoked");

        assertEquals(null, partitions(beat("ben", 3, Map.of())), "still held by anna: nothing changes for ben");

        ConsumerGroupHeartbeat.Response annaDone = beat("anna", 2, Map.of(ORDERS, annaKeeps));
        assertEquals(3, annaDone.memberEpoch(), "having revoked them, she is at the group's epoch");
        ConsumerGroupHeartbeat.Response benGets = beat("ben", 3, Map.of());
        Set<Integer> benOwns = partitions(benGets);
        assertEquals(3, benOwns.size());
        assertTrue(benOwns.stream().noneMatch(annaKeeps::contains));
        assertEquals("Stable", group.state());
    }
    // end::no-barrier[]

    @Test
    void a_member_that_leaves_or_goes_silent_frees_its_partitions_for_the_others() {
        join("anna");
        join("ben");
        Set<Integer> annaKeeps = partitions(beat("anna", 2, owning(0, 1, 2, 3, 4, 5)));
        beat("anna", 2, Map.of(ORDERS, annaKeeps));
        Set<Integer> benOwns = partitions(beat("ben", 3, Map.of()));

        ConsumerGroupHeartbeat.Response left = beat("ben", ConsumerGroupHeartbeat.LEAVE, Map.of());
        assertEquals(ConsumerGroupHeartbeat.LEAVE, left.memberEpoch());
        ConsumerGroupHeartbeat.Response annaAll = beat("anna", 3, Map.of(ORDERS, annaKeeps));
        assertEquals(4, annaAll.memberEpoch());
        assertEquals(Set.of(0, 1, 2, 3, 4, 5), partitions(annaAll), "ben's " + benOwns + " come to her");

        now = now.plusMillis(SESSION_MS + 1);
        group.tick(now, List.of());
        assertEquals("Empty", group.state(), "anna's session ran out: she was fenced");
        assertEquals(Errors.UNKNOWN_MEMBER_ID, beat("anna", 4, owning(0, 1, 2, 3, 4, 5)).error());
    }

    @Test
    void a_shorter_session_timeout_counts_for_every_member_from_the_heartbeat_that_brings_it() {
        join("anna");
        now = now.plusMillis(10_000);
        group.retime(new ConsumerGroupTimings.Timing(5_000, 20_000));
        join("ben");
        now = now.plusMillis(10_001);
        group.tick(now, List.of());
        assertEquals(List.of("ben"), group.members().stream().map(ConsumerGroupMember::memberId).toList(),
                "anna was silent past the group's 20 s, though she joined under 45 s");
    }

    @Test
    void epochs_fence_a_member_that_missed_its_answers_but_a_lost_answer_is_forgiven() {
        join("anna");
        assertEquals(Errors.FENCED_MEMBER_EPOCH, beat("anna", 6, owning(0)).error(), "an epoch it was never given");
        join("ben");
        Set<Integer> annaKeeps = partitions(beat("anna", 2, owning(0, 1, 2, 3, 4, 5)));
        beat("anna", 2, Map.of(ORDERS, annaKeeps)); // now at epoch 3; she did not hear the answer
        ConsumerGroupHeartbeat.Response again = beat("anna", 2, Map.of(ORDERS, annaKeeps));
        assertEquals(Errors.NONE, again.error(), "the epoch before, with partitions she owns: the answer was lost");
        assertEquals(3, again.memberEpoch());
        assertEquals(Errors.FENCED_MEMBER_EPOCH, beat("anna", 2, owning(0, 1, 2, 3, 4, 5)).error(),
                "the epoch before, claiming partitions she gave up: fenced");
        assertEquals(Errors.UNKNOWN_MEMBER_ID, beat("zed", 3, Map.of()).error());
    }

    @Test
    void a_partition_count_that_grows_moves_the_epoch_on_and_the_new_partitions_are_handed_out() {
        join("anna");
        topics.put("orders", new TopicLookup.Topic(ORDERS, 8));
        ConsumerGroupHeartbeat.Response grown = beat("anna", 2, owning(0, 1, 2, 3, 4, 5));
        assertEquals(3, grown.memberEpoch());
        assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6, 7), partitions(grown));
    }

    @Test
    void the_assignor_most_members_ask_for_is_used_and_an_unknown_one_is_refused_naming_those_there_are() {
        ConsumerGroupHeartbeat.Response refused = group.heartbeat(new ConsumerGroupHeartbeat.Request("kitchen", "anna",
                0, null, null, 300_000, List.of("orders"), "sticky", Map.of(), "anna", ""), topics::get, now);
        assertEquals(Errors.UNSUPPORTED_ASSIGNOR, refused.error());
        assertEquals("ServerAssignor sticky is not supported. Supported assignors: uniform, range.",
                refused.errorMessage());
        group.heartbeat(new ConsumerGroupHeartbeat.Request("kitchen", "anna", 0, null, null, 300_000,
                List.of("orders"), "range", Map.of(), "anna", ""), topics::get, now);
        assertEquals("range", group.preferredAssignor().name());
    }

    @Test
    void a_join_must_say_its_rebalance_timeout_and_subscription_and_own_nothing() {
        ConsumerGroupHeartbeat.Response noTimeout = group.heartbeat(new ConsumerGroupHeartbeat.Request("kitchen", "anna",
                0, null, null, -1, List.of("orders"), null, Map.of(), "anna", ""), topics::get, now);
        assertEquals(Errors.INVALID_REQUEST, noTimeout.error());
        assertEquals("RebalanceTimeoutMs must be provided in first request.", noTimeout.errorMessage());
        ConsumerGroupHeartbeat.Response owning = group.heartbeat(new ConsumerGroupHeartbeat.Request("kitchen", "anna",
                0, null, null, 300_000, List.of("orders"), null, owning(1), "anna", ""), topics::get, now);
        assertEquals("TopicPartitions must be empty when (re-)joining.", owning.errorMessage());
        assertTrue(group.hasNoMembers(), "a refused join adds no member");
        assertNull(group.heartbeat(new ConsumerGroupHeartbeat.Request("kitchen", "", 3, null, null, -1, null, null,
                null, "", ""), topics::get, now).memberId(), "no member id: refused");
    }

    @Test
    void the_group_decides_who_may_join_a_join_with_no_id_is_given_one_and_a_full_group_takes_only_its_members() {
        ConsumerGroup small = new ConsumerGroup("kitchen", new ConsumerGroupConfig(Duration.ofSeconds(5),
                Duration.ofSeconds(45), ConsumerGroupConfig.KNOWN_ASSIGNORS, 1), new CoordinatorMemory(Long.MAX_VALUE),
                new RefusedJoins(event -> { }), null, records -> { });
        ConsumerGroupHeartbeat.Response anna = small.heartbeat(new ConsumerGroupHeartbeat.Request("kitchen", "", 0,
                null, null, 300_000, List.of("orders"), null, Map.of(), "anna", ""), topics::get, now);
        assertEquals(Errors.NONE, anna.error());
        assertTrue(!anna.memberId().isEmpty(), "version 0 lets the coordinator choose");
        ConsumerGroupHeartbeat.Response ben = small.heartbeat(new ConsumerGroupHeartbeat.Request("kitchen", "ben", 0,
                null, null, -1, List.of("orders"), null, Map.of(), "ben", ""), topics::get, now);
        assertEquals(Errors.GROUP_MAX_SIZE_REACHED, ben.error(), "no room is said before what is wrong with the join");
        assertEquals(Errors.NONE, small.heartbeat(new ConsumerGroupHeartbeat.Request("kitchen", anna.memberId(), 0,
                null, null, 300_000, List.of("orders"), null, Map.of(), "anna", ""), topics::get, now).error(),
                "a member already in may join again");
    }

    @Test
    void a_member_that_does_not_give_partitions_up_within_its_rebalance_timeout_is_fenced() {
        join("anna");
        join("ben");
        beat("anna", 2, owning(0, 1, 2, 3, 4, 5)); // asked to revoke three
        Instant timeout = now.plus(Duration.ofMinutes(5)); // the rebalance timeout she joined with
        while (!now.isAfter(timeout)) { // she heartbeats on, within her session, and never gives them up
            now = now.plusSeconds(10);
            beat("anna", 2, owning(0, 1, 2, 3, 4, 5));
            beat("ben", 3, Map.of());
            group.tick(now, List.of());
        }
        assertEquals(List.of("ben"), List.copyOf(group.owned().keySet()), "anna was fenced for holding on");
        ConsumerGroupHeartbeat.Response benAll = beat("ben", 3, Map.of());
        assertEquals(Set.of(0, 1, 2, 3, 4, 5), partitions(benAll));
    }
}

package toykafka.broker.group.classic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.group.base.CoordinatorMemory;
import toykafka.broker.group.base.DescribedGroup;
import toykafka.broker.group.base.Group;
import toykafka.broker.group.base.GroupConfig;
import toykafka.broker.group.base.GroupOffsets;
import toykafka.broker.group.base.GroupState;

/** A classic group writes itself to the offsets topic, and comes back from it, through the writer it was made with. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KeptClassicGroupTest {

    private final Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final CoordinatorMemory memory = new CoordinatorMemory(Long.MAX_VALUE);
    private final List<String> events = new ArrayList<>();
    private final Writer store = new Writer();

    /** Keeps what it is given, or refuses while {@code failing}. */
    private static final class Writer implements ClassicGroupWriter {
        final List<ClassicGroupSnapshot> written = new ArrayList<>();
        final List<String> deleted = new ArrayList<>();
        boolean failing;

        @Override
        public void writeGroup(ClassicGroupSnapshot group) {
            if (failing) {
                throw new IllegalStateException("disk full");
            }
            written.add(group);
        }

        @Override
        public void deleteGroup(String groupId) {
            deleted.add(groupId);
        }
    }

    private static ClassicGroupSnapshot.Member member(String memberId, String clientHost) {
        return new ClassicGroupSnapshot.Member(memberId, null, "client", clientHost, 300_000, 45_000, new byte[0],
                new byte[0]);
    }

    private ClassicGroup restored(ClassicGroupSnapshot.Member... members) {
        ClassicGroupSnapshot kept = new ClassicGroupSnapshot("kitchen", "consumer", 3, "range", members[0].memberId(),
                now.toEpochMilli(), List.of(members));
        return KeptClassicGroup.restored(kept, GroupConfig.KAFKA_DEFAULTS, memory, store, () -> { }, now,
                new GroupOffsets(memory));
    }

    @Test
    void a_kept_group_comes_back_stable_in_its_generation_and_writes_nothing_it_already_holds() {
        ClassicGroup group = restored(member("anna", "10.0.0.1"), member("ben", "10.0.0.2"));
        DescribedGroup described = group.describe();
        assertEquals(GroupState.STABLE, described.state());
        assertEquals(3, described.generation());
        assertEquals("anna", described.leader());
        group.keep(now, events::add);
        assertEquals(List.of(), store.written, "the topic holds generation 3 already");
    }

    @Test
    void members_that_lived_in_the_broker_are_gone_after_a_restart_and_the_rest_rebalance_without_them() {
        ClassicGroup group = restored(member("anna", "10.0.0.1"), member("proxy", Group.IN_PROCESS_HOST));
        DescribedGroup described = group.describe();
        assertEquals(List.of("anna"), described.members().stream().map(DescribedGroup.Member::memberId).toList());
        assertEquals(GroupState.PREPARING_REBALANCE, described.state());
        group.keep(now, events::add);
        assertEquals(List.of(), store.written, "nothing is kept while the group rebalances");
    }

    @Test
    void a_write_that_fails_is_told_and_tried_again_at_the_next_call() {
        ClassicGroup group = restored(member("proxy", Group.IN_PROCESS_HOST));
        assertEquals(GroupState.EMPTY, group.describe().state(), "its only member died with the broker");
        store.failing = true;
        group.keep(now, events::add);
        assertEquals(1, events.size());
        assertTrue(events.get(0).contains("generation 4 could not be kept"), events.get(0));
        store.failing = false;
        group.keep(now, events::add);
        group.keep(now, events::add);
        assertEquals(List.of(4), store.written.stream().map(ClassicGroupSnapshot::generation).toList(),
                "written once, when the store takes it");
    }

    @Test
    void only_a_group_the_topic_ever_kept_writes_its_tombstone() {
        new ClassicGroup("fresh", GroupConfig.KAFKA_DEFAULTS, memory, store, () -> { }, now).forget();
        assertEquals(List.of(), store.deleted);
        restored(member("anna", "10.0.0.1")).forget();
        assertEquals(List.of("kitchen"), store.deleted);
    }
}

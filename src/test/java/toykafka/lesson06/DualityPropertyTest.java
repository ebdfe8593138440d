package toykafka.lesson06;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.lesson02.EventAt;
import toykafka.common.ForwardingEventLog;
import toykafka.common.Record;

/**
 * Table–stream duality as a property: for random streams of puts and deletes, with time passing and
 * compactions in between, the compacted log replays to the same table as the full stream. Each case
 * comes from a seed, so any failure can be replayed exactly.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DualityPropertyTest {

    private static final ChangeStreams.LogFactory REFERENCE =
            (config, clock, rows) -> new TreeMapCompactedLog("t", 0, config, clock, rows::addAll);

    @Test
    void the_reference_log_keeps_the_duality_for_20_000_random_streams() {
        int checked = 0;
        for (long seed = 1_000_000; seed < 1_020_000; seed++) {
            ChangeStreams.Case test = ChangeStreams.generate(seed);
            Optional<String> problem = ChangeStreams.problem(test, REFERENCE);
            assertEquals(Optional.empty(), problem, () -> "case " + test);
            checked++;
        }
        assertEquals(20_000, checked);
    }

    @Test
    void the_generator_makes_streams_with_every_kind_of_step() {
        var kinds = new java.util.HashSet<Class<?>>();
        for (long seed = 0; seed < 100; seed++) {
            ChangeStreams.generate(seed).steps().forEach(step -> kinds.add(step.getClass()));
        }
        assertEquals(5, kinds.size(), "puts, deletes, waits, compact and compactIfDirty should all occur: " + kinds);
    }

    @Test
    void the_property_catches_a_log_that_hides_tombstones_and_cuts_the_case_down() {
        ChangeStreams.LogFactory hiding = (config, clock, rows) ->
                new TombstoneHidingLog(new TreeMapCompactedLog("t", 0, config, clock, rows::addAll));
        ChangeStreams.Case failing = null;
        for (long seed = 0; seed < 2_000 && failing == null; seed++) {
            ChangeStreams.Case test = ChangeStreams.generate(seed);
            if (ChangeStreams.problem(test, hiding).isPresent()) {
                failing = test;
            }
        }
        assertTrue(failing != null, "a log that hides tombstones from readers must break the duality");
        ChangeStreams.Case smallest = ChangeStreams.shrink(failing, c -> ChangeStreams.problem(c, hiding));
        assertEquals(1, smallest.steps().size(), "one delete is enough: the log then holds a record its"
                + " readers cannot see; cut down to " + smallest);
        assertTrue(smallest.steps().get(0) instanceof ChangeStreams.Delete, smallest.toString());
    }

    /** A broken reader: it steps over tombstones, so a deleted key comes back to life in the table. */
    private static final class TombstoneHidingLog extends ForwardingEventLog<Record> implements CompactedLog {
        private final CompactedLog log;

        TombstoneHidingLog(CompactedLog log) {
            super(log);
            this.log = log;
        }

        @Override
        public Optional<EventAt<Record>> readFrom(long offset) {
            Optional<EventAt<Record>> next = log.readFrom(offset);
            while (next.isPresent() && next.get().event().isTombstone()) {
                next = log.readFrom(next.get().offset() + 1);
            }
            return next;
        }

        @Override
        public CompactionConfig config() {
            return log.config();
        }

        @Override
        public long activeSegmentStart() {
            return log.activeSegmentStart();
        }

        @Override
        public long cleanedUpTo() {
            return log.cleanedUpTo();
        }

        @Override
        public double dirtyRatio() {
            return log.dirtyRatio();
        }

        @Override
        public Compaction compact() {
            return log.compact();
        }
    }
}

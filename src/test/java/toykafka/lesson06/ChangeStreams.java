package toykafka.lesson06;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import toykafka.archive.ArchivedEvent;
import toykafka.clock.ManualClock;
import toykafka.lesson02.EventAt;
import toykafka.common.Record;

/**
 * Random streams of puts and deletes, with time passing and compactions in between, from a seed:
 * the same seed gives the same stream, so a failure can be replayed. When a stream breaks a log's
 * promises, {@link #shrink} cuts it down until no single step can be left out and still break them.
 */
final class ChangeStreams {

    static final Instant START = Instant.parse("2024-05-01T12:00:00Z");

    /** One thing that happens to the log. */
    sealed interface Step permits Put, Delete, Wait, Compact, CompactIfDirty {
    }

    record Put(String key, String value) implements Step {
        @Override
        public String toString() {
            return key + "=" + value;
        }
    }

    record Delete(String key) implements Step {
        @Override
        public String toString() {
            return "delete " + key;
        }
    }

    record Wait(Duration time) implements Step {
        @Override
        public String toString() {
            return "wait " + time.toMinutes() + "min";
        }
    }

    record Compact() implements Step {
        @Override
        public String toString() {
            return "compact";
        }
    }

    record CompactIfDirty() implements Step {
        @Override
        public String toString() {
            return "compactIfDirty";
        }
    }

    /** A generated case: a log configuration and what happens to it. */
    record Case(long seed, CompactionConfig config, List<Step> steps) {
        Case withSteps(List<Step> fewer) {
            return new Case(seed, config, List.copyOf(fewer));
        }

        @Override
        public String toString() {
            return "seed " + seed + ", segments of " + config.segmentSize() + ", min.cleanable.dirty.ratio "
                    + config.minCleanableDirtyRatio() + ", delete retention " + config.deleteRetention().toMinutes()
                    + "min, steps " + steps;
        }
    }

    /** Builds a log under test from a config, a clock and an archive that collects rows. */
    interface LogFactory {
        CompactedLog create(CompactionConfig config, ManualClock clock, List<ArchivedEvent> archived);
    }

    private ChangeStreams() {
    }

    static Case generate(long seed) {
        Random random = new Random(seed);
        CompactionConfig config = new CompactionConfig(1 + random.nextInt(5), random.nextInt(5) / 4.0,
                Duration.ofMinutes(10L * random.nextInt(4)));
        int keys = 1 + random.nextInt(6);
        int length = random.nextInt(60);
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            String key = "k" + random.nextInt(keys);
            double dice = random.nextDouble();
            if (dice < 0.55) {
                steps.add(new Put(key, "v" + i));
            } else if (dice < 0.72) {
                steps.add(new Delete(key));
            } else if (dice < 0.82) {
                steps.add(new Wait(Duration.ofMinutes(random.nextInt(25))));
            } else if (dice < 0.93) {
                steps.add(new CompactIfDirty());
            } else {
                steps.add(new Compact());
            }
        }
        return new Case(seed, config, steps);
    }

    /**
     * Plays a case and checks the log after every compaction and at the end (after one last compact()).
     * Returns what went wrong, or empty. A stub's UnsupportedOperationException is not caught: it means
     * "not written yet", not "wrong".
     */
    static Optional<String> problem(Case test, LogFactory factory) {
        try {
            ManualClock clock = new ManualClock(START);
            List<ArchivedEvent> archived = new ArrayList<>();
            CompactedLog log = factory.create(test.config(), clock, archived);
            List<Record> stream = new ArrayList<>();
            for (Step step : test.steps()) {
                if (step instanceof Put put) {
                    stream.add(Record.of(put.key(), put.value(), clock.instant()));
                    log.append(stream.get(stream.size() - 1));
                } else if (step instanceof Delete delete) {
                    stream.add(Record.of(delete.key(), null, clock.instant()));
                    log.append(stream.get(stream.size() - 1));
                } else if (step instanceof Wait wait) {
                    clock.advance(wait.time());
                } else if (step instanceof Compact) {
                    log.compact();
                } else if (step instanceof CompactIfDirty) {
                    log.compactIfDirty();
                }
                if (step instanceof Compact || step instanceof CompactIfDirty) {
                    Optional<String> broken = broken(log, stream, archived, "after step " + step);
                    if (broken.isPresent()) {
                        return broken;
                    }
                }
            }
            log.compact();
            return broken(log, stream, archived, "after a final compact()");
        } catch (UnsupportedOperationException stub) {
            throw stub;
        } catch (RuntimeException | AssertionError crash) {
            return Optional.of("threw " + crash);
        }
    }

    /** The promises a compacted log keeps, checked against the full stream it was given. */
    private static Optional<String> broken(CompactedLog log, List<Record> stream, List<ArchivedEvent> archived,
                                           String when) {
        var fromStream = Tables.replay(stream);
        var fromLog = Tables.replay(log);
        if (!fromStream.equals(fromLog)) {
            return Optional.of(when + ": the full stream replays to " + fromStream + " but the compacted log to "
                    + fromLog);
        }
        if (log.endOffset() != stream.size()) {
            return Optional.of(when + ": endOffset() is " + log.endOffset() + " after " + stream.size() + " appends");
        }
        List<EventAt<Record>> held = log.fetch(log.earliest(), Integer.MAX_VALUE);
        Set<Long> heldOffsets = new HashSet<>();
        for (EventAt<Record> record : held) {
            if (!record.event().equals(stream.get((int) record.offset()))) {
                return Optional.of(when + ": offset " + record.offset() + " holds " + record.event()
                        + ", but the record appended at that offset was " + stream.get((int) record.offset()));
            }
            heldOffsets.add(record.offset());
        }
        for (long offset = log.activeSegmentStart(); offset < log.endOffset(); offset++) {
            if (!heldOffsets.contains(offset)) {
                return Optional.of(when + ": offset " + offset + " is in the head (from " + log.activeSegmentStart()
                        + "), which compaction must never touch, but it is gone");
            }
        }
        Set<Long> archivedOffsets = archived.stream().map(ArchivedEvent::offset).collect(Collectors.toSet());
        for (long offset = 0; offset < stream.size(); offset++) {
            boolean inLog = heldOffsets.contains(offset);
            boolean inArchive = archivedOffsets.contains(offset);
            if (inLog == inArchive) {
                return Optional.of(when + ": offset " + offset + " should be either in the log or in the archive,"
                        + " but it is " + (inLog ? "in both" : "in neither"));
            }
        }
        return Optional.empty();
    }

    /** The shortest failing prefix, then single steps left out while it still fails. */
    static Case shrink(Case failing, Function<Case, Optional<String>> problem) {
        Case smallest = failing;
        for (int length = 0; length < failing.steps().size(); length++) {
            Case prefix = failing.withSteps(failing.steps().subList(0, length));
            if (problem.apply(prefix).isPresent()) {
                smallest = prefix;
                break;
            }
        }
        boolean shorter = true;
        while (shorter) {
            shorter = false;
            for (int i = 0; i < smallest.steps().size(); i++) {
                List<Step> fewer = new ArrayList<>(smallest.steps());
                fewer.remove(i);
                Case candidate = smallest.withSteps(fewer);
                if (problem.apply(candidate).isPresent()) {
                    smallest = candidate;
                    shorter = true;
                    break;
                }
            }
        }
        return smallest;
    }
}

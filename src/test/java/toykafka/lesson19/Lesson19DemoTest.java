package toykafka.lesson19;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import toykafka.WritesGeneratedData;
import toykafka.testing.Narrated;

/**
 * Runs lesson 19's narrated main: the replication toy, then the shop's drill on a real three-node Apache Kafka
 * cluster. Under acks=all no acknowledged order may be missing; under acks=1 the books must still balance.
 */
@WritesGeneratedData
class Lesson19DemoTest {

    @Test
    void the_toy_tells_its_story_and_a_killed_leader_loses_nothing_acknowledged_under_acks_all() {
        String story = Narrated.story(Lesson19Demo::narrate);

        assertTrue(story.contains("the partition at 30.201 s  ==>  leader 1 (epoch 0), ISR [1, 2], high watermark 4"),
                "broker 3 leaves the ISR after replica.lag.time.max.ms and the high watermark moves: " + story);
        assertTrue(story.contains("the election  ==>  broker 2 leads, leader epoch 1"), story);
        assertTrue(story.contains("what a consumer can read  ==>  [cod and chips, haddock, plaice, scampi]"),
                "the acks=1 order only broker 1 had is gone: " + story);
        assertTrue(story.contains("!!  NotEnoughReplicasException"), story);
        assertTrue(story.contains("broker 1's log  ==>  [0 cod and chips (epoch 0), 1 haddock (epoch 0),"
                + " 2 plaice (epoch 0), 3 scampi (epoch 0), 4 fishcake (epoch 1)]"), "truncated to the epoch's end: " + story);

        List<long[]> books = numbers(story, "orders sent, acknowledged, failed  ==>  (\\d+), (\\d+), (\\d+)");
        List<long[]> kept = numbers(story, "orders kept, acknowledged but lost, kept twice  ==>  (\\d+), (\\d+), (\\d+)");
        assertEquals(2, books.size(), "two drills, acks=all then acks=1: " + story);
        long[] all = books.get(0);
        assertTrue(all[1] > 1_000, "the tills had orders acknowledged before and after the kill: " + story);
        assertEquals(all[0], all[1] + all[2], "every order sent under acks=all was answered, one way or the other");
        assertEquals(0, kept.get(0)[1], "acks=all: no acknowledged order lost: " + story);
        assertEquals(0, kept.get(0)[2], "idempotence: no order kept twice: " + story);
        assertEquals(all[1], kept.get(0)[0], "what the partition keeps is what was acknowledged: " + story);
        long[] one = books.get(1);
        assertEquals(one[0], one[1] + one[2], "every order sent under acks=1 was answered");
        long keptOne = kept.get(1)[0];
        assertTrue(keptOne >= one[1] - kept.get(1)[1] && keptOne <= one[0],
                "acks=1: the partition keeps what was acknowledged and not lost, and nothing never sent: " + story);

        List<long[]> killed = numbers(story, "killed  ==>  node (\\d+)");
        List<long[]> epochs = numbers(story, "offsets (\\d+) to (\\d+): leader epoch (\\d+)");
        assertEquals(2, killed.size(), story);
        assertTrue(epochs.size() >= 4, "each drill's partition was written in two leader epochs at least: " + story);
        Matcher moved = Pattern.compile("leader node (\\d+), in sync \\[\\d, \\d\\]").matcher(story);
        assertTrue(moved.find(), "the watcher saw a new leader with two in sync: " + story);
        assertNotEquals(killed.get(0)[0], Long.parseLong(moved.group(1)), story);
        assertEquals(4, numbers(story, "produce latency  ==>  .*p50 +([\\d.]+) ms").size(), story);
    }

    @Test
    void the_latency_narration_says_what_the_medians_show_and_nothing_they_contradict() {
        String quiet = Lesson19Demo.latency(latencies(1.27, 1.30, 1.90, 3.10));
        assertTrue(quiet.startsWith("With one replica acks=all is acks=1: the leader is the whole ISR. "), quiet);
        assertTrue(quiet.contains("acks=all waited longer than acks=1 (acks=all 3.10 ms, acks=1 1.90 ms)"), quiet);
        assertTrue(quiet.contains("Even acks=1 was slower with three replicas than with one (three replicas 1.90 ms,"
                + " one 1.27 ms)"), quiet);

        String busy = Lesson19Demo.latency(latencies(2.71, 1.27, 2.60, 2.65));
        assertTrue(busy.contains("their medians here (acks=1 2.71 ms, acks=all 1.27 ms) differ only by what else"),
                busy);
        assertTrue(busy.contains("acks=all waited no longer than acks=1 this time (acks=all 2.65 ms, acks=1 2.60 ms)"),
                busy);
        assertTrue(busy.contains("acks=1 was no slower with three replicas than with one (three replicas 2.60 ms, one"
                + " 2.71 ms)"), busy);
        assertFalse(busy.contains("copying takes time from the leader"), "the run contradicts it: " + busy);
    }

    /** p50s, in ms, of 1 replica acks=1 and acks=all, then 3 replicas acks=1 and acks=all, in measure()'s order. */
    private static List<ProduceLatency.Measured> latencies(double one, double oneAll, double three, double threeAll) {
        return List.of(measured(1, "1", one), measured(1, "all", oneAll), measured(3, "1", three),
                measured(3, "all", threeAll));
    }

    private static ProduceLatency.Measured measured(int replicas, String acks, double p50Ms) {
        Duration p50 = Duration.ofNanos(Math.round(p50Ms * 1e6));
        return new ProduceLatency.Measured(replicas, acks, 500, p50, p50.multipliedBy(5));
    }

    private static List<long[]> numbers(String story, String regex) {
        List<long[]> found = new ArrayList<>();
        Matcher matcher = Pattern.compile(regex).matcher(story);
        while (matcher.find()) {
            long[] values = new long[matcher.groupCount()];
            for (int i = 0; i < values.length; i++) {
                String group = matcher.group(i + 1);
                values[i] = group.contains(".") ? Math.round(Double.parseDouble(group) * 1000) : Long.parseLong(group);
            }
            found.add(values);
        }
        return found;
    }
}

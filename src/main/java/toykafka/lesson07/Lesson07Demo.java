package toykafka.lesson07;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import toykafka.narration.Narrator;
import toykafka.common.EventLog;
import toykafka.lesson01.ListLog;
import toykafka.lesson02.EventAt;
import toykafka.common.OffsetReset;

/**
 * Lesson 7, narrated: the race that loses orders, three ways to stop it, a consumer that waits without
 * spinning, and a shutdown that leaves nothing behind. Only the race's numbers change from run to run.
 */
public final class Lesson07Demo {

    private static final int TILLS = 4;
    private static final int ORDERS_EACH = 2_000;

    public static void main(String[] args) {
        narrate(Narrator.toStandardOut());
    }

    public static void narrate(Narrator story) {
        story.title("Lesson 7: many threads, one log");

        story.say("Four tills append " + ORDERS_EACH + " orders each to lesson 1's list log, all at the same moment."
                + " If nothing goes wrong, they race again with twice as many (for two seconds at most).");
        story.predict("does the log hold every order afterwards? Does every order get an offset of its own?");
        Race.Report race = Race.untilTrouble(ListLog::new, TILLS, ORDERS_EACH, 200, Duration.ofSeconds(2));
        story.show("unlocked list log (the numbers change every run)", race);
        if (!race.sawTrouble()) {
            // Say why, with the machine's own numbers, and show the interleaving the threads did not hit.
            int cores = Runtime.getRuntime().availableProcessors();
            double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            story.say("No append was lost this time. A race needs two tills inside append() at the same moment, on"
                    + " two cores; this JVM has " + cores + (cores == 1 ? " core" : " cores")
                    + (load < 0 ? "" : String.format(java.util.Locale.ROOT, " and the machine's load is %.1f", load))
                    + ", so the tills mostly took turns. The race is still there: the interleaving below loses an"
                    + " order whenever it happens, and the lesson's Lincheck test finds it on any machine.");
            story.say("  till A reads size 5 | till B reads size 5 | A stores at index 5, size = 6"
                    + " | B stores at index 5, size = 6: A's order is gone, and both were told offset 5.");
        }

        story.say("Three fixes follow, each as one of the small systems this course grew from did it (MiniKafka, Kaf"
                + " and Wafka; lessons/origins.adoc introduces them).");
        story.say("Fix 1, MiniKafka's: one lock around every call. The same race, the same log class inside:");
        story.show("locked log", Race.once(() -> new LockedLog<>(new ListLog<>()), TILLS, ORDERS_EACH));

        story.say("Fix 2, Kaf's: one writer thread per partition, fed by a queue. The tills only queue orders.");
        List<EventLog<String>> partitions = logs(3);
        PartitionWriters<String> writers = new PartitionWriters<>(partitions);
        story.show("writer threads", Threads.running());
        sendFromTills(writers, 3);
        writers.close();
        story.show("orders per partition after close()", endOffsets(partitions));
        story.show("each till's orders in its own order in every partition", tillOrderKept(partitions));

        story.say("Fix 3, Kafka's own producer: tills add orders to batches; one sender thread writes whole batches"
                + " when they are full (batch.size 100) or have waited long enough (linger).");
        List<EventLog<String>> kitchen = logs(1);
        BatchingProducer<String> producer = new BatchingProducer<>(kitchen, 100, Duration.ofMinutes(1));
        sendFromTills(producer, 1);
        producer.close();
        story.predict("with a linger of a minute, how many batches carry " + TILLS * ORDERS_EACH + " orders?");
        story.show("batches sent", producer.batchesSent());
        story.show("orders in the log", kitchen.get(0).endOffset());

        story.say("Wafka's client waited for a full batch, so one lone order was never sent. Ours waits for"
                + " the linger, 20 ms, and then sends it alone.");
        List<EventLog<String>> quiet = logs(1);
        BatchingProducer<String> evening = new BatchingProducer<>(quiet, 100, Duration.ofMillis(20));
        CompletableFuture<Long> lone = evening.send(0, "one cod, nothing else");
        story.show("the lone order's offset, with no flush()", await(lone));
        evening.close();
        story.show("batches sent", evening.batchesSent());

        story.say("A consumer's poll(timeout) waits for data without spinning: it sleeps until an append wakes it.");
        LockedLog<String> orders = new LockedLog<>(new ListLog<>());
        LongPollConsumer<String> cook = new LongPollConsumer<>(orders, OffsetReset.EARLIEST, 10);
        story.show("poll(50 ms) on an empty log", cook.poll(Duration.ofMillis(50)));
        CompletableFuture<List<EventAt<String>>> polling =
                CompletableFuture.supplyAsync(() -> cook.poll(Duration.ofSeconds(10)));
        orders.awaitWaitingReaders(1, Duration.ofSeconds(10));
        story.show("readers asleep on the log", orders.waitingReaders());
        orders.append("haddock");
        story.show("what the sleeping poll(10 s) returns when haddock is appended", await(polling));

        story.say("Every producer was closed: every accepted order is written, and no thread is left running.");
        story.show("lesson threads still running", Threads.running());
    }

    private static List<EventLog<String>> logs(int count) {
        List<EventLog<String>> logs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            logs.add(new ListLog<>());
        }
        return logs;
    }

    /** Four till threads, each sending its numbered orders round the partitions; waits for all four. */
    private static void sendFromTills(ConcurrentProducer<String> producer, int partitions) {
        List<Thread> tills = new ArrayList<>();
        for (int t = 0; t < TILLS; t++) {
            int till = t;
            tills.add(Threads.daemon(Threads.PREFIX + "till-" + t, () -> {
                for (int i = 0; i < ORDERS_EACH; i++) {
                    producer.send(i % partitions, "till" + till + "#" + i);
                }
            }));
        }
        tills.forEach(Thread::start);
        tills.forEach(Threads::joinUninterruptibly);
    }

    private static List<Long> endOffsets(List<EventLog<String>> partitions) {
        return partitions.stream().map(EventLog::endOffset).toList();
    }

    /** True if, in every partition, each till's orders appear with rising numbers. */
    private static boolean tillOrderKept(List<EventLog<String>> partitions) {
        for (EventLog<String> log : partitions) {
            int[] last = new int[TILLS];
            java.util.Arrays.fill(last, -1);
            for (long offset = 0; offset < log.endOffset(); offset++) {
                String order = log.read(offset);
                int till = order.charAt(4) - '0';
                int number = Integer.parseInt(order.substring(order.indexOf('#') + 1));
                if (number <= last[till]) {
                    return false;
                }
                last[till] = number;
            }
        }
        return true;
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the demo expected an answer within 10 s: " + e, e);
        }
    }

    private Lesson07Demo() {
    }
}

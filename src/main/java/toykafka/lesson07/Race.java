package toykafka.lesson07;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import toykafka.common.EventLog;

/**
 * Several tills append to one log at the same moment, and we count what went wrong. On lesson 1's list
 * log something usually does: appends lost, one offset handed to two events, or an append that throws.
 * Every round is bounded, and so is the number of rounds and the time they take.
 */
public final class Race {

    private Race() {
    }

    /**
     * What one round did to a log.
     *
     * @param threads       how many tills appended at once
     * @param appendsEach   how many appends each till made
     * @param accepted      appends that returned an offset
     * @param failed        appends that threw instead
     * @param endOffset     where the log says the next append goes: it should equal accepted
     * @param givenTwice    offsets returned to more than one append
     * @param lost          accepted events that are nowhere in the log
     * @param firstFailure  the first exception an append threw, or null
     */
    public record Outcome(int threads, int appendsEach, long accepted, long failed, long endOffset,
                          long givenTwice, long lost, String firstFailure) {

        /** True if the log broke any promise of lesson 1 in this round. */
        public boolean sawTrouble() {
            return failed > 0 || givenTwice > 0 || lost > 0 || endOffset != accepted;
        }

        @Override
        public String toString() {
            return threads + " threads x " + appendsEach + " appends: " + accepted + " accepted, endOffset "
                    + endOffset + ", " + givenTwice + " offsets given twice, " + lost + " lost, " + failed
                    + " threw" + (firstFailure == null ? "" : " (first: " + firstFailure + ")");
        }
    }

    /** Rounds run until one showed trouble, or the limits were reached. */
    public record Report(int rounds, Duration took, Outcome last) {

        public boolean sawTrouble() {
            return last.sawTrouble();
        }

        @Override
        public String toString() {
            return (sawTrouble() ? "trouble in round " + rounds : "no trouble in " + rounds + " rounds") + ": " + last;
        }
    }

    // tag::round[]
    /**
     * One round: every thread starts and waits at the gate, running, so that all of them are on a core
     * when it opens; then all append at once, and we wait for all of them.
     */
    public static Outcome once(Supplier<? extends EventLog<String>> newLog, int threads, int appendsEach) {
        if (threads < 2 || appendsEach < 1) {
            throw new IllegalArgumentException("a race needs at least 2 threads and 1 append each, was "
                    + threads + " threads and " + appendsEach + " appends");
        }
        EventLog<String> log = newLog.get();
        Gate gate = new Gate(threads);
        List<Till> tills = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            tills.add(new Till(log, "till" + t, appendsEach, gate));
        }
        tills.forEach(till -> till.thread.start());
        gate.open(); // go!
        tills.forEach(till -> Threads.joinUninterruptibly(till.thread));
        return count(log, tills, threads, appendsEach);
    }
    // end::round[]

    /**
     * Runs rounds until one shows trouble, or {@code maxRounds} have run, or {@code maxTime} has passed.
     * Each quiet round doubles the appends of the next, up to 64 times the first: on a busy machine the
     * threads may not run side by side at all, and only a round longer than the scheduler's time slice
     * makes sure one till is switched out in the middle of an append while another runs. Never hangs:
     * every round is a fixed number of appends.
     */
    public static Report untilTrouble(Supplier<? extends EventLog<String>> newLog, int threads, int appendsEach,
                                      int maxRounds, Duration maxTime) {
        long start = System.nanoTime();
        Outcome outcome;
        int rounds = 0;
        int appends = appendsEach;
        do {
            outcome = once(newLog, threads, appends);
            rounds++;
            appends = Math.min(appends * 2, appendsEach * 64);
        } while (!outcome.sawTrouble() && rounds < maxRounds && System.nanoTime() - start < maxTime.toNanos());
        return new Report(rounds, Duration.ofNanos(System.nanoTime() - start), outcome);
    }

    private static Outcome count(EventLog<String> log, List<Till> tills, int threads, int appendsEach) {
        long accepted = 0;
        long failed = 0;
        String firstFailure = null;
        Set<Long> offsets = new HashSet<>();
        long givenTwice = 0;
        // Every event is its own String object: identity sets count them without hashing their text.
        Set<String> sent = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Till till : tills) {
            accepted += till.accepted.size();
            failed += till.failed;
            if (firstFailure == null && till.firstFailure != null) {
                firstFailure = till.firstFailure;
            }
            for (int i = 0; i < till.offsets.size(); i++) {
                if (!offsets.add(till.offsets.get(i))) {
                    givenTwice++;
                }
            }
            sent.addAll(till.accepted);
        }
        long endOffset = log.endOffset();
        Set<String> found = Collections.newSetFromMap(new IdentityHashMap<>());
        for (long offset = 0; offset < endOffset; offset++) {
            try {
                found.add(log.read(offset));
            } catch (RuntimeException unreadable) {
                // a slot the race left broken: whatever was meant to be there is lost
            }
        }
        long lost = sent.stream().filter(event -> !found.contains(event)).count();
        return new Outcome(threads, appendsEach, accepted, failed, endOffset, givenTwice, lost, firstFailure);
    }

    /**
     * The starting gate. A thread woken from sleep takes a while to get going, long enough for another to
     * finish all its appends alone; so the tills wait for the gate awake, for the few microseconds until
     * all of them are there. This is the one place in the course that spins, on purpose and briefly.
     */
    private static final class Gate {
        private final CountDownLatch arrived;
        private volatile boolean open;

        Gate(int threads) {
            this.arrived = new CountDownLatch(threads);
        }

        void await() {
            arrived.countDown();
            while (!open) {
                Thread.onSpinWait();
            }
        }

        void open() {
            try {
                arrived.await(); // every till is at the gate
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            open = true;
        }
    }

    /** One producer thread: appends its own numbered events as fast as it can, and notes what happened. */
    private static final class Till implements Runnable {
        private final EventLog<String> log;
        private final String[] events;
        private final Gate gate;
        private final List<String> accepted = new ArrayList<>();
        private final List<Long> offsets = new ArrayList<>();
        private long failed;
        private String firstFailure;
        private final Thread thread;

        Till(EventLog<String> log, String name, int appends, Gate gate) {
            this.log = log;
            this.gate = gate;
            this.events = new String[appends];
            for (int i = 0; i < appends; i++) {
                events[i] = name + "#" + i; // made up front, so the appends themselves run back to back
            }
            this.thread = Threads.daemon(Threads.PREFIX + "race-" + name, this);
        }

        @Override
        public void run() {
            gate.await();
            for (String event : events) {
                try {
                    offsets.add(log.append(event));
                    accepted.add(event);
                } catch (RuntimeException e) {
                    failed++;
                    if (firstFailure == null) {
                        firstFailure = e.getClass().getSimpleName() + ": " + e.getMessage();
                    }
                }
            }
        }
    }
}

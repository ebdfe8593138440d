package toykafka.lesson07;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import toykafka.common.EventLog;
import toykafka.lesson01.ListLog;

/**
 * A rough comparison of the three fixes: several threads send through one shared producer to a few
 * partitions, and we time from the first send to the end of close(). Timings vary with the machine and
 * its load; run it a few times. Not part of the tour.
 * <pre>java -cp "$(./toykafka --classpath)" toykafka.lesson07.ThreadingBenchmark [threads] [sends each]</pre>
 */
public final class ThreadingBenchmark {

    private ThreadingBenchmark() {
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int sendsEach = args.length > 1 ? Integer.parseInt(args[1]) : 250_000;
        System.out.println(threads + " threads x " + sendsEach + " sends, 3 partitions; best of 3 runs each");
        for (String line : compare(threads, sendsEach, 3)) {
            System.out.println(line);
        }
    }

    /** One line per design: its name, its best time, and events per second. */
    public static List<String> compare(int threads, int sendsEach, int partitions) {
        List<String> lines = new ArrayList<>();
        lines.add(line("one global lock (MiniKafka)", threads, sendsEach,
                best(logs -> new LockingProducer<>(logs), threads, sendsEach, partitions)));
        lines.add(line("writer per partition (Kaf)", threads, sendsEach,
                best(logs -> new PartitionWriters<>(logs), threads, sendsEach, partitions)));
        lines.add(line("batching sender, 500 / 5 ms (Kafka)", threads, sendsEach,
                best(logs -> new BatchingProducer<>(logs, 500, Duration.ofMillis(5)), threads, sendsEach, partitions)));
        return lines;
    }

    private static String line(String name, int threads, int sendsEach, Duration took) {
        double perSecond = threads * (double) sendsEach / Math.max(1e-9, took.toNanos() / 1e9);
        return String.format(java.util.Locale.ROOT, "  %-38s %7.1f ms  %,12.0f events/s", name, took.toNanos() / 1e6,
                perSecond);
    }

    private static Duration best(Function<List<EventLog<String>>, ConcurrentProducer<String>> design, int threads,
                                 int sendsEach, int partitions) {
        Duration best = null;
        for (int run = 0; run < 3; run++) {
            Duration took = once(design, threads, sendsEach, partitions);
            best = best == null || took.compareTo(best) < 0 ? took : best;
        }
        return best;
    }

    private static Duration once(Function<List<EventLog<String>>, ConcurrentProducer<String>> design, int threads,
                                 int sendsEach, int partitions) {
        List<EventLog<String>> logs = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            logs.add(new ListLog<>());
        }
        ConcurrentProducer<String> producer = design.apply(logs);
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String prefix = "t" + t + "#";
            senders.add(Threads.daemon(Threads.PREFIX + "bench-" + t, () -> {
                for (int i = 0; i < sendsEach; i++) {
                    producer.send(i % partitions, prefix + i);
                }
            }));
        }
        long start = System.nanoTime();
        senders.forEach(Thread::start);
        senders.forEach(Threads::joinUninterruptibly);
        producer.close();
        long took = System.nanoTime() - start;
        long written = logs.stream().mapToLong(EventLog::endOffset).sum();
        if (written != (long) threads * sendsEach) {
            throw new IllegalStateException("the benchmark lost events: " + written + " of " + threads * sendsEach);
        }
        return Duration.ofNanos(took);
    }
}

package toykafka.bench;

import static toykafka.bench.GroupBenchSupport.STALL;
import static toykafka.bench.GroupBenchSupport.await;
import static toykafka.bench.GroupBenchSupport.sleep;
import static toykafka.bench.KafkaGroupBenchmark.PARTITIONS;
import static toykafka.bench.KafkaGroupBenchmark.VALUE_BYTES;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import toykafka.bench.GroupConsumer.Pass;
import toykafka.broker.group.GroupCoordinator;
import toykafka.harness.KafkaClientLoad;
import toykafka.harness.KafkaClientLoad.Figures;
import toykafka.harness.PrintedReport;

/**
 * The throughput and rebalance parts of {@link KafkaGroupBenchmark}, with kafka-clients: a group of {@value
 * #MEMBERS} {@link GroupConsumer}s that {@code subscribe()} reads a {@value KafkaGroupBenchmark#PARTITIONS}-partition
 * topic to its end against one consumer {@code assign()}ed the same partitions, the two sides taking turns; then,
 * again and again, one of the group's members calls {@code close()} and the clock runs until the survivors own
 * every partition. It reports its lines and hands back the two figures the targets are set on.
 */
record GroupConsumersBench(KafkaGroupBenchmark.Settings settings, PrintedReport report) {

    /** The two figures the targets are set on: the group's best throughput over assign()'s, the median rebalance. */
    record Outcome(double groupToAssign, Duration medianRebalance) {
    }

    static final int MEMBERS = 3;
    /**
     * The consumers' heartbeat.interval.ms. A member hears of a rebalance only in a heartbeat's answer, so at
     * Kafka's default of 3000 the survivors of a close() would wait up to 3 s to hear of it, whatever the broker
     * does; 100 (as lesson 14's demo) leaves the broker's share of the time to measure.
     */
    static final int CONSUMER_HEARTBEAT_MS = 100;
    /** The group the throughput runs and the rebalances use. */
    private static final String READERS = "group-bench-readers";
    /** How long the group stays settled before a member leaves, at the least. */
    private static final int SETTLE_MS = 200;

    /** Throughput, then rebalances of the same group; the two figures. */
    Outcome run(GroupCoordinator coordinator, String bootstrapServers) {
        String topic = "group-bench";
        KafkaClientLoad load = new KafkaClientLoad(bootstrapServers, topic);
        load.createTopic(PARTITIONS);
        double producedSeconds = produce(load, topic);
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new TopicPartition(topic, p));
        }
        report.line(String.format(Locale.ROOT, "throughput: %,d records of %d bytes in %d partitions, produced once by a"
                        + " KafkaProducer (acks=1) in %.1f s; best of %d, the two sides taking turns", settings.records(),
                VALUE_BYTES, PARTITIONS, producedSeconds, settings.repeats()));
        report.line("  group: " + MEMBERS + " KafkaConsumers, subscribe(), a thread each, the group formed before the clock;"
                + " against: one KafkaConsumer, assign() of the " + PARTITIONS + " partitions; each run seeks every"
                + " partition to its start, then the clock runs until the last record is in hand; one untimed run of"
                + " each side first");
        List<GroupConsumer> members = new ArrayList<>();
        GroupConsumer single = null;
        AtomicInteger names = new AtomicInteger();
        try {
            for (int i = 0; i < MEMBERS; i++) {
                members.add(GroupConsumer.subscribed("member-" + names.incrementAndGet(),
                        groupSettings(load, READERS), topic));
            }
            single = GroupConsumer.assigned("assigned", load.consumerSettings(), partitions);
            members.forEach(GroupConsumer::startPolling);
            awaitStable(members, "the group of " + MEMBERS + " to form");
            for (GroupConsumer member : members) {
                member.stopPolling();
            }
            // one untimed run of each side first: whichever side went first would otherwise pay for the warm-up
            readAll(members);
            readAll(List.of(single));
            List<Figures> grouped = new ArrayList<>();
            List<Figures> assigned = new ArrayList<>();
            for (int run = 1; run <= settings.repeats(); run++) {
                if (run % 2 == 1) {
                    grouped.add(readAll(members));
                    assigned.add(readAll(List.of(single)));
                } else {
                    assigned.add(readAll(List.of(single)));
                    grouped.add(readAll(members));
                }
                report.line(String.format(Locale.ROOT, "    run %d: group %s; assign() %s", run, grouped.get(run - 1).rates(),
                        assigned.get(run - 1).rates()));
            }
            single.close();
            single = null;
            Figures group = Figures.best(grouped);
            Figures alone = Figures.best(assigned);
            double ratio = group.recordsPerSecond() / alone.recordsPerSecond();
            report.line(String.format(Locale.ROOT, "  group of %d, subscribe() %s  against one consumer, assign() %s  ratio %s",
                    MEMBERS, group.rates(), alone.rates(), PrintedReport.twoDigits(ratio)));

            Duration median = rebalances(coordinator, members, () -> GroupConsumer.subscribed("member-" + names.incrementAndGet(),
                    groupSettings(load, READERS), topic));
            return new Outcome(ratio, median);
        } finally {
            if (single != null) {
                single.close();
            }
            members.forEach(GroupConsumer::close);
        }
    }

    /** The records, spread evenly over the partitions, with KafkaClientLoad's producer settings; the seconds it took. */
    private double produce(KafkaClientLoad load, String topic) {
        byte[] value = new byte[VALUE_BYTES];
        Arrays.fill(value, (byte) 'x');
        AtomicReference<Exception> failed = new AtomicReference<>();
        long started = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(load.producerSettings())) {
            for (int i = 0; i < settings.records() && failed.get() == null; i++) {
                producer.send(new ProducerRecord<>(topic, i % PARTITIONS, null, value), (metadata, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new IllegalStateException("the broker refused a produce to " + topic + ": " + failed.get().getMessage(),
                    failed.get());
        }
        return (System.nanoTime() - started) / 1e9;
    }

    private static Map<String, Object> groupSettings(KafkaClientLoad load, String groupId) {
        Map<String, Object> settings = new HashMap<>(load.consumerSettings());
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        settings.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
        settings.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, CONSUMER_HEARTBEAT_MS);
        return settings;
    }

    /**
     * One run of a side: each consumer seeks its partitions to their start and looks up where they end, off the
     * clock; then the clock runs from telling them all to read until the last of them has its last record.
     */
    private Figures readAll(List<GroupConsumer> side) {
        await(side.stream().map(consumer -> consumer.submit(consumer::prepare)).toList());
        long started = System.nanoTime();
        List<Pass> passes = await(side.stream().map(consumer -> consumer.submit(consumer::readToEnd)).toList());
        long finished = passes.stream().mapToLong(Pass::finishedNanos).max().orElseThrow();
        long records = passes.stream().mapToLong(Pass::records).sum();
        long bytes = passes.stream().mapToLong(Pass::valueBytes).sum();
        if (records != settings.records()) {
            throw new IllegalStateException(side.size() + " consumer(s) read " + records + " records, where "
                    + settings.records() + " were produced");
        }
        return new Figures(records, bytes, (finished - started) / 1e9);
    }

    /**
     * Rebalance after rebalance: the longest-standing member calls close(), the clock runs until both survivors
     * have been handed partitions after it and hold all of them between them; then a newcomer takes its place
     * and the group settles at three again, off the clock. The survivors hear of a rebalance only at a heartbeat,
     * whose timer starts again at each sync, so a close() right after the group settles would always wait about
     * a whole interval: each close() comes a little later in the interval than the one before, the rounds
     * spread evenly over it. The coordinator's rebalance listener says when the LeaveGroup started the
     * rebalance. The median.
     */
    private Duration rebalances(GroupCoordinator coordinator, List<GroupConsumer> members,
                                Callable<GroupConsumer> newcomer) {
        report.line("rebalance: " + MEMBERS + " members stable, polling; one calls close() (its LeaveGroup); the clock runs from"
                + " close() until the two survivors' ConsumerRebalanceListeners together own all " + PARTITIONS
                + " partitions; median of " + settings.rebalances() + ", a new member making three again between, each"
                + " close() " + SETTLE_MS + " ms or more after the group settled, spread over a heartbeat interval");
        AtomicLong rebalanceStarted = new AtomicLong();
        coordinator.onRebalanceStarted(group -> {
            if (group.equals(READERS)) {
                rebalanceStarted.compareAndSet(0, System.nanoTime());
            }
        });
        members.forEach(GroupConsumer::startPolling);
        List<Long> took = new ArrayList<>();
        List<Long> leaveIn = new ArrayList<>();
        for (int round = 1; round <= settings.rebalances(); round++) {
            sleep(SETTLE_MS + (long) (round - 1) * CONSUMER_HEARTBEAT_MS / settings.rebalances());
            GroupConsumer leaving = members.remove(0);
            leaving.stopPolling();
            rebalanceStarted.set(0);
            long closed = leaving.closeTimed();
            List<GroupConsumer> survivors = List.copyOf(members);
            awaitCondition(() -> survivors.stream().allMatch(survivor -> survivor.assignedNanos > closed)
                    && union(survivors).size() == PARTITIONS, survivors, "the survivors of " + leaving + " to own all "
                    + PARTITIONS + " partitions");
            long nanos = survivors.stream().mapToLong(survivor -> survivor.assignedNanos).max().orElseThrow() - closed;
            long started = rebalanceStarted.get();
            if (started == 0) {
                throw new IllegalStateException("the coordinator started no rebalance of " + READERS + " when "
                        + leaving + " left");
            }
            took.add(nanos);
            leaveIn.add(started - closed);
            report.line(String.format(Locale.ROOT, "    %d: %.0f ms, the survivors then owning %s partitions; the coordinator"
                            + " started the rebalance %.1f ms after close()", round, nanos / 1e6,
                    String.join(" + ", survivors.stream().map(s -> String.valueOf(s.owned.size())).toList()),
                    (started - closed) / 1e6));
            try {
                GroupConsumer added = newcomer.call();
                members.add(added);
                added.startPolling();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start a new member: " + e.getMessage(), e);
            }
            awaitStable(members, "the group to settle at " + MEMBERS + " members again");
        }
        List<Long> sorted = took.stream().sorted().toList();
        Duration median = Duration.ofMillis(Math.round(sorted.get(sorted.size() / 2) / 1e6));
        long leaveMedian = leaveIn.stream().sorted().toList().get(leaveIn.size() / 2);
        report.line(String.format(Locale.ROOT, "  close() to the survivors owning every partition: median %d ms (least %.0f,"
                        + " most %.0f); the broker started the rebalance a median %.1f ms after close(), the rest is"
                        + " the survivors' next heartbeat (every %d ms) and their joins and syncs", median.toMillis(),
                sorted.get(0) / 1e6, sorted.get(sorted.size() - 1) / 1e6, leaveMedian / 1e6, CONSUMER_HEARTBEAT_MS));
        return median;
    }

    /** Waits until the members each own an equal share of the partitions, all of them between them: one generation. */
    private static void awaitStable(List<GroupConsumer> members, String what) {
        awaitCondition(() -> members.stream().allMatch(member -> member.owned.size() == PARTITIONS / members.size())
                && union(members).size() == PARTITIONS, members, what);
    }

    private static Set<TopicPartition> union(Collection<GroupConsumer> members) {
        Set<TopicPartition> all = new HashSet<>();
        members.forEach(member -> all.addAll(member.owned));
        return all;
    }

    private static void awaitCondition(BooleanSupplier done, List<GroupConsumer> polling, String what) {
        long deadline = System.nanoTime() + STALL.toNanos();
        while (!done.getAsBoolean()) {
            polling.forEach(GroupConsumer::checkPolling);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("waited " + STALL.toSeconds() + " s for " + what + "; they own "
                        + polling.stream().map(member -> member + " " + member.owned).toList());
            }
            sleep(1);
        }
    }
}

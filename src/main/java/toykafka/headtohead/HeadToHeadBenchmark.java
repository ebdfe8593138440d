package toykafka.headtohead;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import toykafka.apachekafka.FreePorts;
import toykafka.apachekafka.KafkaJars;
import toykafka.apachekafka.KafkaNode;
import toykafka.harness.ManyConnectionsLoad;
import toykafka.harness.WorkFolder;

/**
 * Our broker against Apache Kafka on this machine, in one run: both started here in JVMs of their own, driven by
 * the same kafka-clients code and settings, each measurement run on one broker then the other, the order
 * turned round each time (A B, B A, …) so a noisy machine hurts both alike. Every row gives the ratio ours /
 * Kafka of the bests. {@code toykafka bench kafka} runs it.
 */
public final class HeadToHeadBenchmark {

    /**
     * @param workDir        where the brokers' folders go, removed afterwards; the report, CSV and chart go there too
     * @param megabytes      megabytes of record values each produce run sends (and each consume run reads back)
     * @param repeats        runs of every measurement on each broker
     * @param endToEnd       how long the end-to-end run sends at its fixed rate
     * @param endToEndRate   the end-to-end run's records a second, below either broker's saturation
     * @param manyPartitions the partition counts of the scale rows
     * @param connections    the producer counts of the scale rows, each producer a connection of its own
     * @param loadConnections the connection counts of the rows whose connections one client thread holds, in a JVM
     *                       of its own ({@link ManyConnectionsLoad})
     * @param recoveryMegabytes what each broker holds when it is killed, before the timed restart
     * @param perfTestValueSizes the record sizes Kafka's perf-test tools run at, each run two JVMs on each broker
     * @param transactions   the most transactions a run of the transactional rows commits
     * @param busyMember     how long a group member's poll loop stays away in the group protocol rows
     * @param heartbeatMembers the KIP-848 members heartbeating at once in the heartbeat rows
     * @param overTlsOnly    only the rows over SSL and SASL_SSL, and the plaintext row of their shape beside them
     */
    public record Settings(Path workDir, int megabytes, int repeats, Duration endToEnd, int endToEndRate,
                           List<Integer> manyPartitions, List<Integer> connections, List<Integer> loadConnections,
                           int recoveryMegabytes,
                           List<Integer> perfTestValueSizes, int transactions, Duration busyMember,
                           Duration groupHeartbeat, int heartbeatMembers, boolean overTlsOnly) {

        public static Settings full(Path workDir, int repeats) {
            return new Settings(workDir, 50, repeats, Duration.ofSeconds(5), 1_000, List.of(1, 10, 100, 1_000),
                    List.of(1, 10, 100), List.of(100, 1_000), 1_024, List.of(100, 1024), 300, Duration.ofSeconds(10),
                    null, 5_000, false);
        }

        /**
         * Every kind of row, on small sizes: about two minutes, for a test that checks the rows, not the speeds.
         * The scale rows stop at 50 partitions, since Kafka takes most of 20 s to make 1,000, and at 10
         * producers; Kafka's perf-test tools run at 100 B only, since every size costs eight JVM starts. Consumer and
         * share group members heartbeat every second on both brokers, not every 5 s as both do by default, so that the
         * group rows do not spend most of the run waiting for the next heartbeat. The KIP-848 heartbeat rows hold 500
         * members, not 5,000.
         */
        public static Settings quick(Path workDir, int repeats) {
            return new Settings(workDir, 1, repeats, Duration.ofSeconds(1), 500, List.of(1, 10, 50),
                    List.of(1, 10), List.of(10, 100), 8, List.of(100), 30, Duration.ofSeconds(1), Duration.ofSeconds(1),
                    500, false);
        }

        /** The same settings for the rows over SSL and SASL_SSL alone, with the plaintext row they are read against. */
        public Settings withOverTlsOnly() {
            return new Settings(workDir, megabytes, repeats, endToEnd, endToEndRate, manyPartitions, connections,
                    loadConnections, recoveryMegabytes, perfTestValueSizes, transactions, busyMember, groupHeartbeat,
                    heartbeatMembers, true);
        }
    }

    private static final int[] VALUE_SIZES = {100, 1024};
    /** The consumers of the group rows: fewer than the partitions, so each gets more than one. */
    private static final int GROUP_MEMBERS = 3;
    /** How often the fetch-only consumer reads its partition in a run: one pass of 50 MB is only 50 fetches. */
    private static final int FETCH_PASSES = 5;
    /**
     * How long a starting broker may write nothing new to its log and still accept no produce before the bench gives
     * up on it: a bound on a hang, which a busy machine's slow start does not reach while the broker is still logging.
     */
    private static final Duration START_LIMIT = Duration.ofSeconds(120);

    private final Settings settings;
    private final PrintStream out;
    private final KafkaJars jars;
    private final String commandLineMain;
    private final HeadToHeadReport report = new HeadToHeadReport();
    private final Alternation rows;
    private int topics;
    /** The rows over SSL and SASL_SSL, measured beside the plaintext row of their shape. */
    private SecuredRows securedRows;
    private final AgainstTheMachine machine = new AgainstTheMachine();

    /**
     * @param commandLineMain the main class of the command line that starts our broker ({@code toykafka broker})
     */
    public HeadToHeadBenchmark(Settings settings, KafkaJars jars, String commandLineMain, PrintStream out) {
        this.settings = settings;
        this.commandLineMain = commandLineMain;
        this.jars = jars;
        this.out = out;
        this.rows = new Alternation(settings.repeats(), report, out);
    }

    /** Runs every row and returns the report's text; the CSV and the chart are written beside {@code report}. */
    public String run(Path reportFile) {
        Path work = settings.workDir().resolve("kafka-brokers");
        WorkFolder.delete(work);
        String kafkaName = "Apache Kafka " + jars.version();
        out.println("Head to head: toykafka against " + kafkaName + ", " + settings.repeats() + " run(s) of each row on each,"
                + " alternating");
        List<String> clientLines = new ArrayList<>();
        // the CA's keytool runs while Kafka's folder is formatted: two short JVMs, neither waiting for the other
        CompletableFuture<SecuredListeners> certificates = CompletableFuture.supplyAsync(
                () -> SecuredListeners.make(work.resolve("certificates")), onItsOwnThread("certificates"));
        try (ContenderBroker ours = ContenderBroker.ours(work.resolve("toykafka"), freePort(), commandLineMain,
                settings.groupHeartbeat());
             ContenderBroker kafka = ContenderBroker.apacheKafka(work.resolve("apache-kafka"), freePort(), freePort(), jars,
                     settings.groupHeartbeat())) {
            SecuredListeners secured = joined(certificates);
            securedRows = new SecuredRows(rows, secured, settings.megabytes());
            startAndWarmUp(List.of(ours.withSecuredListeners(secured, FreePorts.run(2)),
                    kafka.withSecuredListeners(secured, FreePorts.run(2))), secured);
            BrokerCpu cpu = new BrokerCpu(ours);
            report.startGroup("throughput");
            throughputRows(ours, kafka, cpu);
            if (settings.overTlsOnly()) {
                clientLines.add(cpu.report());
            } else {
                everyOtherRow(ours, kafka, cpu, clientLines);
            }
        } catch (RuntimeException e) {
            throw new IllegalStateException(e.getMessage() + " (the brokers' folders and logs are kept in " + work + ")", e);
        }
        if (!settings.overTlsOnly()) {
            report.startGroup("start-up");
            new StartUpRows(rows, report, settings.recoveryMegabytes(), START_LIMIT,
                    folder -> ContenderBroker.ours(folder, freePort(), commandLineMain, settings.groupHeartbeat()),
                    folder -> ContenderBroker.apacheKafka(folder, freePort(), freePort(), jars, settings.groupHeartbeat()))
                    .measure(work);
        }
        WorkFolder.delete(work); // kept when a run fails, for its logs
        return finish(reportFile, kafkaName, clientLines);
    }

    /** The rows after the throughput rows, on the two resident brokers; the client lines go to {@code clientLines}. */
    private void everyOtherRow(ContenderBroker ours, ContenderBroker kafka, BrokerCpu cpu, List<String> clientLines) {
        durableRows(ours, kafka);
        report.startGroup("codecs and single records");
        new CodecRows(rows, settings.megabytes(), 100 * settings.megabytes()).measure(ours, kafka, cpu);
        report.startGroup("transactions");
        transactionRows(ours, kafka);
        report.startGroup("latency and scale");
        endToEndRows(ours, kafka);
        scaleRows(ours, kafka, cpu);
        report.startGroup("clients nobody here wrote");
        perfTestRows(ours, kafka);
        clientLines.add(new KcatRows(rows, settings.megabytes()).measure(ours, kafka, cpu));
        clientLines.add(cpu.report());
        report.startGroup("group protocols");
        new GroupProtocolRows(settings.repeats(), settings.busyMember(), out).measure(ours, kafka).forEach(report::add);
        GroupHeartbeatRows.of(settings.heartbeatMembers(), settings.repeats(), out).measure(ours, kafka)
                .forEach(report::add);
        report.startGroup("share groups");
        new ShareGroupRows(rows, settings.megabytes()).measure(ours, kafka);
    }

    /** Writes the CSV and the charts beside {@code reportFile}, prints the report and returns its text. */
    private String finish(Path reportFile, String kafkaName, List<String> clientLines) {
        String name = reportFile.getFileName().toString().replaceFirst("\\.txt$", "");
        Path csv = reportFile.resolveSibling(name + ".csv");
        Path chart = reportFile.resolveSibling(name + ".png");
        report.writeCsv(csv);
        String chartLine = "\nchart: " + chart + "\n";
        try {
            String title = "toykafka / " + kafkaName + ", this machine, one run";
            report.writeChart(chart, title);
            chartLine += "charts of each group of rows: " + String.join(", ", report.writeGroupCharts(chart, title).stream()
                    .map(group -> group.getFileName().toString()).toList()) + "\n";
        } catch (RuntimeException e) { // the figures are in the table and the CSV: a chart that fails loses none
            chartLine = "\nno chart: " + e.getMessage() + "\n";
        }
        String text = "Head to head: toykafka against " + kafkaName + " on this machine, in one run.\n"
                + "Both brokers in JVMs of their own (heap " + ContenderBroker.HEAP_MIB + " MiB, " + jvmSettings()
                + ") on loopback, each with its own defaults but ours with max.connections and max.connections.per.ip at "
                + ContenderBroker.MAX_CONNECTIONS + " (Kafka has no limit)" + (settings.groupHeartbeat() == null ? ""
                : " and both with group members heartbeating every " + settings.groupHeartbeat().toMillis() + " ms")
                + "; both with an SSL listener (a throwaway CA's certificate, no client certificate) and a SASL_SSL one"
                + " (one SCRAM-SHA-512 user) beside PLAINTEXT, which the rows over them use"
                + ", driven by the same clients with the same"
                + " settings (kafka-clients unless a row names another); each row ran "
                + settings.repeats() + " time(s) on each, alternating; best (median), and the ratio ours / Kafka of the"
                + " bests (and of the medians).\n\n" + report.table("toykafka", "Apache Kafka") + machine.line()
                + String.join("\n", clientLines) + "\n\nCSV: " + csv + chartLine;
        out.println();
        out.print(text);
        return text;
    }

    /**
     * Launches both brokers, then waits for each and warms it up on a thread of its own: nothing is measured yet,
     * so one broker's start-up and warm-up need not wait for the other's, as Kafka's spends seconds waiting on
     * itself.
     */
    private void startAndWarmUp(List<ContenderBroker> brokers, SecuredListeners secured) {
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (ContenderBroker broker : brokers) {
            long launched = broker.launch();
            ready.add(CompletableFuture.runAsync(() -> {
                new HeadToHeadLoad(broker.bootstrapServers()).firstProduceAccepted("warm-up", launched, START_LIMIT, broker);
                secured.addUser(broker);
                warmUp(broker);
                securedRows.warmUp(broker);
            }, onItsOwnThread("start of " + broker.name())));
        }
        ready.forEach(HeadToHeadBenchmark::joined);
    }

    /** Runs each task given on a new daemon thread, so a task that hangs cannot keep the JVM from exiting. */
    private static Executor onItsOwnThread(String name) {
        return task -> {
            Thread thread = new Thread(task, "head-to-head " + name);
            thread.setDaemon(true);
            thread.start();
        };
    }

    /** What the task gave, or its failure as it was thrown. */
    private static <T> T joined(CompletableFuture<T> task) {
        try {
            return task.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** The JVM settings both brokers ran with, named as a reader of the figures needs them. */
    private static String jvmSettings() {
        List<String> options = KafkaNode.jvmOptions();
        return options.equals(KafkaNode.JVM_OPTIONS) ? "G1 as Kafka's start script sets it"
                : KafkaNode.JVM_OPTIONS_VARIABLE + "=" + String.join(" ", options);
    }

    /**
     * A round of every kind of produce and consume on each broker, measured by nobody: the client's code is
     * compiled by the JIT before the first row, so the first broker measured does not pay for it alone.
     */
    private void warmUp(ContenderBroker broker) {
        HeadToHeadLoad load = new HeadToHeadLoad(broker.bootstrapServers());
        String topic = topic(); // one topic for every kind, made and deleted once: each costs Kafka a metadata write
        load.createTopic(topic, 8, Map.of());
        for (int valueBytes : VALUE_SIZES) {
            for (String acks : List.of("1", "all")) {
                load.produce(topic, 8, records(settings.megabytes(), valueBytes), valueBytes, acks, 1);
            }
        }
        load.consume(topic, 8);
        FetchOnlyConsumer.readAll(broker.port(), topic, 0, load.recordsIn(topic, 1), FETCH_PASSES);
        load.deleteTopic(topic);
    }

    /** Produce then consume the same records: 1 and 8 partitions, 100 B and 1 KiB, acks=1 and acks=all. */
    private void throughputRows(ContenderBroker ours, ContenderBroker kafka, BrokerCpu cpu) {
        for (int partitions : List.of(1, 8)) {
            for (int valueBytes : VALUE_SIZES) {
                for (String acks : List.of("1", "all")) {
                    boolean besideTls = partitions == 1 && valueBytes == 1024 && acks.equals("1");
                    if (settings.overTlsOnly() && !besideTls) {
                        continue;
                    }
                    String name = partitions + " partition" + (partitions == 1 ? "" : "s") + ", " + size(valueBytes)
                            + ", acks=" + acks;
                    int records = records(settings.megabytes(), valueBytes);
                    List<HeadToHeadLoad.Figures[]> runs = rows.compare(ours, kafka, broker -> {
                        HeadToHeadLoad load = new HeadToHeadLoad(broker.bootstrapServers());
                        String topic = topic();
                        load.createTopic(topic, partitions, Map.of());
                        HeadToHeadLoad.Figures produced = cpu.timed("produce, " + name, broker,
                                () -> load.produce(topic, partitions, records, valueBytes, acks, 1));
                        HeadToHeadLoad.Figures consumed = acks.equals("1") ? cpu.timed("consume, " + name, broker,
                                () -> load.consume(topic, partitions)) : load.consume(topic, partitions);
                        HeadToHeadLoad.Figures group = partitions > 1 && acks.equals("1") ? cpu.timed(groupRow(partitions,
                                valueBytes), broker, () -> load.consumeAsGroup(topic, partitions, GROUP_MEMBERS)) : consumed;
                        HeadToHeadLoad.Figures fetched = consumed;
                        if (partitions == 1 && valueBytes == 1024 && acks.equals("1")) {
                            fetched = FetchOnlyConsumer.readAll(broker.port(), topic, 0, load.recordsIn(topic, 1), FETCH_PASSES);
                            if (broker == ours) {
                                machine.measure(ours.folder().resolve("data").resolve(topic + "-0"), fetched);
                            }
                        }
                        load.deleteTopic(topic);
                        return new HeadToHeadLoad.Figures[] {produced, consumed, group, fetched};
                    });
                    rows.addThroughput("produce, " + name, Alternation.pick(runs, 0), true);
                    if (acks.equals("1")) { // the consumer reads the same records whatever acks wrote them
                        rows.addThroughput("consume, " + name, Alternation.pick(runs, 1), false);
                    }
                    if (partitions == 1 && valueBytes == 1024 && acks.equals("1")) {
                        rows.addThroughput("fetch only (Fetch requests, nothing decoded), " + name, Alternation.pick(runs, 3), false);
                        securedRows.measure(ours, kafka, cpu);
                    }
                    if (partitions > 1 && acks.equals("1")) {
                        rows.addThroughput(groupRow(partitions, valueBytes), Alternation.pick(runs, 2), false);
                    }
                }
            }
        }
    }

    /**
     * One transactional producer committing transaction after transaction to one partition, of one record each
     * (the coordinator's round trips dominate) and of 100 (the records do); then a read_committed consumer reads
     * the topic of 100-record transactions, a marker after every hundred records.
     */
    private void transactionRows(ContenderBroker ours, ContenderBroker kafka) {
        for (int valueBytes : VALUE_SIZES) {
            for (int perTransaction : List.of(1, 100)) {
                int records = Math.min(records(settings.megabytes(), valueBytes), perTransaction * settings.transactions());
                String name = "1 partition, " + size(valueBytes) + ", " + perTransaction + " record"
                        + (perTransaction == 1 ? "" : "s") + " a transaction";
                List<HeadToHeadLoad.Figures[]> runs = rows.compare(ours, kafka, broker -> {
                    HeadToHeadLoad load = new HeadToHeadLoad(broker.bootstrapServers());
                    String topic = topic();
                    load.createTopic(topic, 1, Map.of());
                    HeadToHeadLoad.Figures produced = load.produceInTransactions(topic, records, valueBytes,
                            perTransaction);
                    HeadToHeadLoad.Figures consumed = perTransaction > 1 ? load.consumeCommitted(topic, 1) : produced;
                    load.deleteTopic(topic);
                    return new HeadToHeadLoad.Figures[] {produced, consumed};
                });
                rows.addThroughput("produce in transactions, " + name, Alternation.pick(runs, 0), true);
                if (perTransaction > 1) {
                    rows.addThroughput("consume read_committed, " + name, Alternation.pick(runs, 1), false);
                }
            }
        }
    }

    /** Each append forced to disk before it is acknowledged: flush.messages=1 on both, the topic's own setting. */
    private void durableRows(ContenderBroker ours, ContenderBroker kafka) {
        for (int valueBytes : VALUE_SIZES) {
            int records = records(Math.max(1, settings.megabytes() / 5), valueBytes);
            List<HeadToHeadLoad.Figures[]> runs = rows.compare(ours, kafka, broker -> {
                HeadToHeadLoad load = new HeadToHeadLoad(broker.bootstrapServers());
                String topic = topic();
                load.createTopic(topic, 1, Map.of("flush.messages", "1"));
                HeadToHeadLoad.Figures produced = load.produce(topic, 1, records, valueBytes, "all", 1);
                load.deleteTopic(topic);
                return new HeadToHeadLoad.Figures[] {produced};
            });
            rows.addThroughput("produce durable (flush.messages=1), " + size(valueBytes) + ", acks=all", Alternation.pick(runs, 0), true);
        }
    }

    private void endToEndRows(ContenderBroker ours, ContenderBroker kafka) {
        List<HeadToHeadLoad.Figures[]> runs = rows.compare(ours, kafka, broker -> {
            HeadToHeadLoad load = new HeadToHeadLoad(broker.bootstrapServers());
            String topic = topic();
            load.createTopic(topic, 1, Map.of());
            HeadToHeadLoad.Figures timed = load.endToEnd(topic, settings.endToEndRate(), 100, settings.endToEnd());
            load.deleteTopic(topic);
            return new HeadToHeadLoad.Figures[] {timed};
        });
        String name = "end to end at " + settings.endToEndRate() + " records/s, 100 B";
        List<HeadToHeadLoad.Figures> figures = Alternation.pick(runs, 0);
        report.add(rows.row(name, "p50 ms", "ms", false, Double.NaN, figures, HeadToHeadLoad.Figures::p50Millis));
        report.add(rows.row(name, "p99 ms", "ms", false, 1.0, figures, HeadToHeadLoad.Figures::p99Millis));
    }

    /** How each broker's produce rate holds up with more partitions, and with more connections. */
    private void scaleRows(ContenderBroker ours, ContenderBroker kafka, BrokerCpu cpu) {
        int records = records(settings.megabytes(), 100);
        for (int partitions : settings.manyPartitions()) {
            List<HeadToHeadLoad.Figures[]> runs = rows.compare(ours, kafka, broker -> {
                HeadToHeadLoad load = new HeadToHeadLoad(broker.bootstrapServers());
                String topic = topic();
                load.createTopic(topic, partitions, Map.of());
                HeadToHeadLoad.Figures produced = cpu.timed(scaleRow(partitions), broker,
                        () -> load.produce(topic, partitions, records, 100, "1", 1));
                load.deleteTopic(topic);
                return new HeadToHeadLoad.Figures[] {produced};
            });
            report.add(rows.row(scaleRow(partitions),
                    "records/s", "records/s", true, partitions >= 1_000 ? 0.8 : Double.NaN, Alternation.pick(runs, 0),
                    HeadToHeadLoad.Figures::recordsPerSecond));
        }
        for (int producers : settings.connections()) {
            List<HeadToHeadLoad.Figures[]> runs = rows.compare(ours, kafka, broker -> {
                HeadToHeadLoad load = new HeadToHeadLoad(broker.bootstrapServers());
                String topic = topic();
                load.createTopic(topic, 8, Map.of());
                HeadToHeadLoad.Figures produced = cpu.timed(connectionsRow(producers), broker,
                        () -> load.produce(topic, 8, Math.max(records, producers * 10), 100, "1", producers));
                load.deleteTopic(topic);
                return new HeadToHeadLoad.Figures[] {produced};
            });
            report.add(rows.row(connectionsRow(producers), "records/s", "records/s", true, Double.NaN, Alternation.pick(runs, 0),
                    HeadToHeadLoad.Figures::recordsPerSecond));
        }
        for (int connections : settings.loadConnections()) {
            rawProduceRow(ours, kafka, 1, 8, names -> new ManyConnectionsLoad.Shape(names, 8, connections, 100, 1, 100),
                    4L * records, connections >= 1_000 ? 0.8 : 1.0, "scale: " + connections
                            + " connections from one client thread, 8 partitions, 100 B, 100 a request");
        }
        int partitionsEach = settings.manyPartitions().get(settings.manyPartitions().size() - 1);
        int topicsOfMany = partitionsEach >= 1_000 ? topicsTheDescriptorsAllow(10, partitionsEach) : 2;
        rawProduceRow(ours, kafka, topicsOfMany, partitionsEach, names -> new ManyConnectionsLoad.Shape(names,
                partitionsEach, 10, 10, 100, 100), records, 0.8, String.format(Locale.ROOT, "scale: %,d partitions (%d topics of"
                + " %,d), 10 connections from one client thread, 100 B, 10 a partition, 100 partitions a request",
                topicsOfMany * partitionsEach, topicsOfMany, partitionsEach));
    }

    /**
     * How many topics of {@code partitions} the row of many partitions may make, at most {@code wanted}: Kafka holds
     * about two file descriptors a partition it has written (its {@code .log} and time index), and those of a
     * deleted topic for {@code file.delete.delay.ms} (a minute) after, so at 10,000 partitions under {@code ulimit -n}
     * 20,000 it ran out and shut down its log directory. A quarter of the process's limit goes to the row.
     */
    private static int topicsTheDescriptorsAllow(int wanted, int partitions) {
        long limit = ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : Long.MAX_VALUE;
        return (int) Math.max(1, Math.min(wanted, limit / 4 / partitions));
    }

    /**
     * A row of {@link ManyConnectionsLoad}: on each broker, {@code topicCount} topics of {@code partitions} made
     * once, then written {@code repeats} times in the shape the topics' names give, every acknowledged record
     * found on the broker after each run.
     */
    private void rawProduceRow(ContenderBroker ours, ContenderBroker kafka, int topicCount, int partitions,
                               Function<List<String>, ManyConnectionsLoad.Shape> shape, long records, double target,
                               String name) {
        Map<ContenderBroker, List<String>> made = new HashMap<>();
        List<HeadToHeadLoad.Figures[]> runs = rows.compare(ours, kafka, broker -> {
            HeadToHeadLoad load = new HeadToHeadLoad(broker.bootstrapServers());
            List<String> names = made.computeIfAbsent(broker, first -> {
                List<String> created = new ArrayList<>();
                for (int t = 0; t < topicCount; t++) {
                    created.add(topic());
                    load.createTopic(created.get(t), partitions, Map.of());
                }
                return created;
            });
            long before = 0;
            for (String topic : names) {
                before += load.recordsIn(topic, partitions);
            }
            ManyConnectionsLoad.Shape filled = shape.apply(names);
            ManyConnectionsLoad.Result result = ManyConnectionsLoad.run(ManyConnectionsLoad.Wire.KAFKA, broker.port(),
                    filled, records, 0, broker.folder());
            HeadToHeadLoad.Figures produced = new HeadToHeadLoad.Figures(result.records(), result.valueBytes(),
                    result.seconds(), result.p50Millis(), result.p99Millis());
            long held = -before;
            for (String topic : names) {
                held += load.recordsIn(topic, partitions);
            }
            long acknowledged = produced.records() + result.recordsBeforeTheClock();
            if (held != acknowledged) {
                throw new IllegalStateException(acknowledged + " records were acknowledged to " + names + ", and the"
                        + " broker took in " + held);
            }
            return new HeadToHeadLoad.Figures[] {produced};
        });
        made.forEach((broker, names) -> names.forEach(new HeadToHeadLoad(broker.bootstrapServers())::deleteTopic));
        report.add(rows.row(name, "records/s", "records/s", true, target, Alternation.pick(runs, 0),
                HeadToHeadLoad.Figures::recordsPerSecond));
        report.add(rows.row(name, "p99 ms", "ms", false, Double.NaN, Alternation.pick(runs, 0),
                HeadToHeadLoad.Figures::p99Millis));
    }

    /** Kafka's own kafka-producer-perf-test, with its defaults, against each. */
    private void perfTestRows(ContenderBroker ours, ContenderBroker kafka) {
        for (int valueBytes : settings.perfTestValueSizes()) {
            for (String acks : List.of("1", "all")) {
                int records = records(Math.max(1, settings.megabytes() / 2), valueBytes);
                List<HeadToHeadLoad.Figures[]> runs = rows.compare(ours, kafka, broker -> {
                    HeadToHeadLoad load = new HeadToHeadLoad(broker.bootstrapServers());
                    String topic = topic();
                    load.createTopic(topic, 1, Map.of());
                    HeadToHeadLoad.Figures produced = PerfTestRun.run(broker.bootstrapServers(), topic, records, valueBytes,
                            acks, broker.folder());
                    HeadToHeadLoad.Figures[] consumed = acks.equals("1")
                            ? PerfTestRun.consume(broker.bootstrapServers(), topic, records, broker.folder())
                            : new HeadToHeadLoad.Figures[] {produced, produced};
                    load.deleteTopic(topic);
                    return new HeadToHeadLoad.Figures[] {produced, consumed[0], consumed[1]};
                });
                String name = "kafka-producer-perf-test, " + size(valueBytes) + ", acks=" + acks;
                report.add(rows.row(name, "records/s", "records/s", true, Double.NaN, Alternation.pick(runs, 0),
                        HeadToHeadLoad.Figures::recordsPerSecond));
                report.add(rows.row(name, "p99 ms", "ms", false, Double.NaN, Alternation.pick(runs, 0), HeadToHeadLoad.Figures::p99Millis));
                if (acks.equals("1")) {
                    String reading = "kafka-consumer-perf-test, " + size(valueBytes);
                    report.add(rows.row(reading, "records/s", "records/s", true, Double.NaN, Alternation.pick(runs, 1),
                            HeadToHeadLoad.Figures::recordsPerSecond));
                    report.add(rows.row(reading + ", fetching alone", "records/s", "records/s", true, Double.NaN, Alternation.pick(runs, 2),
                            HeadToHeadLoad.Figures::recordsPerSecond));
                }
            }
        }
    }

    private synchronized String topic() {
        return "head-to-head-" + (++topics);
    }

    private static String groupRow(int partitions, int valueBytes) {
        return "consume as a group of " + GROUP_MEMBERS + ", " + partitions + " partitions, " + size(valueBytes);
    }

    private static String scaleRow(int partitions) {
        return "scale: " + partitions + " partition" + (partitions == 1 ? "" : "s") + ", 100 B, acks=1";
    }

    private static String connectionsRow(int producers) {
        return "scale: " + producers + " producer connection" + (producers == 1 ? "" : "s") + ", 8 partitions, 100 B";
    }

    private static int records(int megabytes, int valueBytes) {
        return (int) Math.max(1, (long) megabytes * 1_000_000 / valueBytes);
    }

    private static String size(int valueBytes) {
        return valueBytes >= 1024 ? valueBytes / 1024 + " KiB" : valueBytes + " B";
    }

    /** A port below the ephemeral range, which an outgoing connection cannot take before the broker binds it. */
    private static int freePort() {
        return FreePorts.run(1);
    }
}

package toykafka.kafka;

import java.io.PrintStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Apache kafka-clients' producer, consumer and Admin, driven by arguments and answering in {@link ProbeLine}s,
 * so that one test runs the same actions with kafka-clients 4.4 in the test's JVM and 3.9 in a child JVM
 * ({@link KafkaClients}). It calls only API that both versions have.
 *
 * <p>Arguments: a command, then {@code name=value} options; {@code config.NAME=VALUE} goes to the client's
 * own configuration as it is (so a test that sets none gets the client's defaults). Commands:
 * <ul>
 *   <li>{@code version}: the kafka-clients version and the jar it was loaded from.
 *   <li>{@code produce bootstrap topic count [partition] [timestamp]}: {@code count} records, the i-th at
 *       {@code timestamp + i} seconds, with a key (null for every fourth), a value, and headers (one with a
 *       null value); a {@code sent} line for each, then {@code produced}.
 *   <li>{@code consume bootstrap topic [partition] from=beginning|end|OFFSET|time:MILLIS [max] [wait.ms]}:
 *       {@code assign()}, no group, no commits; a {@code record} line for each of at most {@code max}
 *       records read within {@code wait.ms}, then {@code consumed} with the count and the position.
 *   <li>{@code offsets bootstrap topic partitions}: {@code beginning} and {@code end} lines per partition.
 *   <li>{@code offsets-for-times bootstrap topic [partition] time}: one {@code for-time} line.
 *   <li>Admin: {@code create-topic topic partitions [topic-config.NAME=VALUE]}, {@code list-topics},
 *       {@code describe-topic topic}, {@code describe-configs topic}, {@code delete-topic topic},
 *       {@code describe-cluster}, {@code max-timestamp topic [partition]} (Admin.listOffsets' max timestamp:
 *       a {@code max-timestamp} line with the offset and timestamp).
 *   <li>{@code group-consume bootstrap topic group [assignor=range|roundrobin|sticky|cooperative-sticky]
 *       [members] [stop.file] [stop.after.ms] [idle.ms]}: {@code members} consumers (1 unless given), each on a
 *       thread of its own, in group {@code group}, {@code subscribe()}d to the topic. Every line carries the
 *       consumer's index, {@code member}. The rebalance listener prints {@code assigned} (the partitions
 *       added, and all it {@code owns} then), {@code revoked} and {@code lost}, each with the generation and
 *       member id; a {@code record} line for each record, with the generation it was read in; after each poll that read something, a synchronous
 *       commit of the next offsets, a {@code committed} line a partition, with the generation it was made in
 *       ({@code commit-failed} if a rebalance refused it: the records are read again by the next owner). A
 *       consumer stops when the file {@code stop.file} exists, after {@code stop.after.ms} (60000 unless
 *       given), or once it has read something and then nothing for {@code idle.ms}; it prints
 *       {@code closing}, closes (leaving the group: the revocations printed after {@code closing} are the
 *       close's) and prints {@code closed}. With {@code pattern=true}, the topic is a regular expression the broker
 *       evaluates ({@code SubscriptionPattern}, kafka-clients 4 only). {@code config.group.protocol=consumer} (KIP-848) and
 *       {@code config.group.instance.id} (static membership) are the client's to try: a failure ends every
 *       consumer of the run with an error line.
 * </ul>
 * A failure prints an {@code error} line with the exception's class and message, and exits with 1.
 */
public final class ClientsProbe {

    /** How long any one call may wait on the broker: the probe never hangs a test. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final Map<String, String> options;
    private final PrintStream out;

    private ClientsProbe(Map<String, String> options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /** Runs one command, printing its lines to {@code out}; returns the exit code: 0, or 1 after an error line. */
    static int run(String[] args, PrintStream out) {
        if (args.length == 0) {
            out.println(ProbeLine.of("error", "type", "usage", "message", "no command: see ClientsProbe's Javadoc"));
            return 1;
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            int equals = args[i].indexOf('=');
            if (equals < 1) {
                out.println(ProbeLine.of("error", "type", "usage", "message", "not a name=value option: " + args[i]));
                return 1;
            }
            options.put(args[i].substring(0, equals), args[i].substring(equals + 1));
        }
        ClientsProbe probe = new ClientsProbe(options, out);
        try {
            probe.dispatch(args[0]);
            return 0;
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            out.println(ProbeLine.of("error", "type", cause.getClass().getSimpleName(), "message", cause.getMessage()));
            return 1;
        } finally {
            out.flush();
        }
    }

    private void dispatch(String command) throws Exception {
        switch (command) {
            case "version" -> out.println(ProbeLine.of("version", "clients", ClientsJarVersion.get(), "jar",
                    KafkaProducer.class.getProtectionDomain().getCodeSource().getLocation().getPath()));
            case "produce" -> produce();
            case "consume" -> consume();
            case "offsets" -> offsets();
            case "offsets-for-times" -> offsetsForTimes();
            case "group-consume" -> groupConsume();
            case "create-topic", "list-topics", "describe-topic", "describe-configs", "delete-topic",
                 "describe-cluster", "max-timestamp" -> admin(command);
            default -> throw new IllegalArgumentException("unknown command '" + command
                    + "': version, produce, consume, offsets, offsets-for-times, create-topic, list-topics, "
                    + "describe-topic, describe-configs, delete-topic, describe-cluster, max-timestamp, group-consume");
        }
    }

    // ---- producer ----

    private void produce() throws Exception {
        int count = Integer.parseInt(option("count"));
        Integer partition = options.containsKey("partition") ? Integer.valueOf(option("partition")) : null;
        long firstTimestamp = Long.parseLong(options.getOrDefault("timestamp",
                String.valueOf(System.currentTimeMillis() - count * 1000L)));
        Properties config = clientConfig();
        config.put("key.serializer", ByteArraySerializer.class.getName());
        config.put("value.serializer", ByteArraySerializer.class.getName());
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            for (int i = 0; i < count; i++) {
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(option("topic"), partition,
                        firstTimestamp + i * 1000L, key(i), value(i), headers(i));
                records.add(record);
                Future<RecordMetadata> answer = producer.send(record);
                if (answer.isDone()) {
                    answer.get(); // a send the producer refused at once (no metadata, say): the rest would wait as long
                }
                sent.add(answer);
            }
            producer.flush();
            for (int i = 0; i < count; i++) {
                RecordMetadata metadata = sent.get(i).get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                ProducerRecord<byte[], byte[]> record = records.get(i);
                out.println(ProbeLine.of("sent", "partition", metadata.partition(), "offset", metadata.offset(),
                        "timestamp", record.timestamp(), "key", text(record.key()), "value", text(record.value()),
                        "headers", headersText(record.headers())));
            }
        }
        out.println(ProbeLine.of("produced", "count", count));
    }

    private static byte[] key(int i) {
        return i % 4 == 3 ? null : ("key-" + i).getBytes(StandardCharsets.UTF_8);
    }

    /** Repetitive enough that every codec shrinks it, with a space and a non-ASCII letter to survive the trip. */
    private static byte[] value(int i) {
        return ("value " + i + " café " + "till-receipt ".repeat(8)).getBytes(StandardCharsets.UTF_8);
    }

    private static List<Header> headers(int i) {
        return List.of(new ProbeHeader("index", String.valueOf(i).getBytes(StandardCharsets.UTF_8)),
                new ProbeHeader("nothing", null));
    }

    // ---- consumer ----

    private void consume() {
        TopicPartition partition = partition();
        int max = Integer.parseInt(options.getOrDefault("max", "0"));
        long deadline = System.nanoTime() + Duration.ofMillis(Long.parseLong(options.getOrDefault("wait.ms", "30000"))).toNanos();
        int count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            consumer.assign(List.of(partition));
            seek(consumer, partition, option("from"));
            while (count < max && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (count++ < max) {
                        out.println(ProbeLine.of("record", "partition", record.partition(), "offset", record.offset(),
                                "timestamp", record.timestamp(), "timestampType", record.timestampType().name,
                                "key", text(record.key()), "value", text(record.value()),
                                "headers", headersText(record.headers())));
                    }
                }
            }
            out.println(ProbeLine.of("consumed", "count", Math.min(count, max), "position",
                    consumer.position(partition, PATIENCE)));
        }
    }

    private void seek(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition, String from) {
        if (from.equals("beginning")) {
            consumer.seekToBeginning(List.of(partition));
        } else if (from.equals("end")) {
            consumer.seekToEnd(List.of(partition));
        } else if (from.startsWith("time:")) {
            OffsetAndTimestamp found = consumer.offsetsForTimes(Map.of(partition, Long.valueOf(from.substring(5))), PATIENCE)
                    .get(partition);
            if (found == null) {
                consumer.seekToEnd(List.of(partition));
            } else {
                consumer.seek(partition, found.offset());
            }
        } else {
            consumer.seek(partition, Long.parseLong(from));
        }
    }

    private void offsets() {
        int partitions = Integer.parseInt(options.getOrDefault("partitions", "1"));
        List<TopicPartition> all = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            all.add(new TopicPartition(option("topic"), p));
        }
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            Map<TopicPartition, Long> beginning = consumer.beginningOffsets(all, PATIENCE);
            Map<TopicPartition, Long> end = consumer.endOffsets(all, PATIENCE);
            for (TopicPartition partition : all) {
                out.println(ProbeLine.of("beginning", "partition", partition.partition(), "offset", beginning.get(partition)));
                out.println(ProbeLine.of("end", "partition", partition.partition(), "offset", end.get(partition)));
            }
        }
    }

    private void offsetsForTimes() {
        TopicPartition partition = partition();
        long time = Long.parseLong(option("time"));
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            OffsetAndTimestamp found = consumer.offsetsForTimes(Map.of(partition, time), PATIENCE).get(partition);
            out.println(ProbeLine.of("for-time", "partition", partition.partition(), "time", time,
                    "offset", found == null ? null : found.offset(), "timestamp", found == null ? null : found.timestamp()));
        }
    }

    /** No group: {@code assign()} only, nothing committed ({@link #groupConsume} is the one in a group). */
    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties config = clientConfig();
        config.put("key.deserializer", ByteArrayDeserializer.class.getName());
        config.put("value.deserializer", ByteArrayDeserializer.class.getName());
        config.putIfAbsent("enable.auto.commit", "false");
        return new KafkaConsumer<>(config);
    }

    private TopicPartition partition() {
        return new TopicPartition(option("topic"), Integer.parseInt(options.getOrDefault("partition", "0")));
    }

    // ---- consumers in a group ----

    /** The assignors by the names Kafka's tools and docs give them. */
    private static final Map<String, String> ASSIGNORS = Map.of(
            "range", "org.apache.kafka.clients.consumer.RangeAssignor",
            "roundrobin", "org.apache.kafka.clients.consumer.RoundRobinAssignor",
            "sticky", "org.apache.kafka.clients.consumer.StickyAssignor",
            "cooperative-sticky", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
    /** How long one poll may wait: short, so a consumer sees its stop file soon. */
    private static final Duration POLL = Duration.ofMillis(200);

    private void groupConsume() throws Exception {
        int members = Integer.parseInt(options.getOrDefault("members", "1"));
        long stopAfterMs = Long.parseLong(options.getOrDefault("stop.after.ms", String.valueOf(PATIENCE.toMillis())));
        String assignor = options.get("assignor");
        if (assignor != null && !ASSIGNORS.containsKey(assignor)) {
            throw new IllegalArgumentException("unknown assignor '" + assignor + "': " + ASSIGNORS.keySet());
        }
        AtomicBoolean stopAll = new AtomicBoolean(); // one consumer's failure stops the others
        ExecutorService threads = Executors.newFixedThreadPool(members, runnable -> {
            Thread thread = new Thread(runnable, "group-consume");
            thread.setDaemon(true); // a consumer stuck past its bound must not keep the JVM up
            return thread;
        });
        List<Future<?>> running = new ArrayList<>();
        for (int member = 0; member < members; member++) {
            int index = member;
            running.add(threads.submit(() -> {
                try {
                    groupMember(index, stopAfterMs, stopAll);
                } catch (RuntimeException e) {
                    stopAll.set(true);
                    throw e;
                }
                return null;
            }));
        }
        threads.shutdown();
        try {
            for (Future<?> member : running) {
                // each consumer stops by stop.after.ms, and then closes within its own 30 seconds' default
                member.get(stopAfterMs + PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            stopAll.set(true);
            threads.shutdownNow();
        }
    }

    /** One consumer of the group: subscribe, poll, print, commit, until told to stop; then close. */
    private void groupMember(int member, long stopAfterMs, AtomicBoolean stopAll) {
        Properties config = clientConfig();
        config.put("group.id", option("group"));
        config.putIfAbsent("client.id", option("group") + "-" + member + "-" + ProcessHandle.current().pid());
        if (options.containsKey("assignor")) {
            config.put("partition.assignment.strategy", ASSIGNORS.get(option("assignor")));
        }
        config.put("key.deserializer", ByteArrayDeserializer.class.getName());
        config.put("value.deserializer", ByteArrayDeserializer.class.getName());
        config.putIfAbsent("enable.auto.commit", "false");
        Path stopFile = options.containsKey("stop.file") ? Path.of(option("stop.file")) : null;
        long idleNanos = options.containsKey("idle.ms") ? TimeUnit.MILLISECONDS.toNanos(Long.parseLong(option("idle.ms"))) : -1;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(stopAfterMs);
        long lastRead = 0;
        int read = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            subscribe(consumer, new PrintingListener(member, consumer));
            while (!stopAll.get() && System.nanoTime() < deadline && (stopFile == null || !Files.exists(stopFile))
                    && (idleNanos < 0 || read == 0 || System.nanoTime() - lastRead < idleNanos)) {
                Map<TopicPartition, OffsetAndMetadata> next = new LinkedHashMap<>();
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                int generation = consumer.groupMetadata().generationId(); // the poll's rebalance, if any, is done
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    out.println(ProbeLine.of("record", "member", member, "generation", generation,
                            "partition", record.partition(), "offset", record.offset(), "value", text(record.value())));
                    next.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
                    read++;
                    lastRead = System.nanoTime();
                }
                if (!next.isEmpty()) {
                    commit(member, consumer, next);
                }
            }
            out.println(ProbeLine.of("closing", "member", member, "read", read));
        }
        out.println(ProbeLine.of("closed", "member", member));
    }

    /** commitSync of what this poll read; a commit a rebalance refused is printed, and the next owner reads again. */
    private void commit(int member, KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, OffsetAndMetadata> next) {
        int generation = consumer.groupMetadata().generationId(); // what the commit carries: poll alone rejoins
        try {
            consumer.commitSync(next, PATIENCE);
        } catch (CommitFailedException | RebalanceInProgressException e) {
            out.println(ProbeLine.of("commit-failed", "member", member, "generation", generation,
                    "type", e.getClass().getSimpleName(), "message", e.getMessage()));
            return;
        }
        next.forEach((partition, offset) -> out.println(ProbeLine.of("committed", "member", member,
                "generation", generation, "partition", partition.partition(), "offset", offset.offset())));
    }

    /** Prints each rebalance callback with the generation and member id the consumer has at that moment. */
    private final class PrintingListener implements ConsumerRebalanceListener {
        private final int member;
        private final KafkaConsumer<byte[], byte[]> consumer;

        PrintingListener(int member, KafkaConsumer<byte[], byte[]> consumer) {
            this.member = member;
            this.consumer = consumer;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            ConsumerGroupMetadata group = consumer.groupMetadata();
            out.println(ProbeLine.of("assigned", "member", member, "generation", group.generationId(),
                    "memberId", group.memberId(), "partitions", partitionList(partitions),
                    "owned", partitionList(consumer.assignment())));
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            printLoss("revoked", partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            printLoss("lost", partitions);
        }

        private void printLoss(String word, Collection<TopicPartition> partitions) {
            ConsumerGroupMetadata group = consumer.groupMetadata();
            out.println(ProbeLine.of(word, "member", member, "generation", group.generationId(),
                    "memberId", group.memberId(), "partitions", partitionList(partitions)));
        }
    }

    /** Partition numbers, in order, with commas: "0,2,4". */
    private static String partitionList(Collection<TopicPartition> partitions) {
        StringJoiner list = new StringJoiner(",");
        partitions.stream().mapToInt(TopicPartition::partition).sorted().forEach(p -> list.add(String.valueOf(p)));
        return list.toString();
    }

    // ---- Admin ----

    private void admin(String command) throws Exception {
        try (Admin admin = Admin.create(clientConfig())) {
            switch (command) {
                case "create-topic" -> createTopic(admin);
                case "list-topics" -> {
                    for (String name : admin.listTopics().names().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                        out.println(ProbeLine.of("topic", "name", name));
                    }
                }
                case "describe-topic" -> describeTopic(admin);
                case "describe-configs" -> describeConfigs(admin);
                case "max-timestamp" -> maxTimestamp(admin);
                case "delete-topic" -> {
                    admin.deleteTopics(List.of(option("topic"))).all().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                    out.println(ProbeLine.of("deleted", "topic", option("topic")));
                }
                default -> describeCluster(admin);
            }
        }
    }

    private void createTopic(Admin admin) throws Exception {
        Map<String, String> topicConfigs = new LinkedHashMap<>();
        options.forEach((name, value) -> {
            if (name.startsWith("topic-config.")) {
                topicConfigs.put(name.substring("topic-config.".length()), value);
            }
        });
        NewTopic topic = new NewTopic(option("topic"), Integer.parseInt(option("partitions")), (short) 1).configs(topicConfigs);
        admin.createTopics(List.of(topic)).all().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        out.println(ProbeLine.of("created", "topic", topic.name(), "partitions", topic.numPartitions()));
    }

    private void describeTopic(Admin admin) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(option("topic"))).allTopicNames()
                .get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).get(option("topic"));
        out.println(ProbeLine.of("described", "topic", description.name(), "internal", description.isInternal(),
                "partitions", description.partitions().size()));
        for (TopicPartitionInfo partition : description.partitions()) {
            out.println(ProbeLine.of("partition", "partition", partition.partition(),
                    "leader", partition.leader() == null ? null : partition.leader().id(),
                    "replicas", nodeIds(partition.replicas()), "isr", nodeIds(partition.isr())));
        }
    }

    private void describeConfigs(Admin admin) throws Exception {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, option("topic"));
        Config config = admin.describeConfigs(List.of(topic)).all().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).get(topic);
        for (ConfigEntry entry : config.entries()) {
            out.println(ProbeLine.of("config", "name", entry.name(), "value", entry.value(),
                    "source", entry.source().name(), "readOnly", entry.isReadOnly(), "sensitive", entry.isSensitive()));
        }
    }

    private void maxTimestamp(Admin admin) throws Exception {
        TopicPartition partition = partition();
        ListOffsetsResult.ListOffsetsResultInfo found = admin.listOffsets(Map.of(partition, OffsetSpec.maxTimestamp()))
                .partitionResult(partition).get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        out.println(ProbeLine.of("max-timestamp", "partition", partition.partition(), "offset", found.offset(),
                "timestamp", found.timestamp()));
    }

    private void describeCluster(Admin admin) throws Exception {
        DescribeClusterResult cluster = admin.describeCluster();
        for (Node node : cluster.nodes().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
            out.println(ProbeLine.of("node", "id", node.id(), "host", node.host(), "port", node.port()));
        }
        Node controller = cluster.controller().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        out.println(ProbeLine.of("cluster", "id", cluster.clusterId().get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS),
                "controller", controller == null ? null : controller.id()));
    }

    private static String nodeIds(Collection<Node> nodes) {
        StringJoiner ids = new StringJoiner(",");
        nodes.forEach(node -> ids.add(String.valueOf(node.id())));
        return ids.toString();
    }

    // ---- options and text ----

    /**
     * Subscribes to {@code topic}: by name, or, with {@code pattern=true}, by a regular expression the broker evaluates
     * (KIP-848's {@code SubscriptionPattern}, which kafka-clients 3.9 lacks: reached by reflection, so the same
     * probe runs on 3.9 too).
     */
    private void subscribe(KafkaConsumer<byte[], byte[]> consumer, PrintingListener listener) {
        if (!Boolean.parseBoolean(options.getOrDefault("pattern", "false"))) {
            consumer.subscribe(List.of(option("topic")), listener);
            return;
        }
        try {
            Class<?> patternClass = Class.forName("org.apache.kafka.clients.consumer.SubscriptionPattern");
            Object pattern = patternClass.getConstructor(String.class).newInstance(option("topic"));
            KafkaConsumer.class.getMethod("subscribe", patternClass,
                    org.apache.kafka.clients.consumer.ConsumerRebalanceListener.class).invoke(consumer, pattern, listener);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("these kafka-clients have no SubscriptionPattern: " + e, e);
        }
    }

    private String option(String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing option " + name + "=...; given: " + options.keySet());
        }
        return value;
    }

    /** {@code bootstrap} and every {@code config.NAME=VALUE}: nothing else, so the client's defaults hold. */
    private Properties clientConfig() {
        Properties config = new Properties();
        config.put("bootstrap.servers", option("bootstrap"));
        options.forEach((name, value) -> {
            if (name.startsWith("config.")) {
                config.put(name.substring("config.".length()), value);
            }
        });
        return config;
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** Headers as a query string, {@code name=value&name=~}, each part URL-encoded and {@code ~} for null. */
    static String headersText(Iterable<Header> headers) {
        StringJoiner text = new StringJoiner("&");
        for (Header header : headers) {
            text.add(URLEncoder.encode(header.key(), StandardCharsets.UTF_8) + "="
                    + (header.value() == null ? "~" : URLEncoder.encode(text(header.value()), StandardCharsets.UTF_8)));
        }
        return text.toString();
    }

    /** The reverse of {@link #headersText}, for tests that look inside. */
    static Map<String, String> parseHeaders(String text) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String part : text.isEmpty() ? new String[0] : text.split("&")) {
            String[] nameValue = part.split("=", 2);
            headers.put(URLDecoder.decode(nameValue[0], StandardCharsets.UTF_8),
                    nameValue[1].equals("~") ? null : URLDecoder.decode(nameValue[1], StandardCharsets.UTF_8));
        }
        return headers;
    }
}

package toykafka.kafka;

import java.util.List;

/**
 * Apache Kafka's own command-line tools, each run as its shell script runs it: its main class in a JVM of its own
 * ({@link ChildJvm}) with the jars of the course's Apache Kafka (target/apache-kafka), the version
 * {@code ./toykafka kafka start} runs. The scripts' names are Kafka's; since 4.x every one of these lives in
 * {@code kafka-tools}.
 */
enum KafkaTool {

    /** kafka-topics.sh. */
    TOPICS("org.apache.kafka.tools.TopicCommand"),
    /** kafka-console-producer.sh. */
    CONSOLE_PRODUCER("org.apache.kafka.tools.ConsoleProducer"),
    /** kafka-console-consumer.sh. */
    CONSOLE_CONSUMER("org.apache.kafka.tools.consumer.ConsoleConsumer"),
    /** kafka-get-offsets.sh. */
    GET_OFFSETS("org.apache.kafka.tools.GetOffsetShell"),
    /** kafka-dump-log.sh. */
    DUMP_LOG("org.apache.kafka.tools.DumpLogSegments"),
    /** kafka-acls.sh. */
    ACLS("org.apache.kafka.tools.AclCommand"),
    /** kafka-features.sh. */
    FEATURES("org.apache.kafka.tools.FeatureCommand"),
    /** kafka-configs.sh. */
    CONFIGS("org.apache.kafka.tools.ConfigCommand"),
    /** kafka-delete-records.sh. */
    DELETE_RECORDS("org.apache.kafka.tools.DeleteRecordsCommand"),
    /** kafka-log-dirs.sh. */
    LOG_DIRS("org.apache.kafka.tools.LogDirsCommand"),
    /** kafka-cluster.sh. */
    CLUSTER("org.apache.kafka.tools.ClusterTool"),
    /** kafka-consumer-groups.sh. */
    CONSUMER_GROUPS("org.apache.kafka.tools.consumer.group.ConsumerGroupCommand"),
    /** kafka-streams-groups.sh. */
    STREAMS_GROUPS("org.apache.kafka.tools.streams.StreamsGroupCommand"),
    /** kafka-consumer-perf-test.sh. */
    CONSUMER_PERF_TEST("org.apache.kafka.tools.ConsumerPerformance"),
    /** kafka-transactions.sh. */
    TRANSACTIONS("org.apache.kafka.tools.TransactionsCommand");

    final String mainClass;

    KafkaTool(String mainClass) {
        this.mainClass = mainClass;
    }

    /** Runs the tool with these arguments and {@code input} on its standard input (null for none). */
    ChildProcess.Result run(String input, String... args) {
        return ChildJvm.run(ChildJvm.apacheKafkaClassPath(), mainClass, List.of(args), input);
    }
}

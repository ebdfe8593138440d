package toykafka.kafka;

import java.util.List;

/**
 * Kafka's own command-line tools, 3.9.1, each run as its shell script would run it: its main class in a JVM of
 * its own ({@link ChildJvm}) on the test's class path, which holds Kafka's jars. The scripts' names are
 * Kafka's; in 3.9 some tools live in the broker jar ({@code kafka_2.13}) and some in {@code kafka-tools}.
 */
enum KafkaTool {

    /** kafka-topics.sh, in kafka-tools. */
    TOPICS("org.apache.kafka.tools.TopicCommand"),
    /** kafka-console-producer.sh, still in the broker jar in 3.9. */
    CONSOLE_PRODUCER("kafka.tools.ConsoleProducer"),
    /** kafka-console-consumer.sh, in kafka-tools. */
    CONSOLE_CONSUMER("org.apache.kafka.tools.consumer.ConsoleConsumer"),
    /** kafka-get-offsets.sh, in kafka-tools. */
    GET_OFFSETS("org.apache.kafka.tools.GetOffsetShell"),
    /** kafka-dump-log.sh, in the broker jar. */
    DUMP_LOG("kafka.tools.DumpLogSegments"),
    /** kafka-acls.sh, in the broker jar. */
    ACLS("kafka.admin.AclCommand"),
    /** kafka-features.sh, in kafka-tools. */
    FEATURES("org.apache.kafka.tools.FeatureCommand"),
    /** kafka-configs.sh, in the broker jar. */
    CONFIGS("kafka.admin.ConfigCommand"),
    /** kafka-delete-records.sh, in kafka-tools. */
    DELETE_RECORDS("org.apache.kafka.tools.DeleteRecordsCommand"),
    /** kafka-log-dirs.sh, in kafka-tools. */
    LOG_DIRS("org.apache.kafka.tools.LogDirsCommand"),
    /** kafka-cluster.sh, in kafka-tools. */
    CLUSTER("org.apache.kafka.tools.ClusterTool"),
    /** kafka-consumer-groups.sh, in kafka-tools. */
    CONSUMER_GROUPS("org.apache.kafka.tools.consumer.group.ConsumerGroupCommand"),
    /** kafka-consumer-perf-test.sh, in kafka-tools. */
    CONSUMER_PERF_TEST("org.apache.kafka.tools.ConsumerPerformance"),
    /** kafka-transactions.sh, in kafka-tools. */
    TRANSACTIONS("org.apache.kafka.tools.TransactionsCommand");

    final String mainClass;

    KafkaTool(String mainClass) {
        this.mainClass = mainClass;
    }

    /** Runs the tool with these arguments and {@code input} on its standard input (null for none). */
    ChildProcess.Result run(String input, String... args) {
        return ChildJvm.run(ChildJvm.testClassPath(), mainClass, List.of(args), input);
    }

    /** Runs the tool of the course's Apache Kafka (target/apache-kafka), where 3.9's lacks what a test asks of it. */
    ChildProcess.Result runApacheKafka(String... args) {
        return ChildJvm.run(ChildJvm.apacheKafka41ClassPath(), mainClass, List.of(args), null);
    }
}

package toykafka.course;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import toykafka.lesson01.Lesson01Demo;
import toykafka.lesson02.Lesson02Demo;
import toykafka.lesson03.Lesson03Demo;
import toykafka.lesson04.Lesson04Demo;
import toykafka.lesson05.Lesson05Demo;
import toykafka.lesson06.Lesson06Demo;
import toykafka.lesson07.Lesson07Demo;
import toykafka.lesson08.Lesson08Demo;
import toykafka.lesson09.Lesson09Demo;
import toykafka.lesson10.Lesson10Demo;
import toykafka.lesson11.Lesson11Demo;
import toykafka.lesson12.Lesson12Demo;
import toykafka.lesson13.Lesson13Demo;
import toykafka.lesson14.Lesson14Demo;
import toykafka.lesson15.Lesson15Demo;
import toykafka.lesson16.Lesson16Demo;
import toykafka.lesson17.Lesson17Demo;
import toykafka.lesson18.Lesson18Demo;
import toykafka.lesson19.Lesson19Demo;
import toykafka.narration.Narrator;

/** The lessons in order. Menus, the tour, the checks and the tests all read this one list. */
public final class Course {

    private static final List<Lesson> LESSONS = List.of(
            newLesson(1, "the-log", "The log is a list",
                    "append returns an offset; read by offset, earliest, latest or -1; reading never removes",
                    "a partition's log; offsets; log start offset and log end offset",
                    Lesson01Demo::narrate,
                    "MyListLog", List.of("toykafka.lesson01.ListLogTest")),
            newLesson(2, "many-producers-consumers", "Many producers, many consumers",
                    "producers interleave, each keeping its own order; consumers read independently, in batches",
                    "auto.offset.reset, seek(), max.poll.records, consumer lag",
                    Lesson02Demo::narrate,
                    "MyPollingConsumer", List.of("toykafka.lesson02.PollingConsumerTest")),
            newLesson(3, "the-bounded-log", "The bounded log",
                    "a list plus the offset of its first event; retention by count and age; old events spill to CSV",
                    "log start offset, retention.ms, retention.bytes, Admin.deleteRecords(), tiered storage",
                    Lesson03Demo::narrate,
                    "MyBoundedLog", List.of("toykafka.lesson03.BoundedLogTest")),
            newLesson(4, "topics-and-partitions", "Topics and partitions",
                    "records in named topics; each topic split into partitions, each a log; a key always lands in"
                            + " the same partition; order holds within a partition only",
                    "topics; Admin.createTopics(); topic configs; auto.create.topics.enable; the murmur2 key"
                            + " partitioner",
                    Lesson04Demo::narrate,
                    "MyTopics", List.of("toykafka.lesson04.TopicRegistryTest")),
            newLesson(5, "consumer-groups", "Consumer groups",
                    "members share a topic's partitions, one owner each; rebalances on join, leave and timeout;"
                            + " committed offsets, lag, at most once or at least once",
                    "group.id; session.timeout.ms; partition.assignment.strategy; commitSync(); __consumer_offsets;"
                            + " consumer lag",
                    Lesson05Demo::narrate,
                    "MyConsumerGroup", List.of("toykafka.lesson05.GroupCoordinatorTest")),
            newLesson(6, "compaction", "The compacted log",
                    "the latest value per key; offsets keep their gaps; tombstones; the head is never compacted;"
                            + " replaying the compacted log gives the same table",
                    "cleanup.policy=compact, min.cleanable.dirty.ratio, delete.retention.ms, __consumer_offsets",
                    Lesson06Demo::narrate,
                    "MyCompactedLog", List.of("toykafka.lesson06.TreeMapCompactedLogTest")),
            newLesson(7, "threading", "Many threads, one log",
                    "racing appends lose events; a lock, one writer per partition, or a batching sender thread;"
                            + " long poll; clean shutdown",
                    "KafkaProducer is thread-safe; batch.size, linger.ms, flush(), close(); fetch.max.wait.ms",
                    Lesson07Demo::narrate,
                    "MyBatchingProducer", List.of("toykafka.lesson07.BatchingProducerTest")),
            newLesson(8, "file-backed-log", "The file-backed log",
                    "segments of checksummed record batches in Kafka's own format, rolled at a size and an age;"
                            + " a sparse index finds an offset; reads check every batch",
                    ".log, .index and .timeindex files; segment.bytes; segment.ms; index.interval.bytes;"
                            + " RecordBatch v2; kafka-dump-log.sh",
                    Lesson08Demo::narrate,
                    "MySparseIndex", List.of("toykafka.lesson08.SegmentIndexTest", "toykafka.lesson08.MemoryLogTest",
                            "toykafka.lesson08.LocalLogTest")),
            newLesson(9, "durable-log", "The durable log",
                    "what a crash leaves and how opening recovers from it; fsync, shared by the appends waiting for"
                            + " it; retention deletes whole segments, archived first",
                    "log recovery (LogLoader); the recovery point checkpoint; .kafka_cleanshutdown; flush.messages;"
                            + " flush.ms; retention.ms; retention.bytes; Admin.deleteRecords()",
                    Lesson09Demo::narrate,
                    "MyRetentionPolicy", List.of("toykafka.lesson09.RetentionPolicyTest")),
            newLesson(10, "the-broker", "The broker",
                    "one process keeps topics on disk and serves them over HTTP: produce, read, groups; committed"
                            + " offsets in a topic of their own, replayed at start; a restart loses nothing",
                    "broker configs (log.dirs, listeners, log.retention.check.interval.ms, log.flush.interval.messages);"
                            + " __consumer_offsets; the Confluent REST Proxy",
                    Lesson10Demo::narrate,
                    "MyOffsetsTable", List.of("toykafka.broker.coordinators.SortedOffsetsTableTest",
                            "toykafka.http.BrokerApiTest")),
            newLesson(11, "the-archive-analysed", "The archive, analysed",
                    "what retention and deleteRecords moved out, laid out as a data lake and read back with Tablesaw:"
                            + " volume per partition and"
                            + " reason, records over time, key skew, age against retention.ms, lag from the broker's"
                            + " statistics",
                    "tiered storage (remote.storage.enable); sink connectors (Kafka Connect) into a data lake;"
                            + " ksqlDB and Flink; kafka-consumer-groups.sh --describe for lag",
                    Lesson11Demo::narrate,
                    "MyArchiveSummaries",
                    List.of("toykafka.lesson11.TablesawSummariesTest", "toykafka.archive.ArchiveReaderTest")),
            newLesson(12, "the-log-cleaner", "The log cleaner",
                    "compaction on disk: each key's latest offset in bounded memory, the dirty ratio, segments"
                            + " rewritten with their offsets and swapped in crash-safely; the broker's committed"
                            + " offsets compacted",
                    "cleanup.policy=compact; min.cleanable.dirty.ratio; min.compaction.lag.ms; delete.retention.ms;"
                            + " log.cleaner.dedupe.buffer.size; .cleaned and .swap files; cleaner-offset-checkpoint",
                    Lesson12Demo::narrate,
                    "MyOffsetMap", List.of("toykafka.lesson12.OffsetMapTest", "toykafka.lesson12.LogCleanerTest")),
            newLesson(13, "speaking-kafka", "Speaking Kafka",
                    "Kafka's binary protocol: size-prefixed frames and a request header; ApiVersions as the handshake;"
                            + " a produce appends the producer's own batch bytes, a fetch hands back the stored batches;"
                            + " idempotence answers a retried batch with its first offset and refuses a gap",
                    "SocketServer, KafkaApis, RequestHeader, ApiVersionsResponse; enable.idempotence,"
                            + " max.in.flight.requests.per.connection; OUT_OF_ORDER_SEQUENCE_NUMBER; kcat",
                    Lesson13Demo::narrate,
                    "MyRequestHeaderReader", List.of("toykafka.lesson13.HeaderDecoderTest")),
            newLesson(14, "groups-over-kafka", "Groups over Kafka's protocol",
                    "the coordinator is a barrier: members join, the leader's assignor divides the partitions and the"
                            + " coordinator relays its opaque bytes; heartbeats, generations that fence a stale member's"
                            + " commit, eager and cooperative rebalances",
                    "FindCoordinator, JoinGroup, SyncGroup, Heartbeat; ConsumerProtocol; partition.assignment.strategy;"
                            + " CommitFailedException; KIP-429 and KIP-848; kcat -G, kafka-consumer-groups",
                    Lesson14Demo::narrate,
                    "MyConsumerProtocolCodec", List.of("toykafka.broker.group.classic.ConsumerProtocolTest")),
            newLesson(15, "exactly-once", "Exactly once",
                    "a transaction writes to many partitions and the group's offsets at once: a coordinator's two-phase"
                            + " commit, markers in every partition, the last stable offset and read_committed; a"
                            + " producer's epoch fences its zombie",
                    "transactional.id, initTransactions(), sendOffsetsToTransaction(), isolation.level=read_committed;"
                            + " the transaction coordinator, __transaction_state, control batches, the LSO,"
                            + " ProducerFencedException; KIP-98, KIP-447, KIP-890; Kafka Streams exactly_once_v2",
                    Lesson15Demo::narrate,
                    "MyCommittedFilter", List.of("toykafka.lesson15.AbortedTransactionFilterTest")),
            newLesson(16, "rebalance-without-a-barrier", "The rebalance without a barrier",
                    "the broker assigns again: a member's heartbeat is the whole protocol; epochs instead of"
                            + " generations; each member gives up, then takes, one heartbeat at a time, and none waits"
                            + " at a barrier for the slowest",
                    "group.protocol=consumer; ConsumerGroupHeartbeat, ConsumerGroupDescribe; member and group"
                            + " epochs; group.consumer.assignors (uniform, range), group.remote.assignor;"
                            + " SubscriptionPattern (RE2/J); group.instance.id; KIP-848, KIP-345, KAFKA-18327",
                    Lesson16Demo::narrate,
                    "MyReconciler", List.of("toykafka.lesson16.CurrentAssignmentTest")),
            newLesson(17, "queues-in-the-log", "Queues in the log",
                    "a share group hands out records, not partitions: more members than partitions, each record"
                            + " acquired under a lock and acknowledged on its own; a released or timed-out record is"
                            + " delivered again, and set aside at the delivery count limit, to a dead-letter topic if"
                            + " the group has one; at least once, in no promised order",
                    "share groups (KIP-932), KafkaShareConsumer; ShareGroupHeartbeat, ShareFetch, ShareAcknowledge;"
                            + " share.record.lock.duration.ms, share.delivery.count.limit,"
                            + " share.partition.max.record.locks, share.auto.offset.reset, share.acknowledgement.mode,"
                            + " share.acquire.mode; errors.deadletterqueue.topic.name (KIP-1191, share.version 2);"
                            + " SharePartition, the share coordinator, __share_group_state",
                    Lesson17Demo::narrate,
                    "MyRecordLifecycle", List.of("toykafka.lesson17.DeliveryRulesTest")),
            newLesson(18, "who-may-do-what", "Who may do what",
                    "anyone who reaches the port is anyone until the broker asks: listeners and their security"
                            + " protocols, TLS under the frames, SASL inside them (PLAIN, SCRAM's salted proof), the"
                            + " principal, the authorizer's ACLs (DENY before ALLOW, prefixes, implied operations,"
                            + " super users) and client quotas that throttle a greedy client",
                    "listeners, listener.security.protocol.map, ssl.client.auth, ssl.principal.mapping.rules;"
                            + " SaslHandshake, SaslAuthenticate, SCRAM-SHA-256 and SCRAM-SHA-512 (RFC 5802, RFC 7677), PLAIN;"
                            + " StandardAuthorizer, super.users, allow.everyone.if.no.acl.found, kafka-acls;"
                            + " producer_byte_rate, consumer_byte_rate, request_percentage, KIP-219;"
                            + " SaslServerAuthenticator, ScramSaslServer, ClientQuotaManager",
                    Lesson18Demo::narrate,
                    "MyAclDecision", List.of("toykafka.lesson18.BrokerAclDecisionTest")),
            newLesson(19, "graduation", "Graduation: a real Kafka cluster",
                    "each partition on three brokers: the leader takes the writes and the followers fetch; the ISR"
                            + " and the high watermark; acks=all with min.insync.replicas; leader epochs; a leader"
                            + " killed under load, and what acks=all and acks=1 keep",
                    "Partition, ReplicaManager, ReplicaFetcherThread; replica.lag.time.max.ms, min.insync.replicas,"
                            + " acks, unclean.leader.election.enable, eligible leader replicas; Fetch's DivergingEpoch,"
                            + " OffsetsForLeaderEpoch; AlterPartition; the KRaft controller quorum",
                    Lesson19Demo::narrate,
                    "MyReplicaBookkeeping", List.of("toykafka.lesson19.PartitionBookkeepingTest")));

    private Course() {
    }

    /** A lesson whose exercise is the class {@code exercise} of toykafka.exercises.lessonNN, checked by its Check. */
    private static Lesson newLesson(int number, String slug, String title, String concept, String inKafka,
                                    Consumer<Narrator> demo, String exercise, List<String> referenceTests) {
        String exerciseClass = String.format("toykafka.exercises.lesson%02d.%s", number, exercise);
        return new Lesson(number, slug, title, concept, inKafka, demo, exerciseClass, exerciseClass + "Check",
                referenceTests);
    }

    /**
     * The lessons whose demo is only Kafka programs, which run unchanged on any cluster given its
     * {@code bootstrap.servers}: Apache Kafka's, for one.
     */
    private static final Map<Integer, BiConsumer<Narrator, String>> DEMOS_ON_ANY_CLUSTER = Map.of(
            13, Lesson13Demo::narrateOn, 14, Lesson14Demo::narrateOn, 15, Lesson15Demo::narrateOn);

    /** Demos the tour tells short: the lesson's own demo starts processes that take a minute. */
    private static final Map<Integer, Consumer<Narrator>> SHORTER_IN_THE_TOUR = Map.of(
            16, Lesson16Demo::narrateForTour, 19, Lesson19Demo::narrateForTour);

    /** Lesson N's demo as the tour tells it: its own, or a short version when the whole one takes long. */
    public static Consumer<Narrator> tourDemo(Lesson lesson) {
        return SHORTER_IN_THE_TOUR.getOrDefault(lesson.number(), lesson.demo());
    }

    /** Lesson N's demo on the cluster at a bootstrap address, or a refusal naming the lessons that can. */
    public static void demoOn(Lesson lesson, String bootstrap, Narrator story) {
        BiConsumer<Narrator, String> demo = DEMOS_ON_ANY_CLUSTER.get(lesson.number());
        if (demo == null) {
            throw new IllegalArgumentException("lesson " + lesson.number() + "'s demo runs on the course's own broker,"
                    + " inside it; the demos of lessons " + new java.util.TreeSet<>(DEMOS_ON_ANY_CLUSTER.keySet())
                    + " are Kafka programs alone and run on any cluster given --bootstrap-server");
        }
        demo.accept(story, bootstrap);
    }

    public static List<Lesson> lessons() {
        return LESSONS;
    }

    public static Optional<Lesson> lesson(int number) {
        return LESSONS.stream().filter(lesson -> lesson.number() == number).findFirst();
    }

    /** The lesson with this number, or an error that names the lessons there are. */
    public static Lesson require(int number) {
        return lesson(number).orElseThrow(() -> new IllegalArgumentException(
                "there is no lesson " + number + ": choose a lesson from 1 to " + last().number()));
    }

    /** The lesson with the highest number. */
    public static Lesson last() {
        return LESSONS.get(LESSONS.size() - 1);
    }
}

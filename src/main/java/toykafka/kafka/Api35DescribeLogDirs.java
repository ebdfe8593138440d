package toykafka.kafka;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.DiskSpace;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourcePattern;
import toykafka.broker.security.ResourceType;
import toykafka.common.Errors;
import toykafka.common.TopicPartition;

/**
 * DescribeLogDirs (key 35), versions 1–5: {@code Admin.describeLogDirs} and {@code kafka-log-dirs --describe},
 * which show how many bytes each partition takes. Kafka's {@code ReplicaManager.describeLogDirs}.
 *
 * <p>This broker has one log directory, its data directory, and every partition is in it: each partition
 * asked for is answered with its size, the bytes of its segments' {@code .log} files as lesson 8 writes
 * them. A null topic list means every partition, the broker's own topics included; a topic or partition
 * that does not exist is left out, as Kafka leaves it out. v4 adds the file store's total and usable bytes.
 * With storage=memory the one directory is named {@code memory}, a partition's size is the bytes of the
 * batches it keeps in memory, and total and usable bytes are -1, unknown. v5 adds is_cordoned, always false: the one
 * directory always takes new partitions.
 *
 * <p>Answered as fixed values: offset_lag 0 and is_future false (there is no second directory for a
 * partition to be copied to), the errors NONE (a directory that failed stops the broker).
 * Versions 2 and up are flexible. Version 0 (removed in Kafka 4) is not served. With an authorizer, a principal
 * that may not DESCRIBE the cluster gets no directories (and, from v3, CLUSTER_AUTHORIZATION_FAILED), as in Kafka.
 */
final class Api35DescribeLogDirs extends BrokerApi {

    private final AuthHelper auth;

    Api35DescribeLogDirs(Broker broker, AuthHelper auth) {
        super(broker, 35, "DescribeLogDirs", 1, 5, 2);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        short version = request.version();
        ProtocolReader in = request.body();
        List<TopicPartitionNumbers> wanted = in.nullableArray("topics",
                topic -> TopicPartitionNumbers.read(topic, "DescribableLogDirTopic"));
        in.taggedFields("DescribeLogDirsRequest");
        request.asked(wanted == null ? "every partition" : Summaries.list(wanted.stream()
                .map(w -> w.topic() + " " + w.partitions()).toList()));

        if (!auth.authorize(request, AclOperation.DESCRIBE, ResourceType.CLUSTER, ResourcePattern.CLUSTER_NAME)) {
            request.answered(Errors.CLUSTER_AUTHORIZATION_FAILED.toString());
            ProtocolWriter refused = responseWithThrottleTime(request);
            if (version >= 3) {
                refused.int16(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
            }
            return CompletableFuture.completedFuture(refused.arrayLength(0).taggedFields());
        }
        Map<String, List<Map.Entry<Integer, Long>>> byTopic = new LinkedHashMap<>();
        broker.partitionSizes().forEach((partition, size) -> {
            if (asked(wanted, partition)) {
                byTopic.computeIfAbsent(partition.topic(), t -> new ArrayList<>()).add(Map.entry(partition.partition(), size));
            }
        });
        String logDir = broker.dataDir();
        request.answered(() -> logDir + ": " + Summaries.list(byTopic.entrySet().stream()
                .map(topic -> topic.getKey() + " " + topic.getValue().stream().map(p -> p.getKey() + "=" + p.getValue() + "B")
                        .toList()).toList()));

        ProtocolWriter out = responseWithThrottleTime(request);
        if (version >= 3) {
            out.int16(Errors.NONE.code());
        }
        out.arrayLength(1).int16(Errors.NONE.code()).string(logDir);
        out.topics(List.copyOf(byTopic.entrySet()), Map.Entry::getKey, Map.Entry::getValue,
                (partitionOut, topic, partition) -> partitionOut.int32(partition.getKey())
                        .int64(partition.getValue()).int64(0).bool(false)); // offset lag, is future
        if (version >= 4) {
            DiskSpace space = broker.diskSpace();
            out.int64(space.totalBytes()).int64(space.usableBytes());
        }
        if (version >= 5) {
            out.bool(false); // is_cordoned
        }
        out.taggedFields(); // the log dir's
        return CompletableFuture.completedFuture(out.taggedFields());
    }

    private static boolean asked(List<TopicPartitionNumbers> wanted, TopicPartition partition) {
        if (wanted == null) {
            return true;
        }
        for (TopicPartitionNumbers topic : wanted) {
            if (topic.topic().equals(partition.topic()) && topic.partitions().contains(partition.partition())) {
                return true;
            }
        }
        return false;
    }
}

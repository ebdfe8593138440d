package toykafka.restproxy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import toykafka.broker.Broker;
import toykafka.broker.Partitions;
import toykafka.broker.FetchParams;
import toykafka.broker.PartitionData;
import toykafka.common.InvalidRequestException;
import toykafka.common.TopicPartition;
import toykafka.lesson05.ConsumerRecord;

/**
 * A consumer instance's poll: Kafka's Fetch from its positions in the partitions it owns, answered at once
 * when records are there, else by the data path's purgatory when records arrive, when its group changes
 * or at the deadline, with no thread waiting. {@link ConsumerInstances#pollAsync} is served here.
 */
final class InstancePolls {

    private final ConsumerInstances instances;
    private final Partitions partitions;

    InstancePolls(ConsumerInstances instances, Partitions partitions) {
        this.instances = instances;
        this.partitions = partitions;
    }

    /** See {@link ConsumerInstances#pollAsync(String, String, int, long, Duration, Executor, Function)}. */
    <T> CompletableFuture<List<T>> pollAsync(String groupId, String name, int maxRecords, long maxBytes,
                                             Duration wait, Executor continueOn, Function<ConsumerRecord, T> decode) {
        if (maxRecords < 1 || maxRecords > Broker.MAX_RECORDS_PER_READ) {
            return CompletableFuture.failedFuture(new InvalidRequestException("max records must be from 1 to "
                    + Broker.MAX_RECORDS_PER_READ + ", was " + maxRecords));
        }
        ConsumerInstances.Instances group;
        FetchParams waiting;
        CompletableFuture<Void> changed;
        try {
            group = instances.existing(groupId, name);
            synchronized (group) {
                ConsumerInstance instance = instances.readyToRead(group, name);
                if (instance.config.autoCommit()) {
                    instances.offsets().autoCommit(group, instance);
                }
                List<T> records = instance.read(partitions, maxRecords, maxBytes, decode);
                if (!records.isEmpty() || wait.isZero() || instances.closed) {
                    return CompletableFuture.completedFuture(records);
                }
                waiting = instance.fetchParams(wait);
                changed = group.changed; // taken with the read, so no change after it goes unseen
            }
        } catch (RuntimeException refused) {
            return CompletableFuture.failedFuture(refused);
        }
        CompletableFuture<Map<TopicPartition, PartitionData>> read = waiting.partitions().isEmpty()
                ? new CompletableFuture<>() // nothing owned yet: only the group's change or the deadline ends it
                : partitions.read(waiting);
        return CompletableFuture.anyOf(read, changed)
                .completeOnTimeout(null, wait.toNanos(), TimeUnit.NANOSECONDS)
                .handleAsync((ended, readFailed) -> {
                    // a failed read is answered by reading again, which meets its refusal
                    synchronized (group) {
                        ConsumerInstance instance = instances.readyToRead(group, name);
                        Map<TopicPartition, PartitionData> answer = read.isCompletedExceptionally() ? null : read.getNow(null);
                        List<T> records = answer == null ? null
                                : instance.takeIfCurrent(waiting, answer, maxRecords, maxBytes, decode);
                        return records != null ? records : instance.read(partitions, maxRecords, maxBytes, decode);
                    }
                }, continueOn);
    }
}

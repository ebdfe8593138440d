package toykafka.broker.share;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import toykafka.broker.share.partition.DeadLetter;
import toykafka.broker.share.partition.ShareGroupSettings;
import toykafka.common.Errors;
import toykafka.common.Header;
import toykafka.common.InvalidConfigurationException;
import toykafka.common.OffsetRecord;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.TopicConfig;
import toykafka.common.TopicExistsException;
import toykafka.common.TopicPartition;
import toykafka.lesson04.TopicRegistry;

// tag::dead-letter-queue[]
/**
 * Writes the records share groups set aside to their dead-letter topics (Kafka's {@code ShareGroupDLQManager}, KIP-1191,
 * share.version 2). A group names its topic in {@code errors.deadletterqueue.topic.name}; each record rejected, or
 * released at the delivery count limit, becomes one record there: no key or value unless the group's
 * {@code errors.deadletterqueue.copy.record.enable} says to copy them, stamped now, with headers saying where it came
 * from ({@code __dlq.errors.topic}, {@code .partition}, {@code .offset}, {@code .group}, {@code .delivery.count}) and
 * why ({@code __dlq.errors.message}). It goes to the dead-letter partition numbered as its own, modulo their count.
 *
 * <p>As Kafka's, the topic is checked first: its name must not start with {@code __}; if it exists it must be enabled
 * as one ({@code errors.deadletterqueue.group.enable=true}); if not, the broker must create such topics
 * ({@code errors.deadletterqueue.auto.create.topics.enable}); and it must start with the broker's
 * {@code errors.deadletterqueue.topic.name.prefix}. A letter that cannot be written fails its future with the reason;
 * its records are archived all the same. Letters are written one at a time, off the threads that answer members.
 */
public final class DeadLetterQueue implements AutoCloseable {
    // end::dead-letter-queue[]

    public static final String HEADER_TOPIC = "__dlq.errors.topic";
    public static final String HEADER_PARTITION = "__dlq.errors.partition";
    public static final String HEADER_OFFSET = "__dlq.errors.offset";
    public static final String HEADER_GROUP = "__dlq.errors.group";
    public static final String HEADER_DELIVERY_COUNT = "__dlq.errors.delivery.count";
    public static final String HEADER_MESSAGE = "__dlq.errors.message";

    /** How much of the set-aside records' log one read takes, when they are copied. */
    private static final int READ_BYTES = 1 << 20;

    /** Makes a topic as a client's CreateTopics would: the broker's number of partitions, these configs set. */
    public interface TopicMaker {
        void create(String topic, Map<String, String> configs);
    }

    /** The broker settings a dead-letter topic must satisfy. */
    public record Rules(boolean autoCreate, String prefix) {
    }

    private final ShareLog log;
    private final TopicRegistry topics;
    private final TopicMaker maker;
    private final Rules rules;
    private final Clock clock;
    private volatile boolean closed;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(job -> {
        Thread thread = new Thread(job, "dead-letters");
        thread.setDaemon(true);
        return thread;
    });

    public DeadLetterQueue(ShareLog log, TopicRegistry topics, TopicMaker maker, Rules rules, Clock clock) {
        this.log = log;
        this.topics = topics;
        this.maker = maker;
        this.rules = rules;
        this.clock = clock;
    }

    /**
     * Writes the letter for records of {@code source} the group set aside. The future completes once it is written, or
     * fails with why it could not be; it never completes if the broker stops first, so that the records stay
     * ARCHIVING and are written at its next start.
     */
    public CompletableFuture<Void> write(String groupId, TopicPartition source, ShareGroupSettings settings,
                                         DeadLetter letter) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        try {
            writer.execute(() -> {
                try {
                    if (!closed) {
                        writeNow(groupId, source, settings, letter);
                        written.complete(null);
                    }
                } catch (RuntimeException e) {
                    if (!closed) { // a failure while the broker stops is the stop's, not the letter's
                        written.completeExceptionally(e);
                    }
                }
            });
        } catch (RejectedExecutionException stopping) {
            // left ARCHIVING in the state written: the next start writes it
        }
        return written;
    }

    private void writeNow(String groupId, TopicPartition source, ShareGroupSettings settings, DeadLetter letter) {
        String topic = checkedTopic(groupId, settings.deadLetterTopic());
        TopicPartition partition = new TopicPartition(topic, source.partition() % topics.partitionCount(topic));
        Map<Long, Record> originals = settings.deadLetterCopyRecord() ? originals(source, letter) : Map.of();
        Instant now = clock.instant();
        int maxBatch = Integer.parseInt(topics.describeTopic(topic).config(TopicConfig.MAX_MESSAGE_BYTES))
                - RecordBatch.HEADER_SIZE;
        List<Record> batch = new ArrayList<>();
        int batchBytes = 0;
        for (long offset = letter.firstOffset(); offset <= letter.lastOffset(); offset++) {
            Record original = originals.get(offset);
            Record record = new Record(original == null ? null : original.key(),
                    original == null ? null : original.value(), now, headers(groupId, source, offset, letter));
            if (!batch.isEmpty() && batchBytes + record.sizeInBytes() > maxBatch) {
                append(partition, batch);
                batch = new ArrayList<>();
                batchBytes = 0;
            }
            batch.add(record);
            batchBytes += record.sizeInBytes();
        }
        append(partition, batch);
    }

    // tag::dead-letter-topic[]
    /** The group's dead-letter topic, made if the broker makes them, or why it cannot be written to. */
    private String checkedTopic(String groupId, String topic) {
        if (topic.isEmpty()) {
            throw refused(groupId, topic, "the group has no dead-letter topic (errors.deadletterqueue.topic.name)");
        }
        if (topic.startsWith("__")) {
            throw refused(groupId, topic, "a dead-letter topic's name must not start with __");
        }
        boolean exists = topics.listTopics().contains(topic);
        if (exists && !Boolean.parseBoolean(topics.describeTopic(topic).config(TopicConfig.DEAD_LETTER_GROUP_ENABLE))) {
            throw refused(groupId, topic, "the topic is not enabled as a dead-letter topic: set "
                    + TopicConfig.DEAD_LETTER_GROUP_ENABLE + "=true on it");
        }
        if (!exists && !rules.autoCreate()) {
            throw refused(groupId, topic, "the topic does not exist, and the broker does not create dead-letter topics"
                    + " (errors.deadletterqueue.auto.create.topics.enable=false): create it with "
                    + TopicConfig.DEAD_LETTER_GROUP_ENABLE + "=true");
        }
        if (!topic.startsWith(rules.prefix())) {
            throw refused(groupId, topic, "a dead-letter topic's name must start with '" + rules.prefix()
                    + "' (errors.deadletterqueue.topic.name.prefix)");
        }
        if (!exists) {
            try {
                maker.create(topic, Map.of(TopicConfig.DEAD_LETTER_GROUP_ENABLE, "true",
                        TopicConfig.MESSAGE_TIMESTAMP_TYPE, TopicConfig.CREATE_TIME));
            } catch (TopicExistsException raced) {
                // made since we looked: it is checked at the next letter
            }
        }
        return topic;
    }
    // end::dead-letter-topic[]

    private static InvalidConfigurationException refused(String groupId, String topic, String why) {
        return new InvalidConfigurationException("Share group " + groupId + " cannot write to its dead-letter topic '"
                + topic + "': " + why);
    }

    private static List<Header> headers(String groupId, TopicPartition source, long offset,
                                                       DeadLetter letter) {
        return List.of(header(HEADER_TOPIC, source.topic()),
                header(HEADER_PARTITION, String.valueOf(source.partition())),
                header(HEADER_OFFSET, String.valueOf(offset)), header(HEADER_GROUP, groupId),
                header(HEADER_DELIVERY_COUNT, String.valueOf(letter.deliveryCount())),
                header(HEADER_MESSAGE, letter.cause().message()));
    }

    private static Header header(String key, String value) {
        return new Header(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The set-aside records as the log still has them, by offset; those gone (compacted, deleted) are left out. */
    private Map<Long, Record> originals(TopicPartition source, DeadLetter letter) {
        Map<Long, Record> found = new HashMap<>();
        long next = letter.firstOffset();
        while (next <= letter.lastOffset()) {
            ShareLog.Read data = log.read(source, next, READ_BYTES, false);
            if (data.error() != Errors.NONE || data.batches().isEmpty()) {
                break;
            }
            for (RecordBatch batch : data.batches()) {
                if (!batch.isControl()) {
                    for (OffsetRecord record : batch.offsetRecords()) {
                        if (record.offset() >= letter.firstOffset() && record.offset() <= letter.lastOffset()) {
                            found.put(record.offset(), record.record());
                        }
                    }
                }
                next = Math.max(next, batch.nextOffset());
            }
        }
        return found;
    }

    private void append(TopicPartition partition, List<Record> batch) {
        ShareLog.Appended answer = log.append(partition, batch);
        if (answer.error() != Errors.NONE) {
            throw new IllegalStateException("The dead-letter topic " + partition.topic() + " refused a dead letter: "
                    + answer.error() + (answer.message() == null ? "" : " (" + answer.message() + ")"));
        }
    }

    /** Stops writing; letters not yet written stay ARCHIVING in the share state, for the next start. */
    @Override
    public void close() {
        closed = true;
        writer.shutdown();
    }
}

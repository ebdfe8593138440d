package toykafka.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import toykafka.broker.Broker;
import toykafka.broker.Partitions;
import toykafka.broker.FetchParams;
import toykafka.broker.FetchPartition;
import toykafka.broker.OffsetAnswer;
import toykafka.broker.PartitionData;
import toykafka.common.Errors;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.OffsetRecord;
import toykafka.common.TopicPartition;
import toykafka.common.FetchedBatches;

/**
 * Records over HTTP, read as Redpanda's HTTP proxy reads a partition and deleted as Kafka's
 * {@code Admin.deleteRecords} deletes them (the produce routes are {@link ProduceRoutes}). Each route is one of
 * the broker's own operations:
 *
 * <ul>
 * <li>{@code GET /topics/<t>/partitions/<p>/records}, and the same under
 *     {@code /v3/clusters/toykafka/topics/<t>/partitions/<p>/records}, is {@link Partitions#listOffsets}
 *     (ListOffsets) and then {@link Partitions#read} (Fetch) of up to 1 MiB: from {@code offset}
 *     (earliest, latest or a number) or {@code timestamp}, up to {@code max_records}, waiting up to
 *     {@code timeout} ms at the end of the log, as text or, with {@code format=binary} or the Accept header
 *     Redpanda reads, base64 (or JSON). With {@code isolation_level=read_committed} it reads as Kafka's
 *     consumer at that level: up to the last stable offset, without the records of aborted transactions.</li>
 * <li>{@code POST /v3/clusters/toykafka/topics/<t>/partitions/<p>/records:delete}
 *     {@code {"before_offset": N}} is {@link Broker#deleteRecords} (DeleteRecords): the records below N go
 *     to the broker's archive and the log start offset moves up to N (an N at or below it changes nothing,
 *     one past the end offset is a 416); the reply is {@code {"partition_id": p, "log_start_offset": ...}}.</li>
 * </ul>
 *
 * <p>The REST Proxy v3 has no read and no delete: these are this broker's extensions. The read is Redpanda's:
 * {@code Accept: application/vnd.kafka.binary.v2+json} has keys and values in base64 and
 * {@code application/vnd.kafka.json.v2+json} as the JSON they hold, each answered in that type, as Redpanda
 * answers. Where Redpanda refuses a read whose Accept names neither (406), this one takes {@code format} as a
 * query parameter instead, text by default, for curl and browsers. It counts {@code max_records} where
 * Redpanda counts {@code max_bytes}, takes earliest, latest or a timestamp as well as an offset, and says
 * where to read next in the {@code X-Next-Offset} header (with {@code X-Log-Start-Offset} and
 * {@code X-End-Offset}).
 */
final class RecordRoutes {

    /** How long a read waits for records when it does not say; Kafka's fetch.max.wait.ms is 500. */
    static final long DEFAULT_WAIT_MS = 500;
    static final long MAX_WAIT_MS = 60_000;
    static final int DEFAULT_MAX_RECORDS = 500;
    /** The most bytes one read takes from a partition: Kafka's max.partition.fetch.bytes, 1 MiB. */
    static final int READ_MAX_BYTES = 1024 * 1024;
    /** Each request thread's buffer for the batches a read hands out, decoded before the thread reads again. */
    private static final ThreadLocal<ByteBuffer> READ_BUFFERS = ThreadLocal.withInitial(() -> ByteBuffer.allocate(READ_MAX_BYTES));

    private final Broker broker;

    RecordRoutes(Broker broker) {
        this.broker = broker;
    }

    void register(HttpFrontEnd front) {
        front.routeAsync("GET", TopicRoutes.TOPICS + "/{topic}/partitions/{partition}/records", exchange -> {
            TopicRoutes.requireCluster(exchange);
            return read(exchange);
        });
        front.route("POST", TopicRoutes.TOPICS + "/{topic}/partitions/{partition}/records:delete", this::deleteRecords);
        front.routeAsync("GET", "/topics/{topic}/partitions/{partition}/records", this::read);
    }

    /** A refusal of the broker's, answered with the HTTP status its error has everywhere else. */
    static HttpError refusal(Errors error, String message) {
        return new HttpError(HttpError.statusOf(error), error, message);
    }

    /** Kafka's Admin.deleteRecords: {@code {"before_offset": N}} archives and removes every record below N. */
    private Reply deleteRecords(Exchange exchange) throws IOException {
        TopicRoutes.requireCluster(exchange);
        JsonNode body = Json.object(Json.read(exchange.body(), "{\"before_offset\": N}"), "the body");
        long before = Json.number(body, "before_offset", 0, Long.MAX_VALUE, true);
        int partition = partitionNumber(exchange.path("partition"));
        long start = broker.deleteRecords(exchange.path("topic"), partition, before);
        return Reply.json(200, Json.write(Json.fields("partition_id", partition, "log_start_offset", start)));
    }

    // tag::read[]
    /**
     * Records of one partition from {@code offset} (earliest, latest or a number; latest by default) or
     * from the first record at or after {@code timestamp}, up to {@code max_records}, waiting up to
     * {@code timeout} ms at the end of the log. The reply is a list of records; the X-Next-Offset header
     * says where to read next.
     */
    private CompletableFuture<Reply> read(Exchange exchange) {
        TopicPartition partition = new TopicPartition(exchange.path("topic"), partitionNumber(exchange.path("partition")));
        boolean readCommitted = readCommitted(exchange);
        String timestamp = exchange.query("timestamp");
        long offset;
        if (timestamp != null) {
            if (exchange.query("offset") != null) {
                throw new HttpError(400, "give offset or timestamp, not both");
            }
            long found = listOffsets(partition, parseTime(timestamp).toEpochMilli(), readCommitted);
            offset = found >= 0 ? found : listOffsets(partition, Partitions.LATEST, readCommitted); // none that late
        } else {
            offset = offsetOf(partition, exchange.query("offset", "latest"), readCommitted);
        }
        int maxRecords = maxRecords(exchange);
        MediaTypes.EmbeddedFormat accepted = MediaTypes.acceptedFormat(exchange.header("Accept"));
        Embedding embedding = embedding(exchange, accepted);
        return readRecords(broker.partitions(), partition, offset, maxRecords, READ_MAX_BYTES, wait(exchange),
                exchange.executor(), readCommitted).thenApply(read -> {
                    byte[] records;
                    try {
                        records = Json.records(partition, read.records(), embedding);
                    } catch (HttpError notText) { // 406: what the read counted out was never delivered
                        broker.stats().refusedRead(partition.topic(), read.recordsOut(), read.bytesOut());
                        throw notText;
                    }
                    Reply reply = Reply.json(200, records);
                    return (accepted == null ? reply : reply.withType(accepted.v2Type()))
                            .withHeader("X-Next-Offset", String.valueOf(read.nextOffset()))
                            .withHeader("X-Log-Start-Offset", String.valueOf(read.logStartOffset()))
                            .withHeader("X-End-Offset", String.valueOf(read.endOffset()));
                });
    }
    // end::read[]

    /**
     * {@code isolation_level}: {@code read_uncommitted} (the default) reads every record up to the end offset;
     * {@code read_committed} reads up to the last stable offset and leaves out aborted transactions' records.
     */
    private static boolean readCommitted(Exchange exchange) {
        String level = exchange.query("isolation_level", "read_uncommitted");
        return switch (level) {
            case "read_uncommitted" -> false;
            case "read_committed" -> true;
            default -> throw new HttpError(400, "isolation_level must be read_uncommitted or read_committed, was '"
                    + level + "'");
        };
    }

    /**
     * Records read from one partition, with where the next read starts and the range the partition holds, and
     * what the broker's statistics counted out for the read (for a refusal to take back).
     */
    record RecordsRead(List<OffsetRecord> records, long nextOffset, long logStartOffset, long endOffset,
                       long recordsOut, long bytesOut) {
    }

    /**
     * Up to {@code maxRecords} records from {@code offset}, decoded from the stored batches a read hands out,
     * answered now. A batch the cleaner emptied of records before the offset yields none, so the read goes on
     * after it. A partition's refusal is thrown, to be answered as HTTP.
     */
    static RecordsRead readRecords(Partitions partitions, TopicPartition partition, long offset, int maxRecords,
                                   int maxBytes) {
        try {
            return readRecords(partitions, partition, offset, maxRecords, maxBytes, Duration.ZERO, Runnable::run, false)
                    .join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException refused ? refused : e;
        }
    }

    /**
     * As {@link #readRecords(Partitions, TopicPartition, long, int, int)}, waiting up to {@code wait} for the
     * first record without a thread: the read waits in the purgatory, and the records are decoded on
     * {@code continueOn} once an append or the deadline ends it. With {@code readCommitted}, the read ends at the
     * last stable offset, which is the end it reports, and aborted transactions' records are left out.
     */
    static CompletableFuture<RecordsRead> readRecords(Partitions partitions, TopicPartition partition, long offset,
                                                      int maxRecords, int maxBytes, Duration wait, Executor continueOn,
                                                      boolean readCommitted) {
        return readRecords(partitions, partition, offset, maxRecords, maxBytes, wait, continueOn, readCommitted, 0, 0);
    }

    private static CompletableFuture<RecordsRead> readRecords(Partitions partitions, TopicPartition partition,
                                                              long offset, int maxRecords, int maxBytes, Duration wait,
                                                              Executor continueOn, boolean readCommitted,
                                                              long recordsBefore, long bytesBefore) {
        // A read answered now may use this thread's buffer; one answered later, by an appender, may not.
        ByteBuffer into = wait.isZero() ? READ_BUFFERS.get() : null;
        FetchParams params = new FetchParams(wait, 1, maxBytes, List.of(new FetchPartition(partition, offset, maxBytes)),
                readCommitted);
        Function<Map<TopicPartition, PartitionData>, CompletableFuture<RecordsRead>> decode = answer -> {
            PartitionData data = answer.get(partition);
            if (data.error() == Errors.OFFSET_OUT_OF_RANGE) {
                throw OffsetOutOfRangeException.forRead(offset, data.logStartOffset(), data.highWatermark());
            }
            if (data.error() != Errors.NONE) {
                throw refusal(data.error(), data.message());
            }
            long recordsOut = recordsBefore + data.recordCount();
            long bytesOut = bytesBefore + data.size();
            List<OffsetRecord> records = data.records(maxRecords);
            FetchedBatches batches = data.batches();
            long end = readCommitted ? data.lastStableOffset() : data.highWatermark();
            if (!records.isEmpty() || batches.isEmpty() || batches.nextOffset() >= end) {
                // past everything read when every record was taken: markers, gaps and aborted records too
                long next = records.size() < maxRecords ? batches.nextOffset() : records.get(records.size() - 1).offset() + 1;
                return CompletableFuture.completedFuture(new RecordsRead(records, next, data.logStartOffset(),
                        end, recordsOut, bytesOut));
            }
            // batches that hold only gaps, markers or aborted records: read on after them
            return readRecords(partitions, partition, batches.nextOffset(), maxRecords, maxBytes, wait, continueOn,
                    readCommitted, recordsOut, bytesOut);
        };
        CompletableFuture<Map<TopicPartition, PartitionData>> read = partitions.read(params, into);
        if (into != null) {
            // Decoded here and now, on the thread whose buffer holds the batches: handed to another thread, they
            // were overwritten by this thread's next read while still being decoded.
            return read.thenCompose(decode);
        }
        return read.thenComposeAsync(decode, continueOn); // off the appender's thread that completed the wait
    }

    /** An offset the partition holds, from "earliest", "latest" or a number; a number is checked by the read. */
    private long offsetOf(TopicPartition partition, String position, boolean readCommitted) {
        switch (position) {
            case "earliest":
                return listOffsets(partition, Partitions.EARLIEST, readCommitted);
            case "latest":
                return listOffsets(partition, Partitions.LATEST, readCommitted);
            default:
                return Exchange.wholeNumber(position).orElseThrow(() -> new HttpError(400, "offset '" + position
                        + "' is not earliest, latest or a whole number from "
                        + listOffsets(partition, Partitions.EARLIEST, readCommitted) + " to "
                        + listOffsets(partition, Partitions.LATEST, readCommitted)));
        }
    }

    /** ListOffsets for one partition: the offset, or -1 when no record is as late as a time asked for. */
    private long listOffsets(TopicPartition partition, long timestamp, boolean readCommitted) {
        OffsetAnswer answer = broker.partitions().listOffsets(partition, timestamp, readCommitted);
        if (answer.error() != Errors.NONE) {
            throw refusal(answer.error(), answer.message());
        }
        return answer.offset();
    }

    /** {@code max_records}: how many records a read or a poll answers with at most. */
    static int maxRecords(Exchange exchange) {
        return (int) exchange.queryNumber("max_records", DEFAULT_MAX_RECORDS, 1, Broker.MAX_RECORDS_PER_READ);
    }

    /** {@code timeout}: how long a read or a poll waits at the end of the log for records to come. */
    static Duration wait(Exchange exchange) {
        return Duration.ofMillis(exchange.queryNumber("timeout", DEFAULT_WAIT_MS, 0, MAX_WAIT_MS));
    }

    /** {@code format}: text (UTF-8 strings) or binary (base64), for a read or a poll. */
    /** How a read writes keys and values: as UTF-8 text, as base64, or as the JSON each holds. */
    enum Embedding { TEXT, BINARY, JSON }

    /**
     * A read's embedding: the one the Accept header names, as Redpanda's proxy takes it (binary or json v2),
     * else {@code format}, this broker's query parameter for a client that names no type, such as curl or a
     * browser: text (the default) or binary. Both, disagreeing, is a 400 naming each.
     */
    private static Embedding embedding(Exchange exchange, MediaTypes.EmbeddedFormat accepted) {
        String format = exchange.query("format");
        if (format != null && !format.equals("text") && !format.equals("binary")) {
            throw new HttpError(400, "format must be text (keys and values as UTF-8 strings) or binary (base64),"
                    + " was " + format);
        }
        if (accepted == null) {
            return "binary".equals(format) ? Embedding.BINARY : Embedding.TEXT;
        }
        Embedding asked = accepted == MediaTypes.EmbeddedFormat.BINARY ? Embedding.BINARY : Embedding.JSON;
        if (format != null && !format.equals(asked.name().toLowerCase(java.util.Locale.ROOT))) {
            throw new HttpError(400, "format=" + format + " and Accept: " + accepted.v2Type() + " ask for different"
                    + " keys and values; give one of them");
        }
        return asked;
    }

    private static int partitionNumber(String text) {
        return Exchange.wholeNumber(text).filter(partition -> partition >= 0 && partition <= Integer.MAX_VALUE)
                .map(Long::intValue)
                .orElseThrow(() -> new HttpError(400, "partition '" + text + "' must be a whole number, 0 or more"));
    }

    /** Milliseconds since 1970, or an ISO-8601 instant. */
    private static Instant parseTime(String text) {
        return Exchange.time("timestamp", text);
    }
}

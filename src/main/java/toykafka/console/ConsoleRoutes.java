package toykafka.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import toykafka.broker.OffsetAnswer;
import toykafka.broker.Broker;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourceType;
import toykafka.broker.stats.BrokerStats;
import toykafka.broker.Partitions;
import toykafka.broker.FetchParams;
import toykafka.broker.FetchPartition;
import toykafka.broker.PartitionData;
import toykafka.broker.txn.Transaction;
import toykafka.common.ControlRecord;
import toykafka.common.Errors;
import toykafka.common.Header;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.OffsetRecord;
import toykafka.common.RecordBatch;
import toykafka.common.TopicPartition;
import toykafka.http.Exchange;
import toykafka.http.HttpError;
import toykafka.http.HttpFrontEnd;
import toykafka.http.Json;
import toykafka.http.Reply;
import toykafka.http.RouteAccess;
import toykafka.lesson08.IndexEntry;
import toykafka.lesson08.SegmentInfo;
import toykafka.storage.producers.AbortedTxn;
import toykafka.storage.producers.ActiveProducer;

/**
 * The console: a page the broker serves at {@code /console} to watch its logs move, and the routes it needs
 * that REST Proxy's API has no resource for: segments on disk, batches as they lie, a search by key, a watch,
 * and beside them {@link ConsoleTopics}' and {@link ConsoleGroups}' (a group in one answer, and the changes
 * an operator makes from a page: topics, configs, partitions, deleted records, reset offsets). The page's
 * files come from the jar and may ask nothing of any host but this broker ({@link #POLICY}).
 *
 * <p>A page learns of news by a long poll, {@code GET /console/api/watch}: a delayed read in the broker's
 * purgatory over every partition from its end, answered when a record arrives anywhere or after
 * {@link #WATCH_WAIT}. It holds no thread while it waits, so an open page costs a request every few seconds
 * when nothing happens, and one per change when something does.
 *
 * <p>The HTTP front end knows nothing of the console: whoever starts it hands these routes over
 * ({@code HttpFrontEnd.start(broker, log, new ConsoleRoutes(broker))}), as {@code toykafka broker} does.
 */
public final class ConsoleRoutes implements HttpFrontEnd.Routes {

    static final String PAGE = "/console";
    static final String API = "/console/api";
    /** The page may load and ask this broker only: its own script and styles, no inline code, no other host. */
    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    /** The page's files, each with its type. */
    private static final Map<String, String> FILES = Map.of("index.html", "text/html; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8", "console.css", "text/css; charset=utf-8");
    /** The longest a watch waits for a record before answering that nothing changed. */
    static final Duration WATCH_WAIT = Duration.ofSeconds(5);
    /** The most bytes of batches one look at a partition reads. */
    private static final int MAX_BATCH_BYTES = 1024 * 1024;
    /** The newest aborted transactions a look at a partition lists; the count says how many there are. */
    private static final int MAX_ABORTED_SHOWN = 100;
    /** The most records one look at a partition describes. */
    private static final int MAX_RECORDS = 1000;
    /** The most records one search reads before it answers with where to go on. */
    private static final int MAX_SCANNED = 10_000;
    /** The most matches one search answers with. */
    private static final int MAX_MATCHES = 200;
    /** The bytes of a key or value shown as hex, for values that are not text. */
    private static final int HEX_SHOWN = 64;

    private final Broker broker; // asked through broker(), which counts
    private final LongAdder brokerCalls = new LongAdder();

    public ConsoleRoutes(Broker broker) {
        this.broker = broker;
    }

    private Broker broker() {
        brokerCalls.increment();
        return broker;
    }

    /** How many times these routes have asked the broker something: a test holds a page's redraw to a handful. */
    long brokerCalls() {
        return brokerCalls.sum();
    }

    @Override
    public void register(HttpFrontEnd front) {
        // as the REST routes ask: what a list shows is what may be described, a record shown is one that may be READ
        front.route("GET", PAGE, RouteAccess.authenticated(), exchange -> file("index.html"));
        front.route("GET", PAGE + "/{file}", RouteAccess.authenticated(), exchange -> file(exchange.path("file")));
        front.route("GET", API + "/overview", RouteAccess.authenticated(), this::overview); // filtered by DESCRIBE
        front.route("GET", API + "/partitions/{topic}/{partition}", RouteAccess.topic(AclOperation.DESCRIBE),
                this::partition);
        front.routeAsync("GET", API + "/partitions/{topic}/{partition}/batches", RouteAccess.topic(AclOperation.READ),
                this::batches);
        front.route("GET", API + "/partitions/{topic}/{partition}/segments/{base}", RouteAccess.topic(AclOperation.READ),
                this::index);
        front.route("GET", API + "/partitions/{topic}/{partition}/search", RouteAccess.topic(AclOperation.READ),
                this::search);
        front.routeAsync("GET", API + "/watch", RouteAccess.authenticated(), this::watch); // filtered by DESCRIBE
        new ConsoleTopics(broker).register(front);
        new ConsoleGroups(broker).register(front);
        new ConsoleShareGroups(broker).register(front);
    }

    private static Reply file(String name) throws IOException {
        String type = FILES.get(name);
        if (type == null) {
            throw new HttpError(404, "the console has no file " + name + "; it has " + FILES.keySet());
        }
        try (InputStream in = ConsoleRoutes.class.getResourceAsStream("/toykafka/console/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the console's " + name + " is missing from the broker's jar");
            }
            return new Reply(200, type, in.readAllBytes(), new LinkedHashMap<>())
                    .withHeader("Content-Security-Policy", POLICY)
                    .withHeader("X-Content-Type-Options", "nosniff")
                    .withHeader("Cache-Control", "no-cache");
        }
    }

    // tag::overview[]
    /** The broker, its listeners, and every topic with its partitions' offsets and its counts so far. */
    private Reply overview(Exchange exchange) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("cluster_id", broker().clusterId());
        body.put("node_id", broker().nodeId());
        body.put("http", exchange.baseUri());
        int kafkaPort = broker().config().kafkaPort();
        body.put("kafka", kafkaPort > 0 ? broker().config().host() + ":" + kafkaPort : null);
        body.put("storage", broker().config().storageInMemory() ? "memory" : "disk");
        body.put("num_partitions", broker().config().numPartitions());
        body.put("started_ms", broker().started().toEpochMilli());
        body.put("now_ms", broker().clock().millis());
        Map<String, BrokerStats.TopicCounts> counts = broker().stats().snapshot();
        List<Object> topics = new ArrayList<>();
        long watchToken = 0;
        for (String name : exchange.authorizedOf(AclOperation.DESCRIBE, ResourceType.TOPIC, broker().listTopics())) {
            Broker.TopicInfo topic = broker().describeTopic(name);
            List<Object> partitions = new ArrayList<>();
            for (Broker.PartitionInfo partition : topic.partitions()) {
                partitions.add(Json.fields("partition", partition.partition(), "log_start_offset",
                        partition.logStartOffset(), "end_offset", partition.endOffset()));
                watchToken += partition.endOffset();
            }
            BrokerStats.TopicCounts count = counts.getOrDefault(name, new BrokerStats.TopicCounts(0, 0, 0, 0, 0));
            topics.add(Json.fields("name", name, "internal", topic.internal(), "partitions", partitions,
                    "cleanup_policy", topic.config().get("cleanup.policy"), "retention_ms",
                    topic.config().get("retention.ms"), "compression_type", topic.config().get("compression.type"),
                    "records_in", count.recordsIn(), "bytes_in", count.bytesIn(), "records_out", count.recordsOut(),
                    "bytes_out", count.bytesOut()));
        }
        body.put("topics", topics);
        body.put("watch_token", watchToken);
        return Reply.json(200, Json.write(body));
    }
    // end::overview[]

    /**
     * A partition's offsets and its segments on disk, oldest first, the last one active, each with the time range
     * its listing gives: a redraw asks the broker as much for a partition of one segment as for one of thousands.
     */
    private Reply partition(Exchange exchange) {
        TopicPartition partition = partitionOf(exchange);
        Broker.PartitionInfo info = broker().describePartition(partition.topic(), partition.partition());
        List<SegmentInfo> segments = broker().logFiles(partition.topic(), partition.partition()).segments();
        Object cleaning = broker().jobs().lastCleaning(partition).map(seen -> Json.fields("at_ms",
                seen.at().toEpochMilli(), "records_read", seen.pass().recordsRead(), "records_removed",
                seen.pass().recordsRemoved(), "bytes_before", seen.pass().bytesBefore(), "bytes_after",
                seen.pass().bytesAfter(), "before", files(seen.before()), "after", files(seen.after()))).orElse(null);
        // the transactions open here, oldest first: the oldest holds the last stable offset
        List<ActiveProducer> opened = broker().partitions().activeProducers(partition).stream()
                .filter(producer -> producer.transactionStartOffset() >= 0)
                .sorted(Comparator.comparingLong(ActiveProducer::transactionStartOffset)).toList();
        // the aborted ranges a read_committed consumer skips, newest last, as the segments' .txnindex files hold them
        List<AbortedTxn> indexed = broker().logFiles(partition.topic(), partition.partition()).indexedAborted();
        List<AbortedTxn> shownAborted = indexed.subList(Math.max(0, indexed.size() - MAX_ABORTED_SHOWN), indexed.size());
        Map<Long, String> ids = opened.isEmpty() && shownAborted.isEmpty() ? Map.of() : transactionalIds();
        List<Map<String, Object>> open = opened.stream().map(producer -> Json.fields("producer_id",
                producer.producerId(), "transactional_id", ids.get(producer.producerId()), "producer_epoch",
                producer.epoch(), "first_offset", producer.transactionStartOffset())).toList();
        List<Map<String, Object>> aborted = shownAborted.stream().map(txn -> Json.fields("producer_id",
                txn.producerId(), "transactional_id", ids.get(txn.producerId()), "first_offset", txn.firstOffset(),
                "last_offset", txn.lastOffset())).toList();
        return Reply.json(200, Json.write(Json.fields("topic", partition.topic(), "partition", partition.partition(),
                "internal", Broker.isInternal(partition.topic()), "log_start_offset", info.logStartOffset(),
                "high_watermark", info.endOffset(), "last_stable_offset",
                broker().partitions().listOffsets(partition, Partitions.LATEST, true).offset(), "open_transactions", open,
                "aborted_transactions", aborted, "aborted_transactions_indexed", indexed.size(),
                "storage", broker().config().storageInMemory() ? "memory" : "disk", "segments", files(segments),
                "last_cleaning", cleaning)));
    }

    /**
     * Which transactional id each producer id serves, as the transaction coordinator holds them now (what
     * {@code kafka-transactions list} prints): a producer id the coordinator no longer knows, its id expired or
     * given a new producer id, is left out.
     */
    private Map<Long, String> transactionalIds() {
        Map<Long, String> ids = new HashMap<>();
        for (Transaction transaction : broker().transactionCoordinator().transactions()) {
            ids.put(transaction.producerId(), transaction.transactionalId());
        }
        return ids;
    }

    private static List<Map<String, Object>> files(List<SegmentInfo> segments) {
        List<Map<String, Object>> files = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            SegmentInfo segment = segments.get(i);
            files.add(Json.fields("name", segment.name(), "base_offset", segment.baseOffset(), "next_offset",
                    segment.nextOffset(), "bytes", segment.bytes(), "index_entries", segment.indexEntries(),
                    "time_index_entries", segment.timeIndexEntries(), "first_timestamp", time(segment.firstTimestamp()),
                    "largest_timestamp", time(segment.largestTimestamp()), "active", i == segments.size() - 1));
        }
        return files;
    }

    /** A segment's time, or null for none: it is empty, its batch was emptied, or its first header is unreadable. */
    private static Long time(long timestamp) {
        return timestamp < 0 ? null : timestamp;
    }

    /** A segment's sparse index as its .index file holds it: which offset starts at which byte of the .log. */
    private Reply index(Exchange exchange) {
        TopicPartition partition = partitionOf(exchange);
        String base = exchange.path("base");
        if (!base.matches("\\d{1,18}")) {
            throw new HttpError(400, "a segment is named by its base offset, a whole number from 0; got '" + base + "'");
        }
        List<Object> entries = new ArrayList<>();
        try {
            for (IndexEntry entry : broker().logFiles(partition.topic(), partition.partition())
                    .indexEntries(Long.parseLong(base))) {
                entries.add(Json.fields("offset", entry.offset(), "position", entry.position()));
            }
        } catch (IllegalArgumentException noSuchSegment) {
            throw new HttpError(404, noSuchSegment.getMessage());
        }
        return Reply.json(200, Json.write(Json.fields("base_offset", Long.parseLong(base), "index_interval_bytes",
                broker().describeTopic(partition.topic()).config().get("index.interval.bytes"), "entries", entries)));
    }

    // tag::batches[]
    /**
     * The batches from an offset on, as they lie: each batch's offsets, size, producer id, epoch and first
     * sequence, then its records. {@code offset} may be "earliest", "latest" or a number; {@code timestamp}
     * (epoch ms) finds the first offset at or after it.
     */
    private CompletableFuture<Reply> batches(Exchange exchange) {
        TopicPartition partition = partitionOf(exchange);
        long from = startOffset(exchange, partition);
        int maxBytes = (int) exchange.queryNumber("max_bytes", 64 * 1024, 1, MAX_BATCH_BYTES);
        // a producer's batch may hold thousands of records; a page shows a few hundred at most
        int maxRecords = (int) exchange.queryNumber("max_records", MAX_RECORDS, 1, MAX_RECORDS);
        return broker().partitions().read(FetchParams.of(partition, from, maxBytes, Duration.ZERO))
                .thenApply(read -> {
                    PartitionData data = read.get(partition);
                    if (data.error() != Errors.NONE) {
                        throw new HttpError(data.error() == Errors.OFFSET_OUT_OF_RANGE ? 416 : 404, data.message());
                    }
                    List<Object> batches = new ArrayList<>();
                    long next = from;
                    int left = maxRecords;
                    if (data.batches() != null) {
                        for (RecordBatch batch : data.batches().batches()) {
                            if (left == 0) {
                                break;
                            }
                            ControlRecord marker = batch.isControl() ? ControlRecord.of(batch) : null;
                            Shown shown = records(batch, marker, from, left);
                            left -= shown.records().size();
                            batches.add(describe(batch, marker, shown.records()));
                            next = shown.nextOffset();
                        }
                    }
                    return Reply.json(200, Json.write(Json.fields("from", from, "next_offset", next, "high_watermark",
                            data.highWatermark(), "log_start_offset", data.logStartOffset(), "batches", batches)));
                });
    }

    /** A batch's header as the page shows it; a transaction marker's kind and coordinator epoch in words. */
    private static Map<String, Object> describe(RecordBatch batch, ControlRecord marker, List<Object> records) {
        return Json.fields("base_offset", batch.baseOffset(), "last_offset", batch.lastOffset(), "bytes",
                batch.sizeInBytes(), "producer_id", batch.producerId(), "producer_epoch", batch.producerEpoch(),
                "base_sequence", batch.baseSequence(), "compression", batch.compression().name().toLowerCase(),
                "control", batch.isControl(), "transactional", batch.isTransactional(), "marker",
                marker == null ? null : markerName(marker), "coordinator_epoch",
                marker == null ? null : marker.coordinatorEpoch(), "records", records);
    }

    private static String markerName(ControlRecord marker) {
        return marker.commit() ? "COMMIT" : "ABORT";
    }

    /** Records as the page shows them, and the offset to read on from: after the batch, or after the last shown. */
    private record Shown(List<Object> records, long nextOffset) {
    }

    /** Up to {@code max} of the batch's records from {@code from} on; a marker's one record read as its marker. */
    private static Shown records(RecordBatch batch, ControlRecord marker, long from, int max) {
        List<Object> records = new ArrayList<>();
        for (OffsetRecord record : batch.offsetRecords()) {
            if (record.offset() < from) {
                continue; // the first batch may begin before the offset asked for
            }
            if (records.size() == max) {
                return new Shown(records, record.offset());
            }
            records.add(marker == null ? recordJson(record) : markerJson(record, marker));
        }
        return new Shown(records, batch.nextOffset());
    }

    /**
     * A transaction marker's record: its key (version and type) and value (version and coordinator epoch) are
     * numbers, not text, so the page is sent what they say, and their bytes as hex for whoever asks to see them.
     */
    private static Map<String, Object> markerJson(OffsetRecord record, ControlRecord marker) {
        return Json.fields("offset", record.offset(), "timestamp", record.record().timestamp().toEpochMilli(),
                "key", null, "key_hex", hex(record.record().key()), "value", null,
                "value_hex", hex(record.record().value()), "value_bytes", record.record().value().length,
                "headers", List.of(), "marker", markerName(marker), "coordinator_epoch", marker.coordinatorEpoch());
    }

    /** One record as the page shows it: text where it is UTF-8, else the first bytes as hex. */
    private static Map<String, Object> recordJson(OffsetRecord record) {
        List<Object> headers = new ArrayList<>();
        for (Header header : record.record().headers()) {
            headers.add(Json.fields("key", header.key(), "value", text(header.value())));
        }
        String key = text(record.record().key());
        String value = text(record.record().value());
        return Json.fields("offset", record.offset(), "timestamp", record.record().timestamp().toEpochMilli(),
                "key", key, "key_hex", key == null ? hex(record.record().key()) : null,
                "value", value, "value_hex", value == null ? hex(record.record().value()) : null,
                "value_bytes", record.record().value() == null ? null : record.record().value().length,
                "headers", headers);
    }
    // end::batches[]

    /**
     * The records whose key is {@code key} (its UTF-8 bytes), from where {@code offset} or {@code timestamp}
     * says on: a scan of at most {@link #MAX_SCANNED} records per request, as a consumer would read them, that
     * stops at the end of the log or at {@link #MAX_MATCHES} matches. {@code next_offset} is where to scan on.
     */
    private Reply search(Exchange exchange) {
        TopicPartition partition = partitionOf(exchange);
        String key = exchange.query("key");
        if (key == null || key.isEmpty()) {
            throw new HttpError(400, "a search takes key=..., the key to find (as text); to read from an offset or a"
                    + " time without one, GET .../batches");
        }
        byte[] wanted = key.getBytes(StandardCharsets.UTF_8);
        long from = startOffset(exchange, partition);
        Broker.PartitionInfo range = broker().describePartition(partition.topic(), partition.partition());
        if (from < range.logStartOffset() || from > range.endOffset()) {
            throw OffsetOutOfRangeException.forRead(from, range.logStartOffset(), range.endOffset());
        }
        long next = from;
        long end = range.endOffset();
        int scanned = 0;
        List<Object> matches = new ArrayList<>();
        while (next < end && scanned < MAX_SCANNED && matches.size() < MAX_MATCHES) {
            PartitionData data = broker().partitions().readAndWait(FetchParams.of(partition, next, MAX_BATCH_BYTES,
                    Duration.ZERO)).get(partition);
            if (data.error() != Errors.NONE) {
                throw new HttpError(data.error() == Errors.OFFSET_OUT_OF_RANGE ? 416 : 404, data.message());
            }
            end = data.highWatermark();
            if (data.batches() == null || data.batches().batches().isEmpty()) {
                break;
            }
            long before = next;
            scan:
            for (RecordBatch batch : data.batches().batches()) {
                for (OffsetRecord record : batch.isControl() ? List.<OffsetRecord>of() : batch.offsetRecords()) {
                    if (record.offset() < next) {
                        continue; // the first batch may begin before the offset asked for
                    }
                    if (scanned == MAX_SCANNED || matches.size() == MAX_MATCHES) {
                        break scan;
                    }
                    scanned++;
                    next = record.offset() + 1;
                    if (Arrays.equals(record.record().key(), wanted)) {
                        matches.add(recordJson(record));
                    }
                }
                next = Math.max(next, batch.nextOffset()); // past a control batch or a compacted gap
            }
            if (next == before) {
                break; // nothing readable from here: the log changed under the scan
            }
        }
        return Reply.json(200, Json.write(Json.fields("key", key, "from", from, "next_offset", next, "scanned",
                scanned, "high_watermark", end, "done", next >= end, "records", matches)));
    }

    // tag::watch[]
    /**
     * Answers once a record arrives in any partition, or after {@link #WATCH_WAIT} with {@code changed: false}.
     * A page passes the {@code watch_token} of its last overview; if records came meanwhile it is answered at once.
     */
    private CompletableFuture<Reply> watch(Exchange exchange) {
        long token = exchange.queryNumber("token", -1, -1, Long.MAX_VALUE);
        List<FetchPartition> ends = new ArrayList<>();
        long now = 0;
        for (String name : exchange.authorizedOf(AclOperation.DESCRIBE, ResourceType.TOPIC, broker().listTopics())) {
            for (Broker.PartitionInfo partition : broker().describeTopic(name).partitions()) {
                ends.add(new FetchPartition(new TopicPartition(name, partition.partition()), partition.endOffset(), 1));
                now += partition.endOffset();
            }
        }
        if (token >= 0 && token != now || ends.isEmpty()) {
            return CompletableFuture.completedFuture(changed(token != now, now));
        }
        long seen = now;
        return broker().partitions().read(new FetchParams(WATCH_WAIT, 1, ends.size(), ends))
                .thenApply(read -> {
                    long after = 0;
                    for (PartitionData data : read.values()) {
                        after += data.highWatermark();
                    }
                    return changed(after != seen, after);
                });
    }
    // end::watch[]

    private static Reply changed(boolean changed, long token) {
        return Reply.json(200, Json.write(Json.fields("changed", changed, "watch_token", token)));
    }

    /**
     * Where a read starts: {@code timestamp} (milliseconds since 1970 or an ISO-8601 instant) finds the first
     * offset at or after it, else the end; {@code offset} is "earliest", "latest" or a number.
     */
    private long startOffset(Exchange exchange, TopicPartition partition) {
        Instant timestamp = exchange.queryTime("timestamp");
        if (timestamp != null) {
            if (exchange.query("offset") != null) {
                throw new HttpError(400, "give offset or timestamp, not both");
            }
            OffsetAnswer found = broker().partitions().listOffsets(partition, timestamp.toEpochMilli());
            if (found.error() != Errors.NONE) {
                throw new HttpError(404, found.message());
            }
            return found.offset() < 0 ? broker().describePartition(partition.topic(), partition.partition()).endOffset()
                    : found.offset();
        }
        String offset = exchange.query("offset", "earliest");
        Broker.PartitionInfo info = broker().describePartition(partition.topic(), partition.partition());
        return switch (offset) {
            case "earliest" -> info.logStartOffset();
            case "latest" -> info.endOffset();
            default -> {
                try {
                    yield Long.parseLong(offset);
                } catch (NumberFormatException notNumber) {
                    throw new HttpError(400, "offset must be earliest, latest or a whole number from the log start"
                            + " offset " + info.logStartOffset() + " to the high watermark " + info.endOffset()
                            + "; got '" + offset + "'");
                }
            }
        };
    }

    /**
     * A whole-number field of a write's body; one missing or of another kind is refused, saying what it is and
     * what it takes. The value itself the broker checks, naming its range.
     */
    static Long wholeNumber(JsonNode body, String field, String takes, boolean required) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new HttpError(400, "the field \"" + field + "\" is missing: it takes " + takes);
            }
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new HttpError(400, "the field \"" + field + "\" takes " + takes + "; it was " + node);
        }
        return node.asLong();
    }

    static TopicPartition partitionOf(Exchange exchange) {
        String number = exchange.path("partition");
        if (!number.matches("\\d{1,9}")) {
            throw new HttpError(400, "partition must be a whole number from 0; got '" + number + "'");
        }
        return new TopicPartition(exchange.path("topic"), Integer.parseInt(number));
    }

    /** The bytes as text when they are UTF-8, else null: the page is then sent their hex instead. */
    private static String text(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }

    private static String hex(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        String shown = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, HEX_SHOWN));
        return bytes.length > HEX_SHOWN ? shown + "…" : shown;
    }
}

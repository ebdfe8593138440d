package toykafka.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import toykafka.broker.Broker;
import toykafka.common.RecordMetadata;

/**
 * Records over HTTP: produced in the shapes of Confluent's REST Proxy v3, read as Redpanda's HTTP proxy
 * reads a partition, deleted as Kafka's {@code Admin.deleteRecords} deletes them. Each route is one of the
 * broker's own operations:
 *
 * <ul>
 * <li>{@code POST /v3/clusters/toykafka/topics/<t>/records} is {@link Broker#produce} (Kafka's Produce
 *     request): one record {@code {"key": .., "value": .., "headers": [..], "partition_id": .., "timestamp": ..}},
 *     a list of them, or several one after another; the reply, each record's partition and offset, has the
 *     shape the request had.</li>
 * <li>{@code GET /topics/<t>/partitions/<p>/records}, and the same under
 *     {@code /v3/clusters/toykafka/topics/<t>/partitions/<p>/records}, is {@link Broker#offsetOf} or
 *     {@link Broker#offsetForTime} (ListOffsets) and then {@link Broker#fetch} (Fetch): from {@code offset}
 *     (earliest, latest or a number) or {@code timestamp}, up to {@code max_records}, waiting up to
 *     {@code timeout} ms at the end of the log, as text or, with {@code format=binary}, base64.</li>
 * <li>{@code POST /v3/clusters/toykafka/topics/<t>/partitions/<p>/records:delete}
 *     {@code {"before_offset": N}} is {@link Broker#deleteRecords} (DeleteRecords): the records below N go
 *     to the broker's archive and the log start offset moves up to N (an N at or below it changes nothing,
 *     one past the end offset is a 416); the reply is {@code {"partition_id": p, "log_start_offset": ...}}.</li>
 * </ul>
 *
 * <p>Where this differs from the REST Proxy, on purpose: a list of records is taken as well as the
 * streaming form, and answered as a list; a key or value may be a plain string as well as
 * {@code {"type": "STRING"|"JSON"|"BINARY", "data": ..}}, and no schema registry types are known; the
 * reply gives a key's or value's size but not its type. The REST Proxy v3 has no read and no delete: the read
 * is Redpanda's, but counts {@code max_records} where Redpanda counts {@code max_bytes}, takes
 * {@code format} as a query parameter where Redpanda reads the Accept header, takes earliest, latest or a
 * timestamp as well as an offset, and says where to read next in the {@code X-Next-Offset} header (with
 * {@code X-Log-Start-Offset} and {@code X-End-Offset}).
 */
final class RecordRoutes {

    /** How long a read waits for records when it does not say; Kafka's fetch.max.wait.ms is 500. */
    static final long DEFAULT_WAIT_MS = 500;
    static final long MAX_WAIT_MS = 60_000;
    static final int DEFAULT_MAX_RECORDS = 500;

    private final Broker broker;

    RecordRoutes(Broker broker) {
        this.broker = broker;
    }

    void register(HttpFrontEnd front) {
        front.route("POST", TopicRoutes.TOPICS + "/{topic}/records", this::produce);
        front.route("GET", TopicRoutes.TOPICS + "/{topic}/partitions/{partition}/records", exchange -> {
            TopicRoutes.requireCluster(exchange);
            return read(exchange);
        });
        front.route("POST", TopicRoutes.TOPICS + "/{topic}/partitions/{partition}/records:delete", this::deleteRecords);
        front.route("GET", "/topics/{topic}/partitions/{partition}/records", this::read);
    }

    // tag::produce[]
    /**
     * One record as a JSON object, or many as an array or as objects one after another (the v3 streaming
     * form). The reply has the same shape: an object, an array, or one object per line.
     */
    private Reply produce(Exchange exchange) throws IOException {
        TopicRoutes.requireCluster(exchange);
        String topic = exchange.path("topic");
        byte[] body = exchange.body();
        Instant now = Instant.now();
        List<JsonNode> nodes = new ArrayList<>();
        boolean array = startsWithArray(body);
        if (array) {
            JsonNode list = Json.MAPPER.readTree(body);
            list.forEach(nodes::add);
        } else {
            try (MappingIterator<JsonNode> values = Json.MAPPER.readerFor(JsonNode.class).readValues(body)) {
                while (values.hasNextValue()) {
                    nodes.add(values.nextValue());
                }
            }
        }
        if (nodes.isEmpty()) {
            throw new HttpError(400, "the request has no records; send {\"value\": ...} or a list of them");
        }
        List<Broker.Outgoing> records = new ArrayList<>(nodes.size());
        for (JsonNode node : nodes) {
            Long partition = Json.number(Json.object(node, "a record"), "partition_id", 0, Integer.MAX_VALUE, false);
            records.add(new Broker.Outgoing(partition == null ? null : partition.intValue(), Json.record(node, now)));
        }
        List<RecordMetadata> written = broker.produce(topic, records);
        return Reply.json(200, produced(written, records, array ? Shape.LIST : nodes.size() == 1 ? Shape.ONE : Shape.LINES));
    }
    // end::produce[]

    private static boolean startsWithArray(byte[] body) {
        for (byte b : body) {
            if (!Character.isWhitespace(b)) {
                return b == '[';
            }
        }
        return false;
    }

    /** How a produce reply is laid out: as the request was. */
    private enum Shape { ONE, LIST, LINES }

    /**
     * Each record's partition and offset, written straight out: a batch of 500 gets 500 of these, so no
     * map is built for each.
     */
    private static byte[] produced(List<RecordMetadata> written, List<Broker.Outgoing> sent, Shape shape)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(written.size() * 200);
        try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(out)) {
            if (shape == Shape.LIST) {
                json.writeStartArray();
            }
            Instant lastTime = null;
            String lastTimeText = null;
            for (int i = 0; i < written.size(); i++) {
                RecordMetadata metadata = written.get(i);
                if (!metadata.timestamp().equals(lastTime)) { // a batch often shares one time: format it once
                    lastTime = metadata.timestamp();
                    lastTimeText = lastTime.toString();
                }
                json.writeStartObject();
                json.writeNumberField("error_code", 200);
                json.writeStringField("cluster_id", TopicRoutes.CLUSTER);
                json.writeStringField("topic_name", metadata.partition().topic());
                json.writeNumberField("partition_id", metadata.partition().partition());
                json.writeNumberField("offset", metadata.offset());
                json.writeStringField("timestamp", lastTimeText);
                writeSize(json, "key", sent.get(i).record().key());
                writeSize(json, "value", sent.get(i).record().value());
                json.writeEndObject();
                if (shape == Shape.LINES) {
                    json.writeRaw('\n');
                }
            }
            if (shape == Shape.LIST) {
                json.writeEndArray();
            }
        }
        return out.toByteArray();
    }

    private static void writeSize(JsonGenerator json, String field, byte[] bytes)
            throws IOException {
        if (bytes == null) {
            json.writeNullField(field);
        } else {
            json.writeObjectFieldStart(field);
            json.writeNumberField("size", bytes.length);
            json.writeEndObject();
        }
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
    private Reply read(Exchange exchange) {
        String topic = exchange.path("topic");
        int partition = partitionNumber(exchange.path("partition"));
        String timestamp = exchange.query("timestamp");
        long offset;
        if (timestamp != null) {
            if (exchange.query("offset") != null) {
                throw new HttpError(400, "give offset or timestamp, not both");
            }
            offset = broker.offsetForTime(topic, partition, parseTime(timestamp));
        } else {
            offset = broker.offsetOf(topic, partition, exchange.query("offset", "latest"));
        }
        int maxRecords = maxRecords(exchange);
        Duration wait = wait(exchange);
        boolean binary = binary(exchange);
        Broker.Fetched fetched = broker.fetch(topic, partition, offset, maxRecords, wait);
        List<Object> records = new ArrayList<>();
        fetched.records().forEach(record -> records.add(Json.record(record, binary)));
        return Reply.json(200, Json.write(records))
                .withHeader("X-Next-Offset", String.valueOf(fetched.nextOffset()))
                .withHeader("X-Log-Start-Offset", String.valueOf(fetched.logStartOffset()))
                .withHeader("X-End-Offset", String.valueOf(fetched.endOffset()));
    }
    // end::read[]

    /** {@code max_records}: how many records a read or a poll answers with at most. */
    static int maxRecords(Exchange exchange) {
        return (int) exchange.queryNumber("max_records", DEFAULT_MAX_RECORDS, 1, Broker.MAX_RECORDS_PER_READ);
    }

    /** {@code timeout}: how long a read or a poll waits at the end of the log for records to come. */
    static Duration wait(Exchange exchange) {
        return Duration.ofMillis(exchange.queryNumber("timeout", DEFAULT_WAIT_MS, 0, MAX_WAIT_MS));
    }

    /** {@code format}: text (UTF-8 strings) or binary (base64), for a read or a poll. */
    static boolean binary(Exchange exchange) {
        String format = exchange.query("format", "text");
        if (!format.equals("text") && !format.equals("binary")) {
            throw new HttpError(400, "format must be text (keys and values as UTF-8 strings) or binary (base64),"
                    + " was " + format);
        }
        return format.equals("binary");
    }

    private static int partitionNumber(String text) {
        return Exchange.wholeNumber(text).filter(partition -> partition >= 0 && partition <= Integer.MAX_VALUE)
                .map(Long::intValue)
                .orElseThrow(() -> new HttpError(400, "partition '" + text + "' must be a whole number, 0 or more"));
    }

    /** Milliseconds since 1970, or an ISO-8601 instant. */
    private static Instant parseTime(String text) {
        return Exchange.wholeNumber(text).filter(millis -> millis >= 0).map(Instant::ofEpochMilli)
                .or(() -> Json.isoInstant(text))
                .orElseThrow(() -> new HttpError(400, "timestamp '" + text
                        + "' must be milliseconds since 1970 or an ISO-8601 instant"));
    }
}

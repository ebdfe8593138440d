package toykafka.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import toykafka.broker.Broker;
import toykafka.broker.Partitions;
import toykafka.broker.Partitions.ProduceRecord;
import toykafka.broker.Partitions.RecordAnswer;
import toykafka.common.ApiException;
import toykafka.common.Errors;
import toykafka.common.Record;

/**
 * Records in, as Confluent's REST Proxy v3 takes them. Both routes are {@link Partitions#appendRecords}
 * (Kafka's Produce request):
 *
 * <ul>
 * <li>{@code POST /v3/clusters/<c>/topics/<t>/records}: ProduceRequest objects ({@code {"partition_id": ..,
 *     "headers": [..], "key": {"type": .., "data": ..}, "value": .., "timestamp": ..}}) one after another, often
 *     over a chunked body. Each record is appended once it has arrived whole, and its delivery report (or its
 *     own error) is written back at once, in order, on a 200 ({@link ProduceStream}). One record sent with a
 *     Content-Length is answered with one JSON object.</li>
 * <li>{@code POST /v3/clusters/<c>/topics/<t>/records:batch} {@code {"entries": [{"id": "1", ..}]}}: every
 *     entry appended, answered 207 with {@code {"successes": [..], "failures": [..]}}, each by its id.</li>
 * </ul>
 *
 * <p>This broker's extensions: a key or value may be a plain string (a STRING); a timestamp may be
 * milliseconds as well as ISO-8601; a body that is one JSON list of records is appended as one batch and
 * answered whole, as a list (a 207 when some partitions refuse theirs, the refusal when all do); as a Kafka
 * producer's batch, one refused record refuses its partition's records. Schema
 * Registry's types (AVRO, PROTOBUF, JSONSCHEMA, or a schema named by id, version or subject) are refused,
 * naming the missing registry.
 */
final class ProduceRoutes {

    /** Some records were written and some refused: each entry says which. */
    static final int MULTI_STATUS = 207;
    /** The most entries one records:batch takes; its body's bytes are bounded by socket.request.max.bytes too. */
    static final int MAX_BATCH_ENTRIES = 1000;
    private static final Pattern BATCH_ID = Pattern.compile("[0-9a-zA-Z_-]{1,80}");
    private static final Set<String> SCHEMA_TYPES = Set.of("AVRO", "PROTOBUF", "JSONSCHEMA");
    private static final List<String> SCHEMA_FIELDS = List.of("schema_id", "schema_version", "subject",
            "subject_name_strategy", "schema");

    /**
     * Whether records sent together stand or fall together in their partition, as a Kafka producer's batch
     * does (this broker's list form), or each on its own, as REST Proxy produces each record.
     */
    enum Batches { ATOMIC_PER_PARTITION, ONE_RECORD_EACH }

    /** A record as sent, with the types its key and value are reported with (null when there is none). */
    record Sent(ProduceRecord record, String keyType, String valueType) {
    }

    private final Broker broker;

    ProduceRoutes(Broker broker) {
        this.broker = broker;
    }

    void register(HttpFrontEnd front) {
        front.routeStreaming("POST", TopicRoutes.TOPICS + "/{topic}/records", (exchange, stream) -> {
            TopicRoutes.requireCluster(exchange);
            new ProduceStream(this, exchange, stream, broker.config().requestMaxBytes()).run();
        });
        front.route("POST", TopicRoutes.TOPICS + "/{topic}/records:batch", this::produceBatch);
    }

    // tag::produce[]
    /**
     * Records that have arrived whole, appended together: a report for each, in order. A record that cannot be
     * read gets its own error and the rest still go in; unless the batches are atomic, a partition that refuses
     * several records is tried one record at a time, so a bad record costs only itself.
     */
    List<ProduceReport> produce(String clusterId, String topic, List<JsonNode> requests, Batches batches) {
        Instant now = Instant.now();
        ProduceReport[] reports = new ProduceReport[requests.size()];
        List<Sent> sent = new ArrayList<>();
        List<Integer> sentAt = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            try {
                sent.add(sent(requests.get(i), now));
                sentAt.add(i);
            } catch (HttpError unreadable) {
                reports[i] = refused(unreadable);
            }
        }
        List<ProduceReport> answers = append(clusterId, topic, sent, batches);
        for (int k = 0; k < sent.size(); k++) {
            reports[sentAt.get(k)] = answers.get(k);
        }
        return List.of(reports);
    }
    // end::produce[]

    /** Records already read, appended together: a report for each, in order. */
    List<ProduceReport> append(String clusterId, String topic, List<Sent> sent, Batches batches) {
        List<ProduceReport> reports = new ArrayList<>(sent.size());
        if (sent.isEmpty()) {
            return reports;
        }
        List<RecordAnswer> answers;
        try {
            answers = broker.partitions().appendRecords(topic, sent.stream().map(Sent::record).toList());
        } catch (ApiException refused) { // the topic itself: unknown, or the broker's own
            ProduceReport report = refused(refused.error(), refused.getMessage());
            sent.forEach(record -> reports.add(report));
            return reports;
        }
        for (int k = 0; k < sent.size(); k++) {
            RecordAnswer answer = answers.get(k);
            if (!answer.written() && sent.size() > 1 && batches == Batches.ONE_RECORD_EACH) { // alone it may pass
                reports.add(append(clusterId, topic, List.of(sent.get(k)), batches).get(0));
            } else {
                reports.add(report(clusterId, answer, sent.get(k)));
            }
        }
        return reports;
    }

    /** A ProduceRequest read: what needs a Schema Registry is refused by name; the rest as {@link Json#record}. */
    static Sent sent(JsonNode request, Instant now) {
        Json.object(request, "a record");
        String keyType = type(request.get("key"), "key");
        String valueType = type(request.get("value"), "value");
        Long partition = Json.number(request, "partition_id", 0, Integer.MAX_VALUE, false);
        return new Sent(new ProduceRecord(partition == null ? null : partition.intValue(), Json.record(request, now)),
                keyType, valueType);
    }

    /** The type REST Proxy reports a key or value with: as given, or STRING for this broker's plain string. */
    private static String type(JsonNode data, String field) {
        if (data == null || data.isNull() || !data.isObject()) {
            return data != null && data.isTextual() ? "STRING" : null; // anything else Json.record refuses by form
        }
        String type = data.hasNonNull("type") ? data.get("type").asText() : null;
        String named = SCHEMA_FIELDS.stream().filter(data::has).findFirst().orElse(null);
        if (type == null || SCHEMA_TYPES.contains(type) || named != null) {
            String asks = type == null ? "has no \"type\", which asks for its schema" : SCHEMA_TYPES.contains(type)
                    ? "is " + type + ", which needs its schema" : "names a schema (\"" + named + "\"), which lives";
            throw new HttpError(400, "the " + field + " " + asks + " in a Schema Registry, and this broker has none;"
                    + " send {\"type\": \"BINARY\"|\"JSON\"|\"STRING\", \"data\": ...}");
        }
        return type;
    }

    /** ProduceResponse: where the record went, and the type and size of its key and value. */
    private static ProduceReport report(String clusterId, RecordAnswer answer, Sent sent) {
        if (!answer.written()) {
            return refused(answer.error(), answer.message());
        }
        Record record = sent.record().record(); // its lengths: key() and value() would copy the bytes
        return ProduceReport.delivered(clusterId, answer, sent.keyType(), Math.max(0, record.keyLength()),
                sent.valueType(), Math.max(0, record.valueLength()));
    }

    /** A record's refusal, as REST Proxy writes one in the stream: its code and a message naming the problem. */
    static ProduceReport refused(HttpError refusal) {
        return ProduceReport.refused(refusal.status(), Replies.errorBody(refusal.errorCode(), refusal.error(),
                refusal.getMessage(), Map.of()));
    }

    private static ProduceReport refused(Errors error, String message) {
        int status = HttpError.statusOf(error);
        return ProduceReport.refused(status, Replies.errorBody(HttpError.errorCodeOf(status, error), error, message,
                Map.of()));
    }

    /** REST Proxy's answer to a produce with no record in it. */
    static HttpError noRecords() {
        return new HttpError(422, HttpError.INVALID_PAYLOAD, Errors.INVALID_REQUEST, "the request has no records;"
                + " send a ProduceRequest such as {\"value\": {\"type\": \"STRING\", \"data\": \"cod\"}}, or several"
                + " one after another");
    }

    /**
     * This broker's list form, {@code [{..}, {..}]}: appended as one batch and answered whole, as a list; a 207
     * when some partitions refuse their records, and the refusal itself when every record is refused.
     */
    Reply produceList(String clusterId, String topic, byte[] list) throws IOException {
        List<JsonNode> requests = new ArrayList<>();
        Json.parse(list).forEach(requests::add);
        if (requests.isEmpty()) {
            throw noRecords();
        }
        return listReply(produce(clusterId, topic, requests, Batches.ATOMIC_PER_PARTITION));
    }

    /** The list form's records, read already ({@link PlainProduceRequests}): appended and answered as above. */
    Reply produceList(String clusterId, String topic, List<Sent> list) {
        return listReply(append(clusterId, topic, list, Batches.ATOMIC_PER_PARTITION));
    }

    private static Reply listReply(List<ProduceReport> reports) {
        if (reports.stream().noneMatch(ProduceReport::delivered)) {
            return Reply.json(reports.get(0).status(), ProduceReport.one(reports.get(0)));
        }
        int status = reports.stream().allMatch(ProduceReport::delivered) ? 200 : MULTI_STATUS;
        return Reply.json(status, ProduceReport.list(reports));
    }

    /** records:batch: each entry a ProduceRequest with an {@code id}; a 207 sorts them into successes and failures. */
    private Reply produceBatch(Exchange exchange) throws IOException {
        TopicRoutes.requireCluster(exchange);
        JsonNode body = Json.object(Json.read(exchange.body(), "{\"entries\": [{\"id\": \"1\", \"value\": ...}]}"),
                "the body");
        JsonNode entries = body.get("entries");
        if (entries == null || !entries.isArray()) {
            throw new HttpError(400, "\"entries\" must be a list of records, each with an \"id\": {\"entries\":"
                    + " [{\"id\": \"1\", \"value\": {\"type\": \"STRING\", \"data\": \"cod\"}}]}");
        }
        if (entries.isEmpty()) {
            throw noRecords();
        }
        if (entries.size() > MAX_BATCH_ENTRIES) {
            throw new HttpError(400, "a batch takes 1 to " + MAX_BATCH_ENTRIES + " entries; this one has " + entries.size());
        }
        List<String> ids = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (JsonNode entry : entries) {
            JsonNode id = Json.object(entry, "an entry").get("id");
            if (id == null || !id.isTextual() || !BATCH_ID.matcher(id.asText()).matches() || !seen.add(id.asText())) {
                throw new HttpError(400, "each entry needs its own \"id\", a string of 1 to 80 letters, digits, '-'"
                        + " or '_', unique in the batch; found " + id);
            }
            ids.add(id.asText());
        }
        List<JsonNode> requests = new ArrayList<>();
        entries.forEach(requests::add);
        List<ProduceReport> reports = produce(exchange.clusterId(), exchange.path("topic"), requests,
                Batches.ONE_RECORD_EACH);
        List<Map<String, Object>> successes = new ArrayList<>();
        List<Map<String, Object>> failures = new ArrayList<>();
        for (int i = 0; i < reports.size(); i++) {
            Map<String, Object> entry = Json.fields("id", ids.get(i));
            entry.putAll(reports.get(i).body());
            if (reports.get(i).delivered()) {
                entry.remove("error_code"); // a success entry is the report without it, as REST Proxy's
                successes.add(entry);
            } else {
                failures.add(entry);
            }
        }
        return Reply.json(MULTI_STATUS, Json.write(Json.fields("successes", successes, "failures", failures)));
    }
}

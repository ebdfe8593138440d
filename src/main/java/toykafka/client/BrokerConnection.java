package toykafka.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Objects;
import toykafka.common.CommitFailedException;
import toykafka.common.CorruptRecordException;
import toykafka.common.Header;
import toykafka.common.InvalidConfigurationException;
import toykafka.common.InvalidPartitionsException;
import toykafka.common.InvalidRecordException;
import toykafka.common.InvalidRequestException;
import toykafka.common.InvalidTimestampException;
import toykafka.common.InvalidTopicException;
import toykafka.common.KafkaStorageException;
import toykafka.common.NoOffsetForPartitionException;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.Record;
import toykafka.common.RecordTooLargeException;
import toykafka.common.TopicExistsException;
import toykafka.common.UnknownMemberIdException;
import toykafka.common.UnknownTopicOrPartitionException;

/**
 * One broker's address and a way to call it: JSON over HTTP, records with their bytes kept exactly
 * (base64), and each refusal turned back into the exception of the core's error family that the broker
 * threw, with the broker's own message. What a Kafka client's network layer does, in a page.
 */
public final class BrokerConnection {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOPICS = "/v3/clusters/toykafka/topics";

    /**
     * One HTTP client for every connection in the process: it keeps the connection pool, its selector thread
     * and two worker threads, all started with it, so a producer or consumer starts no thread of the
     * client's that outlives it.
     */
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .executor(workers()).build();

    private static java.util.concurrent.Executor workers() {
        java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(2, 2, 0,
                java.util.concurrent.TimeUnit.MILLISECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), task -> {
                    // not named toykafka-: they live as long as the process, as the JDK's own threads do
                    Thread thread = new Thread(task, "http-client-worker-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.prestartAllCoreThreads();
        return pool;
    }

    private final String address;

    /** @param address the broker's address, such as http://127.0.0.1:8082 */
    public BrokerConnection(String address) {
        Objects.requireNonNull(address, "address");
        if (!address.startsWith("http://")) {
            throw new IllegalArgumentException("a broker's address looks like http://127.0.0.1:8082, was " + address);
        }
        this.address = address.endsWith("/") ? address.substring(0, address.length() - 1) : address;
    }

    public String address() {
        return address;
    }

    /** A reply that went well: its body as JSON (null when empty), and the headers the caller may want. */
    record Answer(JsonNode body, HttpResponse<String> response) {
        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }
    }

    /** REST Proxy v2's type of records with keys and values in base64, which a binary consumer instance answers in. */
    static final String BINARY_V2 = "application/vnd.kafka.binary.v2+json";

    Answer call(String method, String path, String json) {
        return call(method, path, json, null);
    }

    /** As {@link #call(String, String, String)}, asking for the reply in {@code accept} (null: any). */
    Answer call(String method, String path, String json, String accept) {
        HttpResponse<String> response = send(method, path, json, accept);
        JsonNode body = parse(response.body());
        if (response.statusCode() >= 400) {
            throw refusal(response.statusCode(), body, response.body());
        }
        return new Answer(body, response);
    }

    private HttpResponse<String> send(String method, String path, String json, String accept) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(address + path)).timeout(Duration.ofSeconds(90));
        if (accept != null) {
            builder.header("Accept", accept);
        }
        HttpRequest request = builder.header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build();
        HttpResponse<String> response;
        try {
            response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new UncheckedIOException("no broker answers at " + address + ": is it running?", e);
        } catch (IOException e) {
            throw new UncheckedIOException("lost the broker at " + address + " during " + method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker at " + address, e);
        }
        return response;
    }

    /** A GET's body, or empty when the broker answers 404: the thing asked for does not exist (yet). */
    Optional<JsonNode> find(String path) {
        HttpResponse<String> response = send("GET", path, null, null);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() >= 400) {
            throw refusal(response.statusCode(), body, response.body());
        }
        return Optional.ofNullable(body);
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (IOException notJson) {
            return null;
        }
    }

    /** One partition's offsets as the broker reports them: from its log start offset to its end offset. */
    public record Offsets(long logStart, long end) {
    }

    /** The offsets of each of a topic's partitions, in partition order. */
    List<Offsets> partitions(String topic) {
        List<Offsets> partitions = new ArrayList<>();
        for (JsonNode partition : call("GET", TOPICS + "/" + segment(topic) + "/partitions", null).body().get("data")) {
            partitions.add(new Offsets(partition.get("log_start_offset").asLong(), partition.get("log_end_offset").asLong()));
        }
        return partitions;
    }

    /** One partition's offsets; a partition the topic does not have is refused naming those it has. */
    Offsets partition(String topic, int partition) {
        List<Offsets> partitions = partitions(topic);
        if (partition < 0 || partition >= partitions.size()) {
            throw UnknownTopicOrPartitionException.unknownPartition(topic, partition, partitions.size());
        }
        return partitions.get(partition);
    }

    // tag::refusal[]
    /** The broker's refusal as the exception it threw: the error name picks the class, the message is its own. */
    static RuntimeException refusal(int status, JsonNode body, String text) {
        if (body == null || !body.has("error")) {
            return new IllegalStateException("the broker answered " + status + ": " + text);
        }
        String message = body.get("message").asText();
        return switch (body.get("error").asText()) {
            case "UNKNOWN_TOPIC_OR_PARTITION" -> new UnknownTopicOrPartitionException(message);
            case "TOPIC_ALREADY_EXISTS" -> new TopicExistsException(message);
            case "INVALID_TOPIC_EXCEPTION" -> new InvalidTopicException(message);
            case "INVALID_PARTITIONS" -> new InvalidPartitionsException(message);
            case "INVALID_CONFIG" -> new InvalidConfigurationException(message);
            case "MESSAGE_TOO_LARGE" -> new RecordTooLargeException(message);
            case "INVALID_RECORD" -> new InvalidRecordException(message);
            case "INVALID_TIMESTAMP" -> new InvalidTimestampException(message);
            case "CORRUPT_MESSAGE" -> new CorruptRecordException(message);
            case "UNKNOWN_MEMBER_ID" -> new UnknownMemberIdException(message);
            case "UNRELEASED_INSTANCE_ID" -> new IllegalStateException(message); // lesson 5's refusal of a taken id
            case "OFFSET_OUT_OF_RANGE" -> body.has("requested")
                    ? new OffsetOutOfRangeException(message, body.get("requested").asLong(),
                            body.path("log_start_offset").asLong(), body.path("log_end_offset").asLong())
                    : new NoOffsetForPartitionException(message); // Kafka's name for "no offset to start from"
            case "ILLEGAL_GENERATION" -> new CommitFailedException(message);
            case "KAFKA_STORAGE_ERROR" -> new KafkaStorageException(message, null);
            case "INVALID_REQUEST" -> status == 409 ? new IllegalStateException(message)
                    : new InvalidRequestException(message);
            default -> new IllegalStateException(body.get("error").asText() + ": " + message);
        };
    }
    // end::refusal[]

    /** A record as the produce route takes it, every byte kept: key, value and headers in base64. */
    static String json(Record record, Integer partition) {
        StringBuilder json = new StringBuilder("{");
        if (partition != null) {
            json.append("\"partition_id\":").append(partition).append(',');
        }
        json.append("\"key\":").append(binary(record.key())).append(",\"value\":").append(binary(record.value()))
                .append(",\"timestamp\":").append(record.timestamp().toEpochMilli()).append(",\"headers\":[");
        for (int i = 0; i < record.headers().size(); i++) {
            Header header = record.headers().get(i);
            json.append(i == 0 ? "" : ",").append("{\"name\":").append(quote(header.key())).append(",\"value\":")
                    .append(header.value() == null ? "null" : quote(Base64.getEncoder().encodeToString(header.value())))
                    .append('}');
        }
        return json.append("]}").toString();
    }

    private static String binary(byte[] bytes) {
        return bytes == null ? "null"
                : "{\"type\":\"BINARY\",\"data\":\"" + Base64.getEncoder().encodeToString(bytes) + "\"}";
    }

    /** A name as one segment of a URL path: whatever it holds, the broker reads it back as sent and judges it. */
    static String segment(String name) {
        return java.net.URLEncoder.encode(String.valueOf(name), java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A record as a read returns it with format=binary, or a binary consumer instance's poll. */
    static Record record(JsonNode json) {
        List<Header> headers = new ArrayList<>();
        for (JsonNode header : json.get("headers")) {
            headers.add(new Header(header.get("name").asText(),
                    header.get("value").isNull() ? null : Base64.getDecoder().decode(header.get("value").asText())));
        }
        return new Record(bytes(json.get("key")), bytes(json.get("value")),
                java.time.Instant.ofEpochMilli(json.get("timestamp").asLong()), headers);
    }

    private static byte[] bytes(JsonNode base64) {
        return base64 == null || base64.isNull() ? null : Base64.getDecoder().decode(base64.asText());
    }
}

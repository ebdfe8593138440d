package toykafka.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * The command line's way to the broker: JSON over HTTP, with each refusal turned into one line that says
 * what the broker said, and a broker that is not there named with its address.
 */
final class BrokerHttp {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOPICS = "/v3/clusters/toykafka/topics";

    private final String address;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    BrokerHttp(String address) {
        this.address = address.endsWith("/") ? address.substring(0, address.length() - 1) : address;
        if (!this.address.startsWith("http://")) {
            throw new IllegalArgumentException("--broker takes an address such as http://127.0.0.1:8082, was " + address);
        }
    }

    String address() {
        return address;
    }

    JsonNode get(String path) {
        return send("GET", path, null);
    }

    JsonNode post(String path, String json) {
        return send("POST", path, json);
    }

    /** Records read from one partition, and the offset the next read starts from. */
    record Read(JsonNode records, long nextOffset) {
    }

    /** Reads a partition: the route answers with the records, and says in a header where to go on. */
    Read read(String topic, int partition, String offset, long waitMs) {
        HttpResponse<String> response = exchange("GET", "/topics/" + topic + "/partitions/" + partition
                + "/records?max_records=500&timeout=" + waitMs + "&offset=" + offset, null);
        return new Read(parse(response.body()), Long.parseLong(response.headers().firstValue("X-Next-Offset").orElseThrow()));
    }

    JsonNode send(String method, String path, String json) {
        return parse(exchange(method, path, json).body());
    }

    private HttpResponse<String> exchange(String method, String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(address + path)).timeout(Duration.ofSeconds(90))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new IllegalStateException("no broker answers at " + address + ": start one with ./toykafka broker,"
                    + " or name another with --broker");
        } catch (HttpTimeoutException e) {
            throw new IllegalStateException("the broker at " + address + " did not answer " + method + " " + path + " in time");
        } catch (IOException e) {
            throw new IllegalStateException("lost the broker at " + address + " during " + method + " " + path + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker");
        }
        if (response.statusCode() >= 400) {
            JsonNode body = parse(response.body());
            String error = body != null && body.has("error") ? body.get("error").asText() : "HTTP " + response.statusCode();
            String message = body != null && body.has("message") ? body.get("message").asText() : response.body();
            throw new IllegalStateException(error + ": " + message);
        }
        return response;
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    /** JSON text for a string, quotes and escapes included. */
    static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

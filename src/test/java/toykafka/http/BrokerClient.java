package toykafka.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import toykafka.testing.RunningBroker;

/**
 * A small HTTP client for a broker at an address, as the drills use it from many threads at once. A broker
 * that dies mid-request shows as an {@link UncheckedIOException}: the request may or may not have been done.
 */
final class BrokerClient {

    /** One client for every broker a test talks to: it holds the connection pool and its threads. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * Longer than any long poll the drills make, and than a busy machine keeps a broker from answering: a request
     * that waits this long got no answer at all. A broker that dies closes its connections, which ends a wait at once.
     */
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final String address;

    BrokerClient(String address) {
        this.address = address;
    }

    String address() {
        return address;
    }

    RunningBroker.Response get(String path) {
        return send("GET", path, null);
    }

    RunningBroker.Response post(String path, String body) {
        return send("POST", path, body);
    }

    RunningBroker.Response delete(String path) {
        return send("DELETE", path, null);
    }

    RunningBroker.Response send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(address + path)).timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return RunningBroker.Response.of(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " got no reply: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method + " " + path, e);
        }
    }
}

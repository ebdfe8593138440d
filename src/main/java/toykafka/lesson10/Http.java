package toykafka.lesson10;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The lesson's plain way of talking to the broker: HTTP requests with JSON bodies, as curl sends them,
 * so a learner can type each call the notebook makes, and each the demo makes without the client library.
 */
public final class Http {

    /** A reply: the status and the body as text. */
    public record Reply(int status, String body) {
        /** The status and body, each link's port left out as {@link Http#toString} leaves it: it changes from run to run. */
        @Override
        public String toString() {
            return status + " " + body.replaceAll("(http://(?:\\[[^\\]/]*\\]|[^/\":\\[]+)):\\d+", "$1");
        }
    }

    private final String address;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param address the broker's address, e.g. http://127.0.0.1:8082 */
    public Http(String address) {
        this.address = address;
    }

    @Override
    public String toString() {
        return "Http[" + address.replaceFirst(":\\d+$", "") + "]"; // the port changes from run to run
    }

    public Reply get(String path) {
        return send("GET", path, null);
    }

    public Reply post(String path, String json) {
        return send("POST", path, json);
    }

    public Reply delete(String path) {
        return send("DELETE", path, null);
    }

    public Reply send(String method, String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(address + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("no reply from the broker at " + address + " to " + method + " " + path
                    + ": is it running?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + method + " " + path, e);
        }
    }
}

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
 * Requests as REST Proxy v2's reference writes them, with the Content-Type and Accept headers it shows (the
 * fixture's own client always sends application/json).
 */
final class V2Requests {

    /** The Accept header of the reference's examples. */
    static final String DOCS_ACCEPT = "application/vnd.kafka.v2+json, application/vnd.kafka+json, application/json";
    static final String V2 = "application/vnd.kafka.v2+json";
    static final String BINARY = "application/vnd.kafka.binary.v2+json";
    static final String JSON = "application/vnd.kafka.json.v2+json";
    static final String AVRO = "application/vnd.kafka.avro.v2+json";

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private V2Requests() {
    }

    static RunningBroker.Response get(RunningBroker broker, String path, String accept) {
        return send(broker, "GET", path, null, accept, null);
    }

    static RunningBroker.Response post(RunningBroker broker, String path, String contentType, String accept, String body) {
        return send(broker, "POST", path, contentType, accept, body);
    }

    static RunningBroker.Response send(RunningBroker broker, String method, String path, String contentType, String accept,
                                       String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(broker.address() + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        try {
            return RunningBroker.Response.of(CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

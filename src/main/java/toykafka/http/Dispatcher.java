package toykafka.http;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import toykafka.broker.Broker;
import toykafka.broker.security.AuthorizableRequestContext;
import toykafka.broker.security.KafkaPrincipal;

/**
 * Jetty's handler for every request: check who sends it (the cross-site guard, then {@code authentication.method}:
 * a stranger learns no route), find the route (a 404 or 405 before any body is read), ask the authorizer what the
 * route's rule asks (a 403, still before the body), read the body, run the route, and send its reply, or the
 * refusal it failed with, as JSON. Nothing here waits: a route that waits for records answers with a future, and
 * the reply goes out when it completes; a streaming route (the v3 produce) is handed the request and response to
 * read and write as the body arrives.
 */
final class Dispatcher extends Handler.Abstract {

    private final HttpFrontEnd front;
    private final Broker broker;
    private final PrintStream log;
    private final BodyReader.Budget bodies;
    private final CrossSiteGuard guard;
    private final Optional<BasicAuthentication> authentication;
    private final HttpAuthorizer authorizer;

    Dispatcher(HttpFrontEnd front, Broker broker, PrintStream log) {
        this.front = front;
        this.broker = broker;
        this.log = log;
        this.bodies = new BodyReader.Budget(broker.config().queuedMaxRequestBytes());
        this.guard = new CrossSiteGuard(broker.config(), front::port);
        this.authentication = BasicAuthentication.of(broker);
        this.authorizer = new HttpAuthorizer(broker);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        String what = method + " " + request.getHttpURI().getPathQuery();
        BodyReader reader = null;
        CompletableFuture<Reply> reply;
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        try {
            // who is asking comes first: a web page elsewhere learns nothing, not even which routes exist
            guard.checkSender(method, request.getHeaders().get(HttpHeader.HOST), origin,
                    request.getHeaders().get("Sec-Fetch-Site"));
            if (method.equals("OPTIONS") && guard.allows(origin)) {
                send(request, response, preflight(origin), callback); // CORS: a page the settings allow asks first
                return true;
            }
            // without authentication every request is User:ANONYMOUS, as on a PLAINTEXT listener of the Kafka port
            KafkaPrincipal principal = authentication.isEmpty() ? KafkaPrincipal.ANONYMOUS
                    : authentication.get().authenticate(request.getHeaders().get(HttpHeader.AUTHORIZATION));
            AuthorizableRequestContext context = new AuthorizableRequestContext(principal, Request.getRemoteAddr(request));
            HttpFrontEnd.Match match = front.match(method, request.getHttpURI().getPath());
            CrossSiteGuard.checkBody(match.route().body(), request.getHeaders().get(HttpHeader.CONTENT_TYPE), method,
                    request.getHttpURI().getPath());
            Executor executor = getServer().getThreadPool();
            authorizer.check(match.route().access(), context, match.variables(), broker);
            if (match.route().streaming() != null) {
                Exchange exchange = new Exchange(request, match.route().pattern(), match.variables(), new byte[0],
                        front.address(), executor, broker.clusterId(), context, authorizer);
                Map<String, String> headers = guard.allows(origin) ? Map.of("Access-Control-Allow-Origin", origin,
                        "Vary", "Origin") : Map.of();
                match.route().streaming().handle(exchange, new HttpFrontEnd.Stream(request, response, callback, headers,
                        bodies, log));
                return true; // the route reads and answers from here, as the body arrives
            }
            reader = BodyReader.start(request, broker.config().requestMaxBytes(), bodies);
            reply = reader.body().thenCompose(body -> {
                // the client has sent all it will; from here a quiet connection is the broker thinking or waiting
                request.addIdleTimeoutListener(timeout -> false);
                try {
                    return match.route().handler().handle(new Exchange(request, match.route().pattern(),
                            match.variables(), body, front.address(), executor, broker.clusterId(), context,
                            authorizer));
                } catch (Exception | Error e) {
                    return CompletableFuture.failedFuture(e);
                }
            });
        } catch (RuntimeException | IOException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        BodyReader held = reader;
        boolean readable = guard.allows(origin);
        reply.handle((answer, failure) -> failure == null ? answer : Replies.refusal(failure, what, log))
                .thenApply(answer -> readable ? answer.withHeader("Access-Control-Allow-Origin", origin)
                        .withHeader("Vary", "Origin") : answer)
                .thenAccept(answer -> send(request, response, answer, held == null ? callback : released(callback, held)));
        return true;
    }

    /** The answer to a CORS preflight from a page whose origin http.allowed.origins names. */
    private static Reply preflight(String origin) {
        return Reply.noContent().withHeader("Access-Control-Allow-Origin", origin).withHeader("Vary", "Origin")
                .withHeader("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE")
                .withHeader("Access-Control-Allow-Headers", "Content-Type, Authorization")
                .withHeader("Access-Control-Max-Age", "600");
    }

    /** Sends a whole reply, its length known. */
    static void send(Request request, Response response, Reply reply, Callback callback) {
        response.setStatus(reply.status());
        if (reply.contentType() != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
        }
        reply.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, reply.body().length);
        boolean bodiless = request.getMethod().equals("HEAD") || reply.body().length == 0;
        response.write(true, bodiless ? null : ByteBuffer.wrap(reply.body()), callback);
    }

    /** The callback, giving the body's bytes back to the budget once the reply is sent (or cannot be). */
    private static Callback released(Callback callback, BodyReader reader) {
        return new Callback() {
            @Override
            public void succeeded() {
                reader.release();
                callback.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                reader.release();
                callback.failed(x);
            }
        };
    }
}

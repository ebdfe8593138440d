package toykafka.kafka;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import toykafka.broker.quota.ClientQuotaManager;
import toykafka.broker.quota.ClientQuotas;
import toykafka.common.ApiException;
import toykafka.common.DelayedActionQueue;
import toykafka.common.Errors;

/**
 * The Kafka front end's handler threads: each takes a request frame the selector thread read, reads its header,
 * finds the API and lets it answer, then hands the response frame back through the {@link RequestChannel}. An
 * answer that waits (a fetch for data not yet there) holds no thread: it is sent when its future completes. What the
 * request woke (fetches parked on a produce's partitions, share fetches on an acknowledgement's) completes after its
 * answer is handed back, on the same thread ({@link DelayedActionQueue}). Kafka's {@code KafkaRequestHandlerPool},
 * whose threads hand each request to {@code KafkaApis.handle}, which ends with {@code tryCompleteActions()}.
 */
final class KafkaRequestHandlerPool implements AutoCloseable {

    /**
     * Handler threads, as many as Kafka's {@code num.io.threads} default: enough that handlers waiting on an fsync or
     * a share partition's lock (members acknowledging, each write of their state forced) leave some for producers.
     */
    private static final int HANDLERS = 8;

    /** Kafka's WriteTxnMarkers, a broker's request to another, which no client quota counts. */
    private static final short WRITE_TXN_MARKERS = 27;

    private final ApiTable apis;
    private final ClientQuotaManager requestQuota;
    private final RequestChannel channel;
    private final DelayedActionQueue actions;
    private final boolean trace;
    private final PrintStream log;
    private final ExecutorService threads;

    /**
     * @param trace whether to print a line for each request and response, for a learner to read
     * @param log   where the trace goes
     */
    KafkaRequestHandlerPool(ApiTable apis, ClientQuotaManager requestQuota, RequestChannel channel,
                            DelayedActionQueue actions, boolean trace, PrintStream log) {
        this.apis = apis;
        this.requestQuota = requestQuota;
        this.channel = channel;
        this.actions = actions;
        this.trace = trace;
        this.log = log;
        AtomicInteger count = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(HANDLERS, runnable -> {
            Thread thread = new Thread(runnable, "toykafka-kafka-handler-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Handles a request frame on a handler thread. */
    void submit(Connection connection, ByteBuffer frame) {
        threads.execute(() -> actions.answerFirst(() -> handle(connection, frame)));
    }

    /** Runs other work that must not hold up the selector thread on a handler thread. */
    void execute(Runnable work) {
        threads.execute(work);
    }

    // tag::handle[]
    /**
     * Reads the header, finds the API, lets it answer; the response goes back to the selector thread. The time the
     * handler took counts against the client's request_percentage; over a quota, the connection is throttled.
     */
    private void handle(Connection connection, ByteBuffer frame) {
        if (connection.sasl() != null && connection.sasl().expectsRawToken()) {
            rawSaslToken(connection, frame);
            return;
        }
        RequestHeader header;
        Api api;
        long startedNanos = System.nanoTime();
        int sizeInBytes = frame.remaining();
        try {
            ProtocolReader in = new ProtocolReader(frame, false);
            header = RequestHeader.read(in, apis);
            api = apis.find(header.apiKey());
            frame = frame.slice(); // the body: what the header left
        } catch (ApiException e) {
            channel.closeConnection(connection, e.getMessage());
            return;
        }
        SaslServerAuthenticator sasl = connection.sasl();
        String refusal = sasl == null ? null : sasl.refusal(header.apiKey(), api.name());
        if (refusal != null) { // before authentication, as Kafka's SaslServerAuthenticator: closed unanswered
            channel.refuseUnauthenticated(connection, refusal);
            return;
        }
        Request request = new Request(header, frame, api.flexible(header.apiVersion()), connection.peer(),
                connection.id(), connection.principal(), connection.listener(), sasl, sizeInBytes);
        String what = api.name() + " v" + header.apiVersion() + " #" + header.correlationId();
        CompletableFuture<ProtocolWriter> answer;
        try {
            answer = api.serves(header.apiVersion()) ? api.handle(request) : api.handleUnsupportedVersion(request);
        } catch (ApiException e) {
            channel.closeConnection(connection, what + ": " + e.getMessage());
            return;
        } catch (RuntimeException e) {
            channel.closeConnection(connection, what + ": the broker failed reading the request: " + e);
            return;
        }
        long handlerNanos = System.nanoTime() - startedNanos; // the thread's time, not a fetch's wait for data
        answer.whenComplete((body, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                channel.closeConnection(connection, what + ": " + (cause instanceof ApiException ? cause.getMessage()
                        : "the broker failed answering: " + cause));
                return;
            }
            if (body != null && header.apiKey() != WRITE_TXN_MARKERS) { // acks=0 is not counted, as in Kafka
                request.throttle(requestQuota.recordAndGetThrottleTimeMs(request.principal().name(),
                        header.clientId(), ClientQuotas.percentOfASecond(handlerNanos), System.currentTimeMillis()));
                body.rewriteThrottleTimeMs(request.throttleTimeMs());
            }
            trace(header, api, request, body);
            if (request.throttleTimeMs() > 0) {
                channel.throttle(connection, request.throttleTimeMs());
            }
            if (body == null) {
                channel.sendNoOpResponse(connection);
                return;
            }
            List<ProtocolWriter.Part> frameOut;
            try {
                frameOut = frame(header, api, body);
            } catch (RuntimeException e) {
                channel.closeConnection(connection, "the broker failed writing its answer to " + api.name() + ": " + e);
                return;
            }
            channel.sendResponse(connection, frameOut);
        });
    }
    // end::handle[]

    /**
     * A raw SASL token after SaslHandshake v0, answered with the server's token in a size-prefixed frame, as Kafka's
     * {@code SaslServerAuthenticator.handleSaslToken} does; a failed one closes the connection unanswered.
     */
    private void rawSaslToken(Connection connection, ByteBuffer frame) {
        byte[] token = new byte[frame.remaining()];
        frame.get(token);
        SaslServerAuthenticator.Step step = connection.sasl().authenticate(token);
        if (step.error() != Errors.NONE) {
            channel.refuseUnauthenticated(connection, step.message());
            return;
        }
        ByteBuffer answer = ByteBuffer.allocate(4 + step.token().length).putInt(step.token().length).put(step.token());
        channel.sendResponse(connection, List.of(new ProtocolWriter.BytesPart(answer.flip())));
    }

    // tag::frame[]
    /** The response's frame: its size, the response header (the correlation id, then tagged fields in v1), the body. */
    private static List<ProtocolWriter.Part> frame(RequestHeader header, Api api, ProtocolWriter body) {
        boolean headerV1 = api.responseHeaderVersion(header.apiVersion()) >= 1;
        List<ProtocolWriter.Part> bodyParts = body.finish();
        long size = 4 + (headerV1 ? 1 : 0);
        for (ProtocolWriter.Part part : bodyParts) {
            size += part.size();
        }
        ByteBuffer head = ByteBuffer.allocate(4 + 4 + (headerV1 ? 1 : 0));
        head.putInt((int) size).putInt(header.correlationId());
        if (headerV1) {
            head.put((byte) 0); // no tagged fields
        }
        List<ProtocolWriter.Part> frame = new ArrayList<>(bodyParts.size() + 1);
        frame.add(new ProtocolWriter.BytesPart(head.flip()));
        frame.addAll(bodyParts);
        return frame;
    }
    // end::frame[]

    private void trace(RequestHeader header, Api api, Request request, ProtocolWriter body) {
        if (!trace) {
            return;
        }
        String who = request.peer() + (header.clientId() != null ? " " + header.clientId() : "");
        log.println("kafka: -> " + api.name() + " v" + header.apiVersion() + " #" + header.correlationId() + " from " + who
                + (request.asked().isEmpty() ? "" : ": " + request.asked()));
        log.println("kafka: <- " + api.name() + " v" + header.apiVersion() + " #" + header.correlationId()
                + (body == null ? " (no response: acks=0)" : " " + body.size() + " B")
                + (request.answered().isEmpty() ? "" : ": " + request.answered()));
    }

    /** Stops the threads; requests in hand are dropped. */
    @Override
    public void close() {
        threads.shutdownNow();
    }
}

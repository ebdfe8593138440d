package toykafka.http;

import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;
import toykafka.common.Errors;
import toykafka.http.ConcatenatedJson.Broken;
import toykafka.http.ConcatenatedJson.TooLarge;
import toykafka.http.ConcatenatedJson.Value;
import toykafka.http.ConcatenatedJson.Whole;
import toykafka.http.ProduceRoutes.Sent;

/**
 * One REST Proxy v3 produce, {@code POST /v3/clusters/<c>/topics/<t>/records}, answered as its body arrives.
 * Jetty calls {@link #run} when more of the body is there, so no thread waits on a quiet client. The records
 * of each piece that are whole are appended at once ({@link ProduceRoutes#produce}), and their reports are
 * written on a chunked 200, in order; the next piece is read only once they are sent, so a client that
 * sends without reading holds no more than a piece's reports. When the body ends the reply ends.
 *
 * <p>What is known whole goes out whole: a body sent with a Content-Length that holds one record is answered
 * with that record's report alone (its one report waits for the body's end, which such a client has sent
 * already), and so is a body that ends before a report was written. A body that stops arriving for
 * {@code idle.timeout.ms} ends with a 408 report after those of the records it delivered.
 */
final class ProduceStream implements Runnable {

    /** The most a list body is given at first: its Content-Length is what the client says, not what it sends. */
    private static final int FIRST_LIST_BUFFER = 1 << 20;

    private final ProduceRoutes routes;
    private final HttpFrontEnd.Stream stream;
    private final String clusterId;
    private final String topic;
    private final String what;
    private final Executor executor;
    private final int maxRecordBytes;
    private final ConcatenatedJson json;
    /** Sent with a Content-Length: the client has sent it all, so a lone report may wait for the end. */
    private final boolean lengthKnown;
    /** Reports not written yet. */
    private final List<ProduceReport> held = new ArrayList<>();
    /** The body's first value, when it is a list: this broker's list form, answered whole. */
    private byte[] list;
    /**
     * A body sent with its length that starts as a list: gathered whole and read in one pass, as plain
     * records ({@link PlainProduceRequests}) or, when they are not, as the values the stream finds.
     */
    private byte[] gathered;
    private int gatheredSize;
    /** The list body's records, when they were plain. */
    private List<Sent> plainList;
    /** Something other than white space has arrived. */
    private boolean bodyStarted;
    private boolean sawValue;
    private boolean afterList;
    /** Nothing more can be read: the JSON broke, or something followed a list. */
    private boolean over;
    /** The reply's status and headers are out; what follows is more of its body. */
    private boolean started;
    private long charged;

    ProduceStream(ProduceRoutes routes, Exchange exchange, HttpFrontEnd.Stream stream, int maxRecordBytes) {
        this.routes = routes;
        this.stream = stream;
        this.clusterId = exchange.clusterId();
        this.topic = exchange.path("topic");
        this.what = "POST " + stream.request().getHttpURI().getPathQuery();
        this.executor = exchange.executor();
        this.maxRecordBytes = maxRecordBytes;
        this.json = new ConcatenatedJson(maxRecordBytes);
        this.lengthKnown = stream.request().getLength() >= 0;
    }

    /** Reads what has arrived; Jetty runs it again when more has. */
    @Override
    public void run() {
        try {
            readWhatHasArrived();
        } catch (RuntimeException | IOException | Error e) {
            end(List.of(), e);
        }
    }

    private void readWhatHasArrived() throws IOException {
        while (true) {
            Content.Chunk chunk = stream.request().read();
            if (chunk == null) {
                stream.request().demand(this);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                end(List.of(), BodyReader.notArrived(chunk.getFailure()));
                return;
            }
            boolean last = chunk.isLast();
            List<Value> values;
            if (gathered != null || startsList(chunk.getByteBuffer())) {
                boolean kept;
                try {
                    kept = gather(chunk.getByteBuffer());
                } finally {
                    chunk.release();
                }
                if (!kept) {
                    end(List.of(), BodyReader.overBudget(stream.budget()));
                    return;
                }
                if (!last) {
                    continue;
                }
                Optional<List<Sent>> plain = PlainProduceRequests.list(gathered, gatheredSize, Instant.now());
                if (plain.isPresent()) {
                    plainList = plain.get();
                    end(List.of(), null);
                    return;
                }
                values = json.feed(ByteBuffer.wrap(gathered, 0, gatheredSize)); // read as any body, for its answer
                values.addAll(json.end());
            } else {
                try {
                    values = json.feed(chunk.getByteBuffer());
                    if (last) {
                        values.addAll(json.end());
                    }
                } finally {
                    chunk.release();
                }
            }
            if (!charge(json.heldBytes() + values.stream().mapToLong(ProduceStream::size).sum())) {
                end(List.of(), BodyReader.overBudget(stream.budget()));
                return;
            }
            List<ProduceReport> reports = reportsFor(values);
            charge(json.heldBytes());
            if (last || over) {
                end(reports, null);
                return;
            }
            if (!reports.isEmpty()) {
                if (!started && lengthKnown && held.isEmpty() && reports.size() == 1) {
                    held.addAll(reports); // maybe the only record: answered with a Content-Length if so
                    continue;
                }
                write(false, reports, Callback.from(() -> executor.execute(this), this::clientGone));
                return;
            }
        }
    }

    /**
     * Whether the body, sent with its length, starts as a list no larger than a record may be: the first bytes
     * that are not white space say so, and only they.
     */
    private boolean startsList(ByteBuffer piece) {
        if (bodyStarted) {
            return false;
        }
        for (int i = piece.position(); i < piece.limit(); i++) {
            byte b = piece.get(i);
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                bodyStarted = true;
                long length = stream.request().getLength();
                return b == '[' && lengthKnown && length <= maxRecordBytes;
            }
        }
        return false;
    }

    /** Keeps the piece of a list body, charged to the budget; false if that would pass it. */
    private boolean gather(ByteBuffer piece) {
        int n = piece.remaining();
        if (gathered == null) {
            gathered = new byte[(int) Math.min(stream.request().getLength(), FIRST_LIST_BUFFER)];
        }
        if (!charge((long) gatheredSize + n)) {
            return false;
        }
        if (gatheredSize + n > gathered.length) {
            gathered = Arrays.copyOf(gathered, Math.max(gatheredSize + n, 2 * gathered.length));
        }
        piece.get(gathered, gatheredSize, n);
        gatheredSize += n;
        return true;
    }

    /** Each value's report, in order: the whole records among them appended together. */
    private List<ProduceReport> reportsFor(List<Value> values) {
        Instant now = Instant.now();
        List<Object> slots = new ArrayList<>(); // a record to append, or a report already known
        for (Value value : values) {
            if (list != null) {
                afterList = over = true;
                break;
            }
            boolean first = !sawValue;
            sawValue = true;
            if (value instanceof Whole whole && whole.kind() == JsonToken.START_ARRAY && first) {
                list = whole.bytes();
            } else if (value instanceof Whole whole && whole.kind() == JsonToken.START_OBJECT) {
                slots.add(record(whole.bytes(), now));
            } else if (value instanceof Whole whole) {
                slots.add(ProduceRoutes.refused(new HttpError(400, "a record must be a JSON object {\"value\": ...},"
                        + " was " + describe(whole.kind()))));
            } else if (value instanceof TooLarge large) {
                slots.add(ProduceRoutes.refused(new HttpError(413, Errors.MESSAGE_TOO_LARGE, "a record of " + large.bytes()
                        + " bytes is larger than socket.request.max.bytes=" + maxRecordBytes + " bytes")));
            } else if (value instanceof Broken broken) {
                over = true;
                slots.add(ProduceRoutes.refused(new HttpError(400, "the body is not JSON: " + broken.problem()
                        + "; nothing after it was read")));
            }
        }
        List<Sent> records = slots.stream().filter(Sent.class::isInstance).map(Sent.class::cast).toList();
        List<ProduceReport> produced = records.isEmpty() ? List.of() : routes.append(clusterId, topic, records,
                ProduceRoutes.Batches.ONE_RECORD_EACH);
        List<ProduceReport> reports = new ArrayList<>(slots.size());
        int next = 0;
        for (Object slot : slots) {
            reports.add(slot instanceof ProduceReport report ? report : produced.get(next++));
        }
        return reports;
    }

    /** A whole object read as a record, or its refusal (a lone surrogate, say) as its report. */
    private static Object record(byte[] bytes, Instant now) {
        Optional<Sent> plain = PlainProduceRequests.one(bytes, now);
        if (plain.isPresent()) {
            return plain.get();
        }
        try {
            return ProduceRoutes.sent(Json.parse(bytes), now);
        } catch (HttpError refused) {
            return ProduceRoutes.refused(refused);
        } catch (IOException notJson) {
            return ProduceRoutes.refused(new HttpError(400, "a record is not JSON: " + notJson.getMessage()));
        }
    }

    /** The body has ended, or cannot go on ({@code failure}): the last reports, and the reply ends. */
    private void end(List<ProduceReport> reports, Throwable failure) {
        charge(0);
        held.addAll(reports);
        try {
            if (!started) {
                Reply whole = wholeReply(failure);
                whole = stream.headers().entrySet().stream().reduce(whole,
                        (reply, header) -> reply.withHeader(header.getKey(), header.getValue()), (a, b) -> a);
                Dispatcher.send(stream.request(), stream.response(), whole, stream.done());
                return;
            }
            if (failure != null) {
                held.add(failureReport(failure));
            }
            write(true, List.of(), stream.done());
        } catch (RuntimeException | Error fault) { // a write that cannot even start: the connection is gone
            stream.done().failed(fault);
        }
    }

    /** The reply when nothing was written yet: everything is known, so it goes out with its length. */
    private Reply wholeReply(Throwable failure) {
        if (plainList != null) {
            try {
                return routes.produceList(clusterId, topic, plainList);
            } catch (Throwable refused) {
                return Replies.refusal(refused, what, stream.log());
            }
        }
        if (list != null) {
            try {
                if (failure != null || afterList) {
                    throw failure != null ? failure : new HttpError(400, "a list of records is taken alone; send records"
                            + " one after another, or one list of them");
                }
                return routes.produceList(clusterId, topic, list);
            } catch (Throwable refused) {
                return Replies.refusal(refused, what, stream.log());
            }
        }
        if (held.isEmpty()) {
            return Replies.refusal(failure != null ? failure : ProduceRoutes.noRecords(), what, stream.log());
        }
        if (failure != null) {
            held.add(failureReport(failure));
        }
        byte[] body = held.size() == 1 ? ProduceReport.one(held.get(0)) : ProduceReport.lines(held);
        held.clear();
        return Reply.json(200, body);
    }

    private ProduceReport failureReport(Throwable failure) {
        Reply refusal = Replies.refusal(failure, what, stream.log()); // the one place that words every failure
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> body = Json.MAPPER.readValue(refusal.body(), LinkedHashMap.class);
            return ProduceReport.refused(refusal.status(), body);
        } catch (IOException e) {
            throw new IllegalStateException("the broker's own refusals are JSON objects", e);
        }
    }

    /** Writes the held reports and these, one a line, starting the reply if it is not yet. */
    private void write(boolean last, List<ProduceReport> reports, Callback then) {
        if (!started) {
            started = true;
            stream.response().setStatus(200);
            stream.response().getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            stream.headers().forEach((name, value) -> stream.response().getHeaders().put(name, value));
        }
        held.addAll(reports);
        byte[] body = ProduceReport.lines(held);
        held.clear();
        stream.response().write(last, ByteBuffer.wrap(body), then);
    }

    /** The client stopped reading, or went away: nothing more can reach it. */
    private void clientGone(Throwable failure) {
        charge(0);
        stream.done().failed(failure);
    }

    /** Holds {@code bytes} of this body against the front end's budget (0 gives all back); false if over it. */
    private boolean charge(long bytes) {
        if (bytes > charged && !stream.budget().take(bytes - charged)) {
            return false;
        }
        if (bytes < charged) {
            stream.budget().give(charged - bytes);
        }
        charged = bytes;
        return true;
    }

    private static long size(Value value) {
        return value instanceof Whole whole ? whole.bytes().length : 0;
    }

    private static String describe(JsonToken kind) {
        return switch (kind) {
            case START_ARRAY -> "a list (a list is taken only as the whole body)";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            default -> "null";
        };
    }
}

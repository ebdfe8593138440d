package toykafka.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import toykafka.broker.Broker;
import toykafka.common.Record;
import toykafka.lesson04.OnDuplicate;
import toykafka.lesson05.ConsumerRecord;

/**
 * Kaf's HTTP API, served by the same broker. A Kaf log is a topic of one partition, and Kaf's message
 * numbers start at 1 where offsets start at 0: number = offset + 1.
 *
 * <ul>
 * <li>{@code POST} or {@code PUT /put/<log>}: the body is one message (a record's value); creates the log
 *     if it is missing and auto.create.topics.enable allows; answers with the message's number</li>
 * <li>{@code GET /get/<log>?from=N&format=kaf|raw|json}: messages from the first numbered N or more, at
 *     most 5 and about 3200 bytes a reply (always one if there is one), with {@code X-Kaf-LastMsgSent};
 *     an unknown log, or nothing at N or after, is a 200 with an empty body</li>
 * <li>{@code GET} or {@code POST /archive/<log>?upto=N}: moves messages 1 to N into the broker's archive,
 *     as Kafka's deleteRecords does (Kaf renamed its file aside); answers with the first number kept</li>
 * </ul>
 * Where Kaf answered 400, this answers as the broker does for the same mistake: a body over
 * socket.request.max.bytes (5 MiB, Kaf's limit too) is a 413, an unknown log to archive a 404. A log name
 * with '/' or '..' is refused, which Kaf forgot to check.
 */
final class KafRoutes {

    static final int MAX_MESSAGES = 5;
    static final int MAX_BYTES = 3200;
    static final String LAST_SENT = "X-Kaf-LastMsgSent";

    private final Broker broker;

    KafRoutes(Broker broker) {
        this.broker = broker;
    }

    void register(HttpFrontEnd front) {
        front.route("POST", "/put/{log}", this::put);
        front.route("PUT", "/put/{log}", this::put);
        front.route("GET", "/get/{log}", this::get);
        front.route("GET", "/archive/{log}", this::archive);
        front.route("POST", "/archive/{log}", this::archive);
    }

    private Reply put(Exchange exchange) throws IOException {
        String log = exchange.path(0);
        if (exchange.header("Content-Length") == null) {
            throw new HttpError(400, "a put needs a Content-Length: send the message as the body, not in chunks");
        }
        byte[] message = exchange.body();
        if (message.length == 0) {
            throw new HttpError(400, "the message is empty: a put's body is the message, 1 byte or more");
        }
        if (!broker.listTopics().contains(log) && broker.config().autoCreateTopics()) {
            try {
                broker.createTopic(log, 1, Map.of(), OnDuplicate.FAIL);
            } catch (toykafka.common.TopicExistsException raced) {
                // another put created it first
            }
        }
        Record record = new Record(null, message, Instant.now(), List.of());
        long offset = broker.produce(log, List.of(new Broker.Outgoing(0, record))).get(0).offset();
        return Reply.text(200, String.valueOf(offset + 1));
    }

    // tag::get[]
    private Reply get(Exchange exchange) {
        String log = exchange.path(0);
        long from = exchange.queryNumber("from", -1, 1, Long.MAX_VALUE);
        if (from < 0) {
            throw new HttpError(400, "from is required: the number of the first message wanted, 1 or more");
        }
        String format = exchange.query("format", "kaf");
        if (!List.of("kaf", "raw", "json").contains(format)) {
            throw new HttpError(400, "format must be kaf, raw or json, was " + format);
        }
        if (!broker.listTopics().contains(log)) {
            return Reply.text(200, ""); // Kaf: an unknown log is no error, just nothing yet
        }
        Broker.PartitionInfo partition = broker.describeTopic(log).partitions().get(0);
        long offset = Math.max(from - 1, partition.logStartOffset()); // below the oldest kept: start there
        if (offset >= partition.endOffset()) {
            return Reply.text(200, "");
        }
        List<ConsumerRecord> messages = new ArrayList<>();
        long bytes = 0;
        for (ConsumerRecord record : broker.fetch(log, 0, offset, MAX_MESSAGES, Duration.ZERO).records()) {
            int size = record.record().valueLength();
            if (!messages.isEmpty() && bytes + size > MAX_BYTES) {
                break;
            }
            messages.add(record);
            bytes += size;
        }
        Reply reply = new Reply(200, format.equals("json") ? "application/json" : "text/plain; charset=utf-8",
                render(messages, format), new java.util.LinkedHashMap<>());
        return reply.withHeader(LAST_SENT, String.valueOf(messages.get(messages.size() - 1).offset() + 1));
    }

    /** Kaf's three ways of writing messages out, byte for byte. */
    private static byte[] render(List<ConsumerRecord> messages, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (format.equals("kaf")) {
            out.writeBytes(("KAF_MSGS|v1|" + messages.size()).getBytes(StandardCharsets.UTF_8));
        } else if (format.equals("json")) {
            out.write('[');
        }
        for (int i = 0; i < messages.size(); i++) {
            ConsumerRecord message = messages.get(i);
            byte[] data = message.record().value() == null ? new byte[0] : message.record().value();
            switch (format) {
                case "kaf" -> {
                    out.writeBytes(("\nKAF_MSG|" + (message.offset() + 1) + "|" + data.length + "\n")
                            .getBytes(StandardCharsets.UTF_8));
                    out.writeBytes(data);
                }
                case "raw" -> {
                    out.writeBytes(data);
                    out.write('\n');
                }
                default -> {
                    requireJson(data, message.offset() + 1);
                    if (i > 0) {
                        out.writeBytes(",\n".getBytes(StandardCharsets.UTF_8));
                    }
                    out.writeBytes(data);
                }
            }
        }
        if (format.equals("json")) {
            out.write(']');
        }
        return out.toByteArray();
    }
    // end::get[]

    /** Kaf's json format pastes messages into a list as they are, so each must be JSON itself. */
    private static void requireJson(byte[] data, long number) {
        try (var parser = Json.MAPPER.getFactory().createParser(data)) {
            parser.nextToken();
            parser.skipChildren();
            if (parser.nextToken() == null) {
                return;
            }
        } catch (IOException notJson) {
            // refused below
        }
        throw new HttpError(406, "message " + number + " is not JSON, so format=json cannot list it;"
                + " read it with format=raw or format=kaf");
    }

    private Reply archive(Exchange exchange) {
        String log = exchange.path(0);
        long upto = exchange.queryNumber("upto", -1, 0, Long.MAX_VALUE);
        if (upto < 0) {
            throw new HttpError(400, "upto is required: the number of the last message to archive, 0 or more");
        }
        try {
            long start = broker.deleteRecords(log, 0, upto); // messages 1..upto are offsets 0..upto-1
            return Reply.text(200, String.valueOf(start + 1));
        } catch (toykafka.common.OffsetOutOfRangeException outside) {
            Broker.PartitionInfo partition = broker.describeTopic(log).partitions().get(0);
            throw new HttpError(416, "upto=" + upto + " is outside log " + log + ": it holds messages "
                    + (partition.logStartOffset() + 1) + " to " + partition.endOffset() + ", so upto may be from "
                    + partition.logStartOffset() + " to " + partition.endOffset());
        }
    }
}

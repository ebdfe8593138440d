package toykafka.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import toykafka.broker.Broker;
import toykafka.broker.Partitions;
import toykafka.broker.OffsetAnswer;
import toykafka.broker.Partitions.ProduceRecord;
import toykafka.broker.Partitions.RecordAnswer;
import toykafka.common.Errors;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.OffsetRecord;
import toykafka.common.Record;
import toykafka.common.RecordBatchSize;
import toykafka.common.TopicConfig;
import toykafka.common.TopicExistsException;
import toykafka.common.TopicName;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.lesson05.ConsumerRecord;

/**
 * Kaf's HTTP API (seed 003), served by the same broker: each call is one of the broker's own operations
 * under Kaf's name. A Kaf log is partition 0 of the topic of that name, and Kaf numbers its messages from 1
 * where offsets start at 0: message number = offset + 1.
 *
 * <ul>
 * <li>{@code POST} or {@code PUT /put/<log>} is {@link Partitions#appendRecords} of one record (Kafka's Produce
 *     request): the body is its value, with no key. The reply is the message's number, as decimal text.
 *     A missing log is created first, as Kaf did, as a topic of one partition whose max.message.bytes
 *     holds Kaf's largest message, 5 MiB; but only while auto.create.topics.enable is true (the broker's
 *     default). With it false the operator has said that topics are made on purpose, and a put to a
 *     missing log is refused like every other produce: 404 UNKNOWN_TOPIC_OR_PARTITION.</li>
 * <li>{@code GET /get/<log>?from=N&format=kaf|raw|json} is {@link Partitions#read} (Kafka's Fetch request)
 *     from offset N - 1, or from the log start offset when N - 1 lies below it: at most 5 messages, and no
 *     more than 3200 bytes of message data unless the first message alone is larger, with the header
 *     {@code X-Kaf-LastMsgSent}. An unknown log, or nothing at N or after, is a 200 with an empty body.</li>
 * <li>{@code POST /archive/<log>?upto=N} is {@link Broker#deleteRecords} before offset N
 *     (Kafka's {@code Admin.deleteRecords}): messages 1 to N go to the broker's CSV archive, reason
 *     {@code archive}, and the log start offset moves to N. Kaf renamed its file aside instead. The reply
 *     is the number of the oldest message kept; an N already archived changes nothing. Kaf's README asks for a
 *     POST, as here; a GET, which Kaf also took, is a 405 naming POST, because no GET changes the broker.</li>
 * </ul>
 * The broker's own statistics, Kaf's {@code _kaf} log, are read the same way from {@code /get/__broker_stats}.
 *
 * <p>Where this answers differently from Kaf, it is because the broker refuses the same mistake the same
 * way on every API: a message over 5 MiB is a 413 MESSAGE_TOO_LARGE (Kaf: 400), as is one over the
 * max.message.bytes of a topic made some other way; an unknown log to archive is a 404
 * UNKNOWN_TOPIC_OR_PARTITION (Kaf: 400); an {@code upto} past the last message is a 416
 * OFFSET_OUT_OF_RANGE; and {@code format=json} refuses, 406, a message that is not JSON, where Kaf pasted
 * it in and sent broken JSON. A log name with '/' or '..' is refused by the topic name rule, which Kaf
 * did not check.
 */
final class KafRoutes {

    static final int MAX_MESSAGES = 5;
    static final int MAX_BYTES = 3200;
    /** The bytes a get reads: Kaf's 3200 of message data, with room for each message's batch around it. */
    private static final int FETCH_BYTES = MAX_BYTES + MAX_MESSAGES * 128;
    /** Kaf's largest message. */
    static final int MAX_MESSAGE_BYTES = 5 * 1024 * 1024;
    /**
     * The max.message.bytes of a log Kaf's put creates: its largest message as one record batch, the 61-byte
     * batch header and the record's own fields (length, attributes, deltas, key and value lengths, header
     * count) included, which for one record without a key are 13 bytes or fewer.
     */
    static final int MAX_BATCH_BYTES = MAX_MESSAGE_BYTES + RecordBatchSize.BATCH_OVERHEAD + 16;
    static final String LAST_SENT = "X-Kaf-LastMsgSent";

    private final Broker broker;

    KafRoutes(Broker broker) {
        this.broker = broker;
    }

    void register(HttpFrontEnd front) {
        // A message is any bytes, whatever curl or a script labels them; the Origin check keeps web pages out.
        front.route("POST", "/put/{log}", CrossSiteGuard.Body.BYTES, this::put);
        front.route("PUT", "/put/{log}", CrossSiteGuard.Body.BYTES, this::put);
        front.route("GET", "/get/{log}", CrossSiteGuard.Body.BYTES, this::get);
        // POST only: a GET never changes anything, so a link or an image on a web page cannot archive a log
        front.route("POST", "/archive/{log}", CrossSiteGuard.Body.BYTES, this::archive);
    }

    private Reply put(Exchange exchange) throws IOException {
        String log = TopicName.validate(exchange.path("log"));
        if (exchange.header("Content-Length") == null) {
            throw new HttpError(400, "a put needs a Content-Length: send the message as the body, not in chunks");
        }
        byte[] message = exchange.body();
        if (message.length == 0) {
            throw new HttpError(400, "the message is empty: a put's body is the message, 1 to " + MAX_MESSAGE_BYTES
                    + " bytes");
        }
        if (message.length > MAX_MESSAGE_BYTES) {
            throw new HttpError(413, Errors.MESSAGE_TOO_LARGE, "the message is " + message.length + " bytes; a Kaf"
                    + " message is 1 to " + MAX_MESSAGE_BYTES + " bytes (5 MiB)");
        }
        createIfMissing(log);
        Record record = new Record(null, message, Instant.now(), List.of());
        RecordAnswer written = broker.partitions().appendRecords(log, List.of(new ProduceRecord(0, record))).get(0);
        if (!written.written()) {
            throw RecordRoutes.refusal(written.error(), written.message());
        }
        return Reply.text(200, String.valueOf(written.offset() + 1));
    }

    /** Kaf made a log on its first put: a topic of one partition, if the broker makes topics on first write. */
    private void createIfMissing(String log) {
        if (broker.listTopics().contains(log) || !broker.config().autoCreateTopics()) {
            return; // without auto-create, the produce refuses a missing log by name
        }
        try {
            broker.createTopic(log, 1, Map.of(TopicConfig.MAX_MESSAGE_BYTES, String.valueOf(MAX_BATCH_BYTES)),
                    OnDuplicate.FAIL);
        } catch (TopicExistsException raced) {
            // another put created it first: write to theirs
        }
    }

    // tag::get[]
    private Reply get(Exchange exchange) {
        String log = TopicName.validate(exchange.path("log"));
        long from = exchange.queryNumber("from", -1, 1, Long.MAX_VALUE);
        if (from < 0) {
            throw new HttpError(400, "from is required: the number of the first message wanted, from 1 up");
        }
        String format = exchange.query("format", "kaf");
        if (!List.of("kaf", "raw", "json").contains(format)) {
            throw new HttpError(400, "format must be kaf, raw or json, was " + format);
        }
        Fetched fetched = read(log, from - 1);
        List<ConsumerRecord> messages = fetched.messages();
        if (messages.isEmpty()) {
            return Reply.text(200, ""); // Kaf: an unknown log, or nothing yet at this number, is no error
        }
        String type = format.equals("json") ? "application/json" : "text/plain; charset=utf-8";
        long last = messages.get(messages.size() - 1).offset() + 1;
        byte[] body;
        try {
            body = render(messages, format);
        } catch (HttpError notJson) { // 406: what the read counted out was never delivered
            broker.stats().refusedRead(log, fetched.recordsOut(), fetched.bytesOut());
            throw notJson;
        }
        return new Reply(200, type, body, Map.of()).withHeader(LAST_SENT, String.valueOf(last));
    }

    /** The messages a get answers with, and what the broker's statistics counted out to read them. */
    private record Fetched(List<ConsumerRecord> messages, long recordsOut, long bytesOut) {
    }

    /**
     * Up to 5 messages from {@code offset}, or from the log start offset if that is later, and no more than
     * 3200 bytes of data after the first. None for an unknown log or at the end.
     */
    private Fetched read(String log, long offset) {
        TopicPartition partition = new TopicPartition(log, 0);
        OffsetAnswer logStart = broker.partitions().listOffsets(partition, Partitions.EARLIEST);
        if (logStart.error() != Errors.NONE) {
            return new Fetched(List.of(), 0, 0); // an unknown log
        }
        long start = Math.max(offset, logStart.offset()); // archived away: start at the oldest kept
        RecordRoutes.RecordsRead fetched;
        try {
            fetched = RecordRoutes.readRecords(broker.partitions(), partition, start, MAX_MESSAGES, FETCH_BYTES);
        } catch (OffsetOutOfRangeException outside) {
            if (start >= outside.logEndOffset()) {
                return new Fetched(List.of(), 0, 0); // nothing at this number yet
            }
            return read(log, outside.logStartOffset()); // retention moved the start meanwhile: start there
        }
        List<ConsumerRecord> messages = new ArrayList<>();
        long bytes = 0;
        for (OffsetRecord read : fetched.records()) {
            ConsumerRecord message = new ConsumerRecord(partition, read.offset(), read.record());
            int size = Math.max(0, message.record().valueLength());
            if (!messages.isEmpty() && bytes + size > MAX_BYTES) {
                break;
            }
            messages.add(message);
            bytes += size;
        }
        return new Fetched(messages, fetched.recordsOut(), fetched.bytesOut());
    }

    /** Kaf's three ways of writing messages out, byte for byte. */
    private static byte[] render(List<ConsumerRecord> messages, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (format) {
            case "kaf" -> {
                out.writeBytes(ascii("KAF_MSGS|v1|" + messages.size()));
                for (ConsumerRecord message : messages) {
                    byte[] data = data(message);
                    out.writeBytes(ascii("\nKAF_MSG|" + (message.offset() + 1) + "|" + data.length + "\n"));
                    out.writeBytes(data);
                }
            }
            case "raw" -> messages.forEach(message -> {
                out.writeBytes(data(message));
                out.write('\n');
            });
            default -> {
                messages.forEach(KafRoutes::requireJson); // all checked before a byte is written
                out.write('[');
                for (int i = 0; i < messages.size(); i++) {
                    out.writeBytes(i == 0 ? new byte[0] : ascii(",\n"));
                    out.writeBytes(data(messages.get(i)));
                }
                out.write(']');
            }
        }
        return out.toByteArray();
    }
    // end::get[]

    private static byte[] data(ConsumerRecord message) {
        byte[] value = message.record().value();
        return value == null ? new byte[0] : value;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Kaf's json format pastes messages into a list as they are, so each must be exactly one JSON value. */
    private static void requireJson(ConsumerRecord message) {
        if (Json.oneValue(data(message)) == null) {
            throw new HttpError(406, "message " + (message.offset() + 1) + " is not JSON, so format=json cannot"
                    + " list it; read it with format=raw or format=kaf");
        }
    }

    private Reply archive(Exchange exchange) {
        String log = TopicName.validate(exchange.path("log"));
        long upto = exchange.queryNumber("upto", -1, 0, Long.MAX_VALUE);
        if (upto < 0) {
            throw new HttpError(400, "upto is required: the number of the last message to archive, 0 or more");
        }
        try {
            long start = broker.deleteRecords(log, 0, upto); // messages 1..upto are offsets 0..upto-1
            return Reply.text(200, String.valueOf(start + 1));
        } catch (OffsetOutOfRangeException outside) {
            long last = outside.logEndOffset(); // the number of the last message
            throw new HttpError(416, Errors.OFFSET_OUT_OF_RANGE, "upto=" + upto + " is past the end of log " + log
                    + ": its last message is number " + last + ", so upto may be from 0 to " + last);
        }
    }
}

package toykafka.http;

import static toykafka.http.JsonBytes.ascii;

import com.fasterxml.jackson.core.io.SerializedString;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import toykafka.broker.Partitions.RecordAnswer;

/**
 * One record's answer to a produce: its HTTP status, and the delivery report (REST Proxy's ProduceResponse) or
 * error written for it. A delivery report is written from its fixed JSON and its texts encoded once a reply, with no
 * map or generator in between: in a batch of 500 records the reports are most of the reply, and building and
 * walking their maps was most of the broker's work.
 */
final class ProduceReport {

    /** About what one delivery report takes in JSON, to size the reply's buffer once. */
    private static final int REPORT_BYTES = 220;
    private static final byte[] ERROR_CODE_200 = ascii("{\"error_code\":200,\"cluster_id\":");
    private static final byte[] TOPIC_NAME = ascii(",\"topic_name\":");
    private static final byte[] PARTITION_ID = ascii(",\"partition_id\":");
    private static final byte[] OFFSET = ascii(",\"offset\":");
    private static final byte[] TIMESTAMP = ascii(",\"timestamp\":");
    private static final byte[] KEY = ascii(",\"key\":");
    private static final byte[] VALUE = ascii(",\"value\":");
    private static final byte[] NULL = ascii("null");
    private static final byte[] TYPE = ascii("{\"type\":");
    private static final byte[] SIZE = ascii(",\"size\":");

    private final int status;
    /** A refusal's body; null for a delivery report. */
    private final Map<String, Object> refusal;
    private final String clusterId;
    private final RecordAnswer answer;
    private final String keyType;
    private final int keySize;
    private final String valueType;
    private final int valueSize;

    private ProduceReport(int status, Map<String, Object> refusal, String clusterId, RecordAnswer answer,
                          String keyType, int keySize, String valueType, int valueSize) {
        this.status = status;
        this.refusal = refusal;
        this.clusterId = clusterId;
        this.answer = answer;
        this.keyType = keyType;
        this.keySize = keySize;
        this.valueType = valueType;
        this.valueSize = valueSize;
    }

    /** Where a written record went, and the type and size of its key and value (a type is null when there is none). */
    static ProduceReport delivered(String clusterId, RecordAnswer answer, String keyType, int keySize,
                                   String valueType, int valueSize) {
        return new ProduceReport(200, null, clusterId, answer, keyType, keySize, valueType, valueSize);
    }

    static ProduceReport refused(int status, Map<String, Object> body) {
        return new ProduceReport(status, body, null, null, null, 0, null, 0);
    }

    int status() {
        return status;
    }

    boolean delivered() {
        return status == 200;
    }

    /** The report as a JSON object's fields, in the order it is written: records:batch adds its entry's id. */
    Map<String, Object> body() {
        if (refusal != null) {
            return refusal;
        }
        return Json.fields("error_code", 200, "cluster_id", clusterId, "topic_name", answer.partition().topic(),
                "partition_id", answer.partition().partition(), "offset", answer.offset(),
                "timestamp", answer.timestamp().toString(), "key", data(keyType, keySize), "value",
                data(valueType, valueSize));
    }

    private static Map<String, Object> data(String type, int size) {
        return type == null ? null : Json.fields("type", type, "size", size);
    }

    /** One report as a JSON object. */
    static byte[] one(ProduceReport report) {
        return write(List.of(report), false, false);
    }

    /** The reports as one JSON list. */
    static byte[] list(List<ProduceReport> reports) {
        return write(reports, true, false);
    }

    /** The reports one a line, each line ended, as the streaming produce writes them. */
    static byte[] lines(List<ProduceReport> reports) {
        return write(reports, false, true);
    }

    private static byte[] write(List<ProduceReport> reports, boolean asList, boolean asLines) {
        JsonBytes out = new JsonBytes(reports.size() * REPORT_BYTES + 16);
        Texts texts = new Texts();
        if (asList) {
            out.write('[');
        }
        for (int i = 0; i < reports.size(); i++) {
            if (asList && i > 0) {
                out.write(',');
            }
            reports.get(i).write(out, texts);
            if (asLines) {
                out.write('\n');
            }
        }
        if (asList) {
            out.write(']');
        }
        return out.toByteArray();
    }

    /** The report as Jackson writes its {@link #body()}, byte for byte, from bytes prepared once a reply. */
    private void write(JsonBytes out, Texts texts) {
        if (refusal != null) {
            out.write(Json.write(refusal));
            return;
        }
        out.write(ERROR_CODE_200);
        out.writeQuoted(texts.quoted(clusterId));
        out.write(TOPIC_NAME);
        out.writeQuoted(texts.quoted(answer.partition().topic()));
        out.write(PARTITION_ID);
        out.writeNumber(answer.partition().partition());
        out.write(OFFSET);
        out.writeNumber(answer.offset());
        out.write(TIMESTAMP);
        out.writeQuoted(texts.quoted(answer.timestamp()));
        out.write(KEY);
        writeData(out, texts, keyType, keySize);
        out.write(VALUE);
        writeData(out, texts, valueType, valueSize);
        out.write('}');
    }

    private static void writeData(JsonBytes out, Texts texts, String type, int size) {
        if (type == null) {
            out.write(NULL);
            return;
        }
        out.write(TYPE);
        out.writeQuoted(texts.quoted(type));
        out.write(SIZE);
        out.writeNumber(size);
        out.write('}');
    }

    /**
     * The reports of one request mostly repeat their texts (the cluster, the topic, the time the records share,
     * the types): each is escaped and encoded once, and its JSON bytes copied after that.
     */
    private static final class Texts {
        private static final int KEPT = 8;
        private final String[] texts = new String[KEPT];
        private final SerializedString[] quoted = new SerializedString[KEPT];
        private Instant lastTime;
        private SerializedString lastTimeText;

        /** Looked up by identity first: the reports of a request share the very same strings. */
        SerializedString quoted(String text) {
            for (int i = 0; i < KEPT && texts[i] != null; i++) {
                if (texts[i] == text || texts[i].equals(text)) {
                    return quoted[i];
                }
            }
            SerializedString made = new SerializedString(text);
            for (int i = 0; i < KEPT; i++) {
                if (texts[i] == null) {
                    texts[i] = text;
                    quoted[i] = made;
                    break;
                }
            }
            return made;
        }

        SerializedString quoted(Instant time) {
            if (!time.equals(lastTime)) {
                lastTime = time;
                lastTimeText = new SerializedString(time.toString());
            }
            return lastTimeText;
        }
    }
}

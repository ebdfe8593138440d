package toykafka.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import toykafka.broker.Partitions.RecordAnswer;

/**
 * One record's answer to a produce: its HTTP status, and the delivery report (REST Proxy's ProduceResponse) or
 * error written for it. A delivery report is written field by field, with no map in between: in a batch of 500
 * records the reports are most of the reply, and most of the broker's work was building and walking their maps.
 */
final class ProduceReport {

    /** About what one delivery report takes in JSON, to size the reply's buffer once. */
    private static final int REPORT_BYTES = 220;
    private static final SerializedString ERROR_CODE = new SerializedString("error_code");
    private static final SerializedString CLUSTER_ID = new SerializedString("cluster_id");
    private static final SerializedString TOPIC_NAME = new SerializedString("topic_name");
    private static final SerializedString PARTITION_ID = new SerializedString("partition_id");
    private static final SerializedString OFFSET = new SerializedString("offset");
    private static final SerializedString TIMESTAMP = new SerializedString("timestamp");
    private static final SerializedString KEY = new SerializedString("key");
    private static final SerializedString VALUE = new SerializedString("value");
    private static final SerializedString TYPE = new SerializedString("type");
    private static final SerializedString SIZE = new SerializedString("size");
    private static final SerializedString NEW_LINE = new SerializedString("\n");

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
        ByteArrayOutputStream out = new ByteArrayOutputStream(reports.size() * REPORT_BYTES + 16);
        try (JsonGenerator json = Json.MAPPER.createGenerator(out)) {
            json.setRootValueSeparator(NEW_LINE);
            if (asList) {
                json.writeStartArray();
            }
            Texts texts = new Texts();
            for (ProduceReport report : reports) {
                report.write(json, texts);
            }
            if (asList) {
                json.writeEndArray();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a report writes to memory, which cannot fail", e);
        }
        if (asLines && !reports.isEmpty()) {
            out.write('\n');
        }
        return out.toByteArray();
    }

    private void write(JsonGenerator json, Texts texts) throws IOException {
        if (refusal != null) {
            json.writeObject(refusal);
            return;
        }
        json.writeStartObject();
        json.writeFieldName(ERROR_CODE);
        json.writeNumber(200);
        json.writeFieldName(CLUSTER_ID);
        json.writeString(texts.quoted(clusterId));
        json.writeFieldName(TOPIC_NAME);
        json.writeString(texts.quoted(answer.partition().topic()));
        json.writeFieldName(PARTITION_ID);
        json.writeNumber(answer.partition().partition());
        json.writeFieldName(OFFSET);
        json.writeNumber(answer.offset());
        json.writeFieldName(TIMESTAMP);
        json.writeString(texts.quoted(answer.timestamp()));
        json.writeFieldName(KEY);
        writeData(json, texts, keyType, keySize);
        json.writeFieldName(VALUE);
        writeData(json, texts, valueType, valueSize);
        json.writeEndObject();
    }

    private static void writeData(JsonGenerator json, Texts texts, String type, int size) throws IOException {
        if (type == null) {
            json.writeNull();
            return;
        }
        json.writeStartObject();
        json.writeFieldName(TYPE);
        json.writeString(texts.quoted(type));
        json.writeFieldName(SIZE);
        json.writeNumber(size);
        json.writeEndObject();
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

package toykafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import toykafka.broker.BrokerContract;
import toykafka.broker.Partitions;
import toykafka.broker.AppendResult;
import toykafka.broker.FetchParams;
import toykafka.broker.FetchPartition;
import toykafka.broker.OffsetAnswer;
import toykafka.broker.Partitions.ProduceRecord;
import toykafka.broker.Partitions.RecordAnswer;
import toykafka.common.Errors;
import toykafka.common.OffsetRecord;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.testing.RunningBroker;

/**
 * The broker's contract through its HTTP routes: the adapter only translates, records to JSON and back,
 * status codes to Kafka's errors. HTTP reads count records, not bytes, so the byte bounds are not asked of it.
 */
class BrokerContractOverHttpTest extends BrokerContract {

    private static final String TOPICS = RunningBroker.TOPICS;

    @Override
    protected DataApi open(Path dataDir, Map<String, String> settings) {
        return new OverHttp(RunningBroker.overHttp(dataDir, settings));
    }

    private record OverHttp(RunningBroker http) implements DataApi {

        @Override
        public void createTopic(String topic, int partitions, Map<String, String> configs) {
            ObjectNode body = RunningBroker.JSON.createObjectNode().put("topic_name", topic).put("partitions_count", partitions);
            ArrayNode list = body.putArray("configs");
            configs.forEach((name, value) -> list.addObject().put("name", name).put("value", value));
            assertEquals(201, http.post(TOPICS, body.toString()).status());
        }

        @Override
        public List<String> listTopics() {
            List<String> names = new ArrayList<>();
            http.get(TOPICS).json().get("data").forEach(topic -> names.add(topic.get("topic_name").asText()));
            return names;
        }

        @Override
        public Map<TopicPartition, AppendResult> append(Map<TopicPartition, List<Record>> batches) {
            Map<TopicPartition, AppendResult> answers = new LinkedHashMap<>();
            batches.forEach((partition, records) -> {
                List<ProduceRecord> sent = records.stream().map(record -> new ProduceRecord(partition.partition(), record)).toList();
                RunningBroker.Response reply = produce(partition.topic(), sent);
                if (reply.status() != 200) {
                    answers.put(partition, new AppendResult(error(reply), reply.json().get("message").asText(), -1, -1, -1));
                    return;
                }
                JsonNode first = reply.json().get(0);
                long stamped = Instant.parse(first.get("timestamp").asText()).toEpochMilli();
                long logAppendTime = stamped == records.get(0).timestamp().toEpochMilli() ? -1 : stamped;
                answers.put(partition, new AppendResult(Errors.NONE, null, first.get("offset").asLong(), logAppendTime,
                        Long.parseLong(readReply(partition, "offset=latest&timeout=0").header("X-Log-Start-Offset"))));
            });
            return answers;
        }

        @Override
        public List<RecordAnswer> appendRecords(String topic, List<ProduceRecord> records) {
            RunningBroker.Response reply = produce(topic, records);
            List<RecordAnswer> answers = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                if (reply.status() != 200 && reply.status() != 207) {
                    Integer named = records.get(i).partition();
                    answers.add(new RecordAnswer(new TopicPartition(topic, named == null ? -1 : named), -1, null,
                            error(reply), reply.json().get("message").asText()));
                    continue;
                }
                JsonNode entry = reply.json().get(i);
                if (entry.get("error_code").asInt() != 200) { // REST Proxy's error report names no partition: the record did
                    answers.add(new RecordAnswer(new TopicPartition(topic, records.get(i).partition()), -1, null,
                            Errors.valueOf(entry.get("error").asText()), entry.get("message").asText()));
                    continue;
                }
                answers.add(new RecordAnswer(new TopicPartition(topic, entry.get("partition_id").asInt()),
                        entry.get("offset").asLong(), Instant.parse(entry.get("timestamp").asText()), Errors.NONE, null));
            }
            return answers;
        }

        private RunningBroker.Response produce(String topic, List<ProduceRecord> records) {
            ArrayNode body = RunningBroker.JSON.createArrayNode();
            for (ProduceRecord produce : records) {
                ObjectNode json = body.addObject();
                if (produce.partition() != null) {
                    json.put("partition_id", produce.partition());
                }
                Record record = produce.record();
                json.put("key", record.key() == null ? null : record.keyText());
                json.put("value", record.value() == null ? null : record.valueText());
                json.put("timestamp", record.timestamp().toEpochMilli());
            }
            return http.post(TOPICS + "/" + topic + "/records", body.toString());
        }

        @Override
        public Map<TopicPartition, Read> read(FetchParams params) {
            Map<TopicPartition, Read> reads = new LinkedHashMap<>();
            for (FetchPartition wanted : params.partitions()) {
                RunningBroker.Response reply = readReply(wanted.partition(), "offset=" + wanted.offset()
                        + "&max_records=10000&timeout=" + params.maxWait().toMillis());
                if (reply.status() != 200) {
                    JsonNode refusal = reply.json();
                    reads.put(wanted.partition(), new Read(error(reply), refusal.path("log_end_offset").asLong(-1),
                            refusal.path("log_start_offset").asLong(-1), List.of()));
                    continue;
                }
                List<OffsetRecord> records = new ArrayList<>();
                for (JsonNode record : reply.json()) {
                    byte[] key = record.get("key").isNull() ? null : record.get("key").asText().getBytes(StandardCharsets.UTF_8);
                    records.add(new OffsetRecord(record.get("offset").asLong(), new Record(key,
                            record.get("value").asText().getBytes(StandardCharsets.UTF_8),
                            Instant.ofEpochMilli(record.get("timestamp").asLong()), List.of())));
                }
                reads.put(wanted.partition(), new Read(Errors.NONE, Long.parseLong(reply.header("X-End-Offset")),
                        Long.parseLong(reply.header("X-Log-Start-Offset")), records));
            }
            return reads;
        }

        @Override
        public OffsetAnswer listOffsets(TopicPartition partition, long timestamp) {
            String query = timestamp == Partitions.EARLIEST ? "offset=earliest" : timestamp == Partitions.LATEST
                    ? "offset=latest" : "timestamp=" + timestamp;
            RunningBroker.Response reply = readReply(partition, query + "&max_records=1&timeout=0");
            if (reply.status() != 200) {
                return new OffsetAnswer(error(reply), reply.json().get("message").asText(), -1, -1);
            }
            if (timestamp == Partitions.EARLIEST) {
                return new OffsetAnswer(Errors.NONE, null, Long.parseLong(reply.header("X-Log-Start-Offset")), -1);
            }
            if (timestamp == Partitions.LATEST || reply.json().isEmpty()) {
                long end = Long.parseLong(reply.header("X-End-Offset"));
                return timestamp == Partitions.LATEST ? new OffsetAnswer(Errors.NONE, null, end, -1)
                        : new OffsetAnswer(Errors.NONE, null, -1, -1); // no record that late
            }
            JsonNode first = reply.json().get(0);
            return new OffsetAnswer(Errors.NONE, null, first.get("offset").asLong(), first.get("timestamp").asLong());
        }

        private RunningBroker.Response readReply(TopicPartition partition, String query) {
            return http.get("/topics/" + partition.topic() + "/partitions/" + partition.partition() + "/records?" + query);
        }

        private static Errors error(RunningBroker.Response reply) {
            return Errors.valueOf(reply.error());
        }

        @Override
        public boolean boundsBytes() {
            return false;
        }

        @Override
        public void close() {
            http.close();
        }
    }
}

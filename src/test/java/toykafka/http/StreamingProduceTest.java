package toykafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.testing.RunningBroker.TOPICS;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import toykafka.broker.config.BrokerConfig;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.BrokerOnDemand;
import toykafka.testing.RunningBroker;

/**
 * REST Proxy v3's streaming produce, as a client on a raw socket drives it: records trickle over a chunked
 * body and each report is read before the next record is sent. Were the reports held until the body ended,
 * the first read would wait for ever; the socket's read timeout turns that into a failure instead.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StreamingProduceTest {

    @RegisterExtension
    final BrokerOnDemand brokers = new BrokerOnDemand();
    RunningBroker broker;

    private void start(Map<String, String> settings) {
        broker = brokers.overHttp(settings);
        // made in process: over HTTP, a short idle timeout could close the client's connection before its request
        broker.broker().createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
    }

    @Test
    void each_record_is_written_and_reported_as_it_arrives_and_a_bad_one_among_them_costs_only_itself() throws IOException {
        start(Map.of());
        try (ChunkedProducer producer = new ChunkedProducer(broker, "orders")) {
            producer.send("{\"value\":{\"type\":\"STRING\",\"data\":\"cod\"}}");
            assertEquals("HTTP/1.1 200 OK", producer.statusLine(), "the stream is answered 200 before its body ends");
            assertEquals("chunked", producer.header("transfer-encoding"));
            assertTrue(producer.header("content-type").startsWith("application/json"), producer.header("content-type"));
            JsonNode first = producer.nextReport();
            assertEquals(200, first.get("error_code").asInt(), first.toString());
            assertEquals(0, first.get("offset").asLong());
            assertEquals("orders", first.get("topic_name").asText());
            assertEquals("STRING", first.get("value").get("type").asText());
            assertEquals(3, first.get("value").get("size").asInt());
            assertTrue(first.get("key").isNull(), "no key sent, none reported");
            assertEquals(1, endOffset(), "the record is in the log while the body is still open");

            // a record split across two chunks is appended once its last byte is in
            producer.send("{\"key\":{\"type\":\"BINARY\",\"data\":\"Y29k\"},");
            producer.send("\"value\":{\"type\":\"JSON\",\"data\":{\"order\":271}}}\n");
            JsonNode second = producer.nextReport();
            assertEquals(1, second.get("offset").asLong(), second.toString());
            assertEquals("BINARY", second.get("key").get("type").asText());
            assertEquals(3, second.get("key").get("size").asInt(), "the decoded bytes of Y29k");
            assertEquals("JSON", second.get("value").get("type").asText());

            producer.send("{\"value\":{\"type\":\"BINARY\",\"data\":\"%%%\"}}");
            JsonNode bad = producer.nextReport();
            assertEquals(400, bad.get("error_code").asInt(), bad.toString());
            assertTrue(bad.get("message").asText().contains("base64"), bad.toString());

            producer.send("{\"value\":{\"type\":\"AVRO\",\"data\":\"chips\"}}");
            JsonNode avro = producer.nextReport();
            assertEquals(400, avro.get("error_code").asInt(), avro.toString());
            assertTrue(avro.get("message").asText().contains("Schema Registry"), avro.toString());

            producer.send("{\"value\":{\"type\":\"STRING\",\"data\":\"peas\"}}{\"value\":{\"type\":\"STRING\",\"data\":\"rock\"}}");
            assertEquals(2, producer.nextReport().get("offset").asLong(), "the good records after the bad go on");
            assertEquals(3, producer.nextReport().get("offset").asLong());

            producer.end();
            assertNull(producer.nextReport(), "the reply ends when the body does, after the last report");
        }
        JsonNode read = broker.get("/topics/orders/partitions/0/records?offset=0&max_records=10").json();
        assertEquals(4, read.size(), "the four good records, and nothing of the bad ones: " + read);
        assertEquals("rock", read.get(3).get("value").asText());
        assertEquals("", broker.faults());
    }

    @Test
    void broken_json_gets_its_report_and_ends_the_reply_since_no_next_record_can_be_found() throws IOException {
        start(Map.of());
        try (ChunkedProducer producer = new ChunkedProducer(broker, "orders")) {
            producer.send("{\"value\":\"cod\"}");
            assertEquals(200, producer.nextReport().get("error_code").asInt());
            producer.send("{\"value\": ]");
            JsonNode broken = producer.nextReport();
            assertEquals(400, broken.get("error_code").asInt(), broken.toString());
            assertTrue(broken.get("message").asText().contains("not JSON"), broken.toString());
            assertNull(producer.nextReport(), "the reply ends, though the client's body has not");
        }
        assertEquals(1, endOffset());
    }

    @Test
    void a_stream_that_goes_quiet_ends_with_a_408_report_after_the_records_it_delivered() throws IOException {
        start(Map.of(BrokerConfig.IDLE_TIMEOUT_MS, "1000"));
        try (ChunkedProducer producer = new ChunkedProducer(broker, "orders")) {
            producer.send("{\"value\":\"cod\"}");
            assertEquals(0, producer.nextReport().get("offset").asLong());
            JsonNode quiet = producer.nextReport(); // nothing more is sent
            assertEquals(408, quiet.get("error_code").asInt(), quiet.toString());
            assertNull(producer.nextReport());
        }
        assertEquals(1, endOffset(), "the record delivered before the silence stays");
        assertEquals("", broker.faults());
    }

    private long endOffset() {
        return broker.broker().partitions().listOffsets(new toykafka.common.TopicPartition("orders", 0),
                toykafka.broker.Partitions.LATEST).offset();
    }

    /** A producer that writes a chunked request body a piece at a time and reads the chunked reply's lines. */
    static final class ChunkedProducer implements AutoCloseable {
        private final Socket socket = new Socket();
        private final OutputStream out;
        private final InputStream in;
        private final StringBuilder pending = new StringBuilder();
        private final Map<String, String> headers = new java.util.HashMap<>();
        private String statusLine;
        private boolean replyEnded;

        ChunkedProducer(RunningBroker broker, String topic) throws IOException {
            URI address = URI.create(broker.address());
            socket.connect(new InetSocketAddress(address.getHost(), address.getPort()), 5_000);
            socket.setSoTimeout(10_000); // a report that never comes fails the test, never hangs it
            out = socket.getOutputStream();
            in = socket.getInputStream();
            out.write(("POST " + TOPICS + "/" + topic + "/records HTTP/1.1\r\nHost: " + address.getAuthority()
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        void send(String piece) throws IOException {
            byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
            out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        void end() throws IOException {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        String statusLine() throws IOException {
            readHead();
            return statusLine;
        }

        String header(String name) throws IOException {
            readHead();
            return headers.get(name);
        }

        /** The next report line of the reply, or null once the reply has ended. */
        JsonNode nextReport() throws IOException {
            readHead();
            while (pending.indexOf("\n") < 0) {
                if (replyEnded) {
                    assertEquals("", pending.toString().strip(), "the reply ended inside a report");
                    return null;
                }
                readChunk();
            }
            int end = pending.indexOf("\n");
            String line = pending.substring(0, end);
            pending.delete(0, end + 1);
            return RunningBroker.JSON.readTree(line);
        }

        private void readHead() throws IOException {
            if (statusLine != null) {
                return;
            }
            statusLine = line();
            for (String header = line(); !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                headers.put(header.substring(0, colon).trim().toLowerCase(), header.substring(colon + 1).trim());
            }
        }

        private void readChunk() throws IOException {
            String sizeLine = line();
            if (sizeLine.isEmpty()) { // the end of the chunk before, which a server may send only with the next
                sizeLine = line();
            }
            int size = Integer.parseInt(sizeLine.trim(), 16);
            if (size == 0) {
                line(); // the blank line after the last chunk
                replyEnded = true;
                return;
            }
            pending.append(new String(in.readNBytes(size), StandardCharsets.UTF_8));
        }

        private String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new IOException("the connection closed mid-line: " + line);
                }
                if (b != '\r') {
                    line.write(b);
                }
            }
            return line.toString(StandardCharsets.US_ASCII);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}

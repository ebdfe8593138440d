package toykafka.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The HTTP side of the one-thread load: what it sends, and how it reads an answer that comes in pieces, chunked or
 * with a length, and refuses one that did not take every record.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HttpProduceWireTest {

    private static final ManyConnectionsLoad.Shape SHAPE = new ManyConnectionsLoad.Shape(List.of("orders"), 2, 2, 3, 1, 5);
    private static final String TAKEN = "{\"partition\":0,\"offset\":%d,\"error_code\":null,\"error\":null}";

    private final HttpProduceWire wire = new HttpProduceWire();
    private ServerSocketChannel server;
    private SocketChannel client;
    private SocketChannel broker;

    @BeforeEach
    void connect() throws IOException {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = SocketChannel.open(server.getLocalAddress());
        broker = server.accept();
    }

    @AfterEach
    void close() throws IOException {
        client.close();
        broker.close();
        server.close();
    }

    @Test
    void each_partition_gets_a_request_of_its_batch_with_the_values_in_base64() {
        ByteBuffer[] requests = wire.requests(SHAPE, 8082);
        assertEquals(2, requests.length, "one request a partition");
        String second = StandardCharsets.US_ASCII.decode(requests[1].duplicate()).toString();
        assertTrue(second.startsWith("POST /topics/orders/partitions/1 HTTP/1.1\r\n"), second);
        assertTrue(second.contains("Content-Type: application/vnd.kafka.binary.v2+json\r\n"), second);
        String value = Base64.getEncoder().encodeToString("xxxxx".getBytes(StandardCharsets.US_ASCII));
        String body = "{\"records\":[{\"value\":\"" + value + "\"},{\"value\":\"" + value + "\"},{\"value\":\"" + value + "\"}]}";
        assertTrue(second.endsWith("Content-Length: " + body.length() + "\r\n\r\n" + body), second);
    }

    @Test
    void over_http_a_request_writes_one_partition() {
        ManyConnectionsLoad.Shape two = new ManyConnectionsLoad.Shape(List.of("orders"), 2, 1, 3, 2, 5);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> wire.requests(two, 8082));
        assertTrue(refused.getMessage().contains("one partition"), refused.getMessage());
    }

    @Test
    void a_chunked_answer_that_comes_in_pieces_counts_every_record_taken() throws Exception {
        String entries = String.format(TAKEN + "," + TAKEN + "," + TAKEN, 7, 8, 9);
        String json = "{\"key_schema_id\":null,\"value_schema_id\":null,\"offsets\":[" + entries + "]}";
        String first = json.substring(0, 40);
        String rest = json.substring(40);
        ProduceWire.AnswerReader reader = wire.reader(SHAPE);
        send("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(first.length()) + "\r\n" + first);
        assertNull(readFor(reader, 200), "half an answer is not an answer");
        send("\r\n" + Integer.toHexString(rest.length()) + "\r\n" + rest + "\r\n0\r\n\r\n");
        ProduceWire.Answer answer = readWhatCame(reader);
        assertEquals(3, answer.recordsTaken());
        assertFalse(answer.sendAgain());
        send("HTTP/1.1 200 OK\r\nContent-Length: " + json.length() + "\r\n\r\n" + json);
        assertEquals(3, readWhatCame(reader).recordsTaken(), "the next answer on the same connection is read afresh");
    }

    @Test
    void chunks_win_over_a_length_and_nothing_may_follow_an_answer() throws Exception {
        String json = "{\"offsets\":[" + String.format(TAKEN, 1) + "]}";
        ProduceWire.AnswerReader reader = wire.reader(SHAPE);
        send("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(json.length()) + "\r\n" + json + "\r\n0\r\n\r\n");
        assertEquals(1, readWhatCame(reader).recordsTaken());
        send("HTTP/1.1 200 OK\r\nContent-Length: " + json.length() + "\r\n\r\n" + json + "HTTP/1.1 200 OK\r\n");
        IllegalStateException more = assertThrows(IllegalStateException.class, () -> readWhatCame(reader));
        assertTrue(more.getMessage().contains("bytes came after a whole answer"), more.getMessage());
    }

    @Test
    void a_record_refused_fails_the_load_naming_the_error() throws Exception {
        String json = "{\"offsets\":[" + String.format(TAKEN, 1) + ",{\"partition\":null,\"offset\":null,\"error_code\": 2,"
                + "\"error\":\"the partition's leader is elsewhere\"}]}";
        send("HTTP/1.1 200 OK\r\nContent-Length: " + json.length() + "\r\n\r\n" + json);
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> readWhatCame(wire.reader(SHAPE)));
        assertTrue(refused.getMessage().contains("the partition's leader is elsewhere"), refused.getMessage());
    }

    @Test
    void an_answer_other_than_200_fails_the_load_with_its_status_and_body() throws Exception {
        String json = "{\"error_code\":40402,\"message\":\"there is no partition 9\"}";
        send("HTTP/1.1 404 Not Found\r\nContent-Length: " + json.length() + "\r\n\r\n" + json);
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> readWhatCame(wire.reader(SHAPE)));
        assertTrue(refused.getMessage().contains("404 Not Found") && refused.getMessage().contains("there is no partition 9"),
                refused.getMessage());
    }

    private void send(String text) throws IOException {
        ByteBuffer bytes = StandardCharsets.US_ASCII.encode(text);
        while (bytes.hasRemaining()) {
            broker.write(bytes);
        }
    }

    /** Reads until the answer is whole, waiting as long as a busy machine may take to deliver what was sent. */
    private ProduceWire.Answer readWhatCame(ProduceWire.AnswerReader reader) throws Exception {
        return readFor(reader, 10_000);
    }

    /** Reads what comes for {@code millis}: null if no whole answer came. */
    private ProduceWire.Answer readFor(ProduceWire.AnswerReader reader, long millis) throws Exception {
        client.configureBlocking(false);
        long deadline = System.nanoTime() + millis * 1_000_000;
        ProduceWire.Answer answer = reader.read(client, false);
        while (answer == null && System.nanoTime() < deadline) {
            Thread.sleep(5);
            answer = reader.read(client, false);
        }
        return answer;
    }
}

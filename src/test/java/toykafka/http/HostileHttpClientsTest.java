package toykafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import toykafka.broker.config.BrokerConfig;
import toykafka.testing.RunningBroker;

/**
 * Requests no well-behaved client sends, each at the socket: the broker answers every one with its own JSON
 * error, or closes the connection, and goes on serving. A client that goes away halfway leaves nothing behind.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HostileHttpClientsTest {

    @TempDir
    Path dataDir;
    private RunningBroker broker;

    @BeforeEach
    void start() {
        broker = RunningBroker.overHttp(dataDir, Map.of(BrokerConfig.KAFKA_PORT, "19092"));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    static Stream<Arguments> malformed() {
        String topics = RunningBroker.TOPICS;
        return Stream.of(
                Arguments.of("a Content-Length that is not a number",
                        "POST " + topics + " HTTP/1.1\r\nHost: h\r\nContent-Length: twelve\r\n\r\n{}"),
                Arguments.of("two Content-Lengths that disagree",
                        "POST " + topics + " HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}"),
                Arguments.of("a negative Content-Length",
                        "POST " + topics + " HTTP/1.1\r\nHost: h\r\nContent-Length: -5\r\n\r\n{}"),
                Arguments.of("lines that end in a bare LF", "GET / HTTP/1.1\nHost: h\n\n"),
                Arguments.of("a URL of a million bytes", "GET /" + "a".repeat(1_000_000) + " HTTP/1.1\r\nHost: h\r\n\r\n"),
                Arguments.of("ten thousand headers", "GET / HTTP/1.1\r\nHost: h\r\n" + "X-Many: yes\r\n".repeat(10_000) + "\r\n"),
                Arguments.of("no Host header", "GET / HTTP/1.1\r\n\r\n"),
                Arguments.of("a request line that is not HTTP", "HELLO broker, are you there?\r\n\r\n"),
                Arguments.of("a version that does not exist", "GET / HTTP/7.3\r\nHost: h\r\n\r\n"));
    }

    @Test
    void http_2_with_prior_knowledge_gets_a_json_426_that_says_to_speak_http_1_1() throws IOException {
        String answer = exchange("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 426 "), head(answer));
        JsonNode error = RunningBroker.JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertEquals(426, error.get("error_code").asInt(), answer);
        assertTrue(error.get("message").asText().contains("HTTP/1.1"), answer);
        assertEquals(200, broker.get("/").status(), "and the broker goes on serving HTTP/1.1");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void a_malformed_request_gets_a_json_refusal_or_a_closed_connection_never_an_html_page(String what, String request)
            throws IOException {
        String answer = exchange(request);
        if (!answer.isEmpty()) {
            int status = Integer.parseInt(answer.substring(9, 12));
            // 505 is HTTP's own answer to a version it does not speak; every other mistake is a 4xx
            assertTrue(status >= 400 && status < 500 || status == 505, what + " is the client's mistake: " + head(answer));
            assertTrue(answer.toLowerCase().contains("content-type: application/json"), what + ": " + head(answer));
            assertFalse(answer.toLowerCase().contains("<html"), what + " answered with a page: " + head(answer));
            JsonNode error = RunningBroker.JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertEquals(status, error.get("error_code").asInt(), answer);
            assertTrue(error.get("message").asText().length() > 10, "the refusal says what was wrong: " + error);
        }
        assertEquals(200, broker.get("/").status(), "the broker goes on serving after " + what);
        assertEquals("", broker.faults(), "a client's mistake is no fault of the broker's");
    }

    @Test
    void a_thousand_half_sent_requests_leave_no_descriptor_behind() throws Exception {
        assertEquals(200, broker.get("/").status());
        int before = OpenFiles.count();
        for (int i = 0; i < 1000; i++) {
            try (Socket socket = connect()) {
                socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: x" + i + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
        }
        int settled = OpenFiles.settleAtMost(before + 10);
        assertTrue(settled <= before + 10, "descriptors: " + before + " before, " + settled + " after the half-sent requests");
        assertEquals(200, broker.get("/").status());
    }

    @Test
    void a_body_that_stops_arriving_is_refused_when_the_idle_timeout_ends_it() throws Exception {
        broker.close();
        broker = RunningBroker.overHttp(dataDir, Map.of(BrokerConfig.IDLE_TIMEOUT_MS, "500"));
        try (Socket socket = connect()) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + RunningBroker.TOPICS + " HTTP/1.1\r\nHost: " + URI.create(broker.address()).getAuthority()
                    + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{\"topic_name\":").getBytes(StandardCharsets.US_ASCII));
            String answer = readAll(socket.getInputStream());
            assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 408") || answer.startsWith("HTTP/1.1 400"), head(answer));
        }
        assertEquals(0, broker.broker().listTopics().stream().filter(name -> !name.startsWith("__")).count(),
                "half a body creates nothing");
    }

    @Test
    void a_kafka_client_given_the_http_port_is_named_in_the_log_with_the_kafka_port() throws IOException {
        // ApiVersions v3, as kafka-clients opens every connection: size, api key 18, version 3, correlation id 1
        ByteBuffer frame = ByteBuffer.allocate(4 + 10).putInt(10).putShort((short) 18).putShort((short) 3).putInt(1)
                .putShort((short) -1);
        try (Socket socket = connect()) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(frame.array());
            assertEquals("", readAll(socket.getInputStream()), "no HTTP answer a Kafka client would misread: closed");
        }
        String log = broker.faults();
        assertTrue(log.contains("Kafka's binary protocol") && log.contains("api key 18") && log.contains("19092"),
                "one line says what came and where Kafka clients go: " + log);
        assertEquals(200, broker.get("/").status());
    }

    private Socket connect() throws IOException {
        URI address = URI.create(broker.address());
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(address.getHost(), address.getPort()), 5_000);
        return socket;
    }

    /** Sends the bytes and reads until the broker closes the connection or answers whole. */
    private String exchange(String request) throws IOException {
        try (Socket socket = connect()) {
            socket.setSoTimeout(10_000);
            try {
                socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            } catch (IOException closedWhileSending) {
                // the broker refused before it had read it all, and may have closed: read what it said
            }
            return readAll(socket.getInputStream());
        }
    }

    /** What the broker sent until it closed the connection, or until a reply with a Content-Length was whole. */
    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try {
            int n;
            while ((n = in.read(chunk)) > 0) {
                got.write(chunk, 0, n);
                if (whole(got.toString(StandardCharsets.ISO_8859_1))) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the broker neither answered nor closed within 10 s; it had sent: " + got, e);
        } catch (IOException reset) {
            // closed with a reset: what arrived before it is the answer
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }

    private static boolean whole(String answer) {
        int end = answer.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String headers = answer.substring(0, end).toLowerCase();
        int at = headers.indexOf("content-length:");
        if (at < 0) {
            return false;
        }
        int length = Integer.parseInt(headers.substring(at + 15).split("\r\n")[0].trim());
        return answer.length() >= end + 4 + length;
    }

    private static String head(String answer) {
        assertNotNull(answer);
        return answer.length() > 300 ? answer.substring(0, 300) + "..." : answer;
    }
}

package toykafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.testing.RunningBroker.TOPICS;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.config.BrokerConfig;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * A web page the learner opens can send requests to the broker on their machine; it must not be able to
 * change anything there. These requests carry what a browser sends (Origin, Sec-Fetch-Site, a text/plain
 * body, a Host of the page's own) or what curl sends (no Origin, a form-urlencoded body for {@code -d}),
 * written byte for byte on a socket, since a Java client will not send a Host of our choosing.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CrossSiteRequestsTest {

    private static final String EVIL = "http://evil.example";

    @StartedBroker(FrontEnd.HTTP)
    RunningBroker broker;
    private static final Map<String, String> BROWSER_ELSEWHERE = Map.of("Origin", EVIL, "Sec-Fetch-Site", "cross-site",
            "Sec-Fetch-Mode", "no-cors", "Content-Type", "text/plain;charset=UTF-8");

    /** A raw reply: status, headers (names in lower case), body. */
    record Raw(int status, Map<String, String> headers, String body) {
        JsonNode json() {
            try {
                return RunningBroker.JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String message() {
            return json().get("message").asText();
        }
    }

    @BeforeEach
    void start() {
        assertEquals(201, broker.post(TOPICS, "{\"topic_name\":\"orders\",\"partitions_count\":1}").status());
        assertEquals("1", broker.post("/put/kaflog", "cod").text());
    }

    @Test
    void a_page_on_another_site_can_change_nothing_by_any_route() {
        Map<String, Long> before = broker.dataFiles();
        List<String[]> writes = List.of(
                new String[] {"POST", TOPICS, "{\"topic_name\":\"planted\"}"},
                new String[] {"POST", TOPICS + "/orders/records", "{\"value\":\"planted\"}"},
                new String[] {"DELETE", TOPICS + "/orders", ""},
                new String[] {"POST", "/topic", "{\"topic\":\"planted\"}"},
                new String[] {"POST", "/publish", "{\"topic\":\"orders\",\"payload\":1}"},
                new String[] {"POST", "/put/kaflog", "planted"},
                new String[] {"POST", "/archive/kaflog?upto=1", ""},
                new String[] {"POST", "/consumers/planted", "{\"name\":\"spy\"}"});
        for (String[] write : writes) {
            Raw reply = send(write[0], write[1], BROWSER_ELSEWHERE, write[2]);
            assertEquals(403, reply.status(), write[0] + " " + write[1] + ": " + reply.body());
            assertTrue(reply.message().contains(EVIL), "names the page's origin: " + reply.body());
            assertTrue(reply.message().contains(BrokerConfig.HTTP_ALLOWED_ORIGINS), "names the setting: " + reply.body());
            assertNull(reply.headers().get("access-control-allow-origin"), "the page may not read the refusal either");
        }
        // a read is refused too: the broker's data is not the page's to see
        assertEquals(403, send("GET", TOPICS + "/orders", Map.of("Origin", EVIL), null).status());
        assertEquals(403, send("POST", "/put/kaflog", Map.of("Origin", "null"), "planted").status(),
                "a page opened from a file sends Origin: null, and is no more the broker's own");
        assertEquals(before, broker.dataFiles(), "nothing written");
        assertEquals(List.of("__broker_stats", "__consumer_offsets", "kaflog", "orders"), broker.broker().listTopics());
        assertEquals("KAF_MSGS|v1|1\nKAF_MSG|1|3\ncod", broker.get("/get/kaflog?from=1").text(), "nothing archived");
    }

    @Test
    void a_write_that_sec_fetch_site_says_comes_from_another_site_is_refused_even_without_an_origin() {
        Raw reply = send("POST", "/put/kaflog", Map.of("Sec-Fetch-Site", "cross-site", "Content-Type", "text/plain"), "x");
        assertEquals(403, reply.status(), reply.body());
        assertTrue(reply.message().contains("Sec-Fetch-Site"), reply.body());
        assertEquals(200, send("GET", "/get/kaflog?from=1", Map.of("Sec-Fetch-Site", "cross-site"), null).status(),
                "a link followed from another site still reads: a GET changes nothing");
    }

    @Test
    void the_brokers_own_pages_and_its_loopback_names_are_its_own_origin() {
        int port = port();
        for (String origin : List.of("http://127.0.0.1:" + port, "http://localhost:" + port)) {
            Raw reply = send("POST", TOPICS + "/orders/records", Map.of("Origin", origin, "Content-Type",
                    "application/json"), "{\"value\":\"chips\"}");
            assertEquals(200, reply.status(), origin + ": " + reply.body());
        }
        assertEquals(403, send("GET", "/", Map.of("Origin", "http://127.0.0.1:" + (port + 1)), null).status(),
                "another port on the same machine is another origin");
        assertEquals(403, send("GET", "/", Map.of("Origin", "https://127.0.0.1:" + port), null).status(),
                "and so is another scheme");
    }

    @Test
    void an_origin_the_settings_name_may_use_the_broker_and_read_its_replies() {
        broker.restartWith(Map.of(BrokerConfig.HTTP_ALLOWED_ORIGINS, "http://localhost:3000"));
        Raw preflight = send("OPTIONS", TOPICS + "/orders/records", Map.of("Origin", "http://localhost:3000",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type"), null);
        assertEquals(204, preflight.status(), preflight.body());
        assertEquals("http://localhost:3000", preflight.headers().get("access-control-allow-origin"));
        assertTrue(preflight.headers().get("access-control-allow-methods").contains("POST"));
        Raw produced = send("POST", TOPICS + "/orders/records", Map.of("Origin", "http://localhost:3000",
                "Content-Type", "application/json"), "{\"value\":\"chips\"}");
        assertEquals(200, produced.status(), produced.body());
        assertEquals("http://localhost:3000", produced.headers().get("access-control-allow-origin"));
        Raw other = send("POST", TOPICS + "/orders/records", Map.of("Origin", EVIL, "Content-Type", "application/json"),
                "{\"value\":\"chips\"}");
        assertEquals(403, other.status(), other.body());
        assertTrue(other.message().contains("http://localhost:3000"), "names what the setting allows: " + other.body());
    }

    @Test
    void a_host_that_is_not_the_brokers_is_refused_and_never_repeated() {
        // DNS rebinding: evil.example resolves to 127.0.0.1, so the page's requests are same-origin to the browser
        int port = port();
        Map<String, String> rebound = Map.of("Host", "evil.example:" + port, "Origin", "http://evil.example:" + port);
        List<Raw> replies = List.of(
                send("GET", "/", rebound, null),
                send("GET", "/", Map.of("Host", "evil.example"), null),
                send("GET", TOPICS + "/orders", Map.of("Host", "evil.example:" + port), null),
                send("POST", "/consumers/kitchen", Map.of("Host", "evil.example:" + port, "Content-Type", "application/json"),
                        "{\"name\":\"fryer\"}"),
                send("POST", "/put/kaflog", Map.of("Host", "evil.example:" + port), "planted"));
        for (Raw reply : replies) {
            assertEquals(421, reply.status(), reply.body());
            assertTrue(reply.message().contains("http://127.0.0.1:" + port), "names the broker's address: " + reply.body());
            assertFalse((reply.headers() + reply.body()).toLowerCase(Locale.ROOT).contains("evil.example"),
                    "the Host sent is never repeated: " + reply.body());
        }
        assertEquals(421, send("GET", "/", Map.of("Host", "127.0.0.1:" + (port + 1)), null).status(),
                "the broker's name with another port is not the broker");
        assertEquals("KAF_MSGS|v1|1\nKAF_MSG|1|3\ncod", broker.get("/get/kaflog?from=1").text(), "nothing written");
    }

    @Test
    void the_index_and_consumer_links_come_from_the_configured_listener_and_show_no_absolute_path() {
        int port = port();
        Raw index = send("GET", "/", Map.of("Host", "localhost:" + port), null);
        assertEquals(200, index.status(), index.body());
        assertEquals("http://127.0.0.1:" + port, index.json().get("base_uri").asText(),
                "links start from the configured listener, not from the Host header");
        assertEquals(broker.dataDir().getFileName().toString(), index.json().get("data_dir").asText(), "the folder's name only");
        assertFalse(index.body().contains(broker.dataDir().toAbsolutePath().getParent().toString()),
                "where the data lies on this machine is not shown: " + index.body());
        Raw member = send("POST", "/consumers/kitchen", Map.of("Host", "localhost:" + port, "Content-Type",
                "application/json"), "{\"name\":\"fryer\"}");
        assertEquals(200, member.status(), member.body());
        assertEquals("http://127.0.0.1:" + port + "/consumers/kitchen/instances/fryer",
                member.json().get("base_uri").asText());
    }

    @Test
    void a_json_route_refuses_the_body_types_a_page_sends_without_asking_and_names_the_type_it_takes() {
        for (String type : List.of("text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x")) {
            Raw reply = send("POST", TOPICS + "/orders/records", Map.of("Content-Type", type), "{\"value\":\"chips\"}");
            assertEquals(415, reply.status(), type + ": " + reply.body());
            assertTrue(reply.message().contains("application/json"), reply.body());
            assertEquals("INVALID_REQUEST", reply.json().get("error").asText());
        }
        Raw katar = send("POST", "/publish", Map.of("Content-Type", "text/plain"), "{\"topic\":\"orders\",\"payload\":1}");
        assertEquals(415, katar.status(), "Katar's routes take JSON too: " + katar.body());
        assertEquals(200, send("POST", TOPICS + "/orders/records", Map.of("Content-Type", "application/json; charset=utf-8"),
                "{\"value\":\"chips\"}").status());
        assertEquals(200, send("POST", TOPICS + "/orders/records", Map.of(), "{\"value\":\"chips\"}").status(),
                "a body with no type is taken: only a script sends one, never a page without asking");
        assertEquals(2, broker.broker().describeTopic("orders").partitions().get(0).endOffset(), "the refused wrote nothing");
    }

    @Test
    void kafs_and_katars_curl_lines_work_unchanged() {
        // curl localhost:7749 /put/testlog -d @notes, as Kaf's README has it: -d sends a form-urlencoded body
        Map<String, String> curlData = new LinkedHashMap<>(Map.of("User-Agent", "curl/8.5.0", "Accept", "*/*",
                "Content-Type", "application/x-www-form-urlencoded"));
        assertEquals("1", send("POST", "/put/testlog", curlData, "{\"id\":1,\"data\":\"First Record\"}").body());
        assertEquals("2", send("POST", "/put/testlog", curlData, "{\"id\":2,\"data\":\"Second Record\"}").body());
        Map<String, String> curl = Map.of("User-Agent", "curl/8.5.0", "Accept", "*/*");
        assertEquals("{\"id\":1,\"data\":\"First Record\"}\n{\"id\":2,\"data\":\"Second Record\"}\n",
                send("GET", "/get/testlog?from=1&format=raw", curl, null).body());
        assertEquals("[{\"id\":1,\"data\":\"First Record\"},\n{\"id\":2,\"data\":\"Second Record\"}]",
                send("GET", "/get/testlog?from=1&format=json", curl, null).body());
        assertTrue(send("GET", "/get/testlog?from=1", curl, null).body().startsWith("KAF_MSGS|v1|2"));
        assertEquals("2", send("POST", "/archive/testlog?upto=1", curl, null).body(), "archive is the POST Kaf's README asks for");
        Raw asGet = send("GET", "/archive/testlog?upto=2", curl, null);
        assertEquals(405, asGet.status(), asGet.body());
        assertTrue(asGet.message().contains("POST"), "the refusal names the method to use: " + asGet.body());
        // Katar's API as curl -d calls it
        assertEquals(201, send("POST", "/topic", curlData, "{\"topic\":\"sample\"}").status());
        assertEquals(200, send("POST", "/publish", curlData, "{\"topic\":\"sample\",\"payload\":{\"a\":1}}").status());
        Raw read = send("POST", "/subscribe", curlData, "{\"topic\":\"sample\",\"offset\":0}");
        assertEquals(1, read.json().get("log").get("payload").get("a").asInt(), read.body());
        assertEquals(200, send("PATCH", "/topic/sample", curlData, "{\"max_segment_size\":1048576}").status());
        assertEquals(200, send("GET", "/topic", curl, null).status());
    }

    private int port() {
        return URI.create(broker.address()).getPort();
    }

    /**
     * One request on its own connection, as written here: a Host naming the broker unless the headers give
     * one, and the body with its length.
     */
    private Raw send(String method, String path, Map<String, String> headers, String body) {
        URI address = URI.create(broker.address());
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        if (!headers.containsKey("Host")) {
            request.append("Host: ").append(address.getHost()).append(':').append(address.getPort()).append("\r\n");
        }
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        if (body != null) {
            request.append("Content-Length: ").append(bytes.length).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        try (Socket socket = new Socket(address.getHost(), address.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return parse(readAll(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    private static Raw parse(byte[] reply) {
        String text = new String(reply, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, end).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        return new Raw(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(end + 4));
    }
}

package toykafka.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.Authenticator;
import java.net.PasswordAuthentication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.security.AccessControlEntry;
import toykafka.broker.security.AclBinding;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.AclPermissionType;
import toykafka.broker.security.PatternType;
import toykafka.broker.security.PlainJaasConfig;
import toykafka.broker.security.ResourcePattern;
import toykafka.broker.security.ResourceType;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;
import toykafka.testing.StartedBroker.Setting;

/**
 * The HTTP port with REST Proxy's {@code authentication.method=BASIC} and Kafka's StandardAuthorizer, driven by curl
 * and by the JDK's HttpClient with an Authenticator: a request without credentials, or with wrong ones, gets 401
 * and a Basic challenge and nothing of the route; the Kafka port's SASL users (a PLAIN user of the JAAS line, a
 * SCRAM user made through Kafka's Admin) are the HTTP port's users; and each is refused, 403 with 40301, what the
 * ACLs do not allow it, as on the Kafka port.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HttpAuthenticationTest {

    private static final String RECORDS = RunningBroker.TOPICS + "/orders/records";

    @StartedBroker(value = {FrontEnd.CONSOLE, FrontEnd.KAFKA}, settings = {
            @Setting(name = "listeners", value = "PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0"),
            @Setting(name = "listener.name.sasl_plaintext.sasl.enabled.mechanisms", value = "PLAIN,SCRAM-SHA-512"),
            @Setting(name = "listener.name.sasl_plaintext.plain.sasl.jaas.config",
                    value = "org.apache.kafka.common.security.plain.PlainLoginModule required"
                            + " user_admin=\"admin-secret\" user_bob=\"bob-secret\";"),
            @Setting(name = "authentication.method", value = "BASIC"),
            @Setting(name = "authorizer.class.name", value = "org.apache.kafka.metadata.authorizer.StandardAuthorizer"),
            @Setting(name = "super.users", value = "User:admin")})
    RunningBroker broker;

    @BeforeEach
    void topicsUsersAndAcls() throws Exception {
        for (String topic : List.of("orders", "secret")) {
            broker.broker().createTopic(topic, 1, Map.of(), OnDuplicate.FAIL);
        }
        scramUser("alice", "alice-secret");
        allow("User:alice", ResourceType.TOPIC, "orders", AclOperation.READ);
        allow("User:alice", ResourceType.GROUP, "readers", AclOperation.READ);
        allow("User:bob", ResourceType.TOPIC, "orders", AclOperation.WRITE);
    }

    /** A SCRAM user made as Kafka's tools make one: by the admin, over the Kafka port's SASL listener. */
    private void scramUser(String user, String password) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.front().bootstrapServers("SASL_PLAINTEXT"), "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "PLAIN", "sasl.jaas.config", PlainJaasConfig.PLAIN_LOGIN_MODULE
                        + " required username=\"admin\" password=\"admin-secret\";"))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password))).all().get();
        }
    }

    private void allow(String principal, ResourceType type, String name, AclOperation operation) {
        broker.broker().access().authorizer().orElseThrow().createAcls(List.of(new AclBinding(
                        new ResourcePattern(type, name, PatternType.LITERAL),
                        new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW))))
                .forEach(result -> assertNull(result.exception()));
    }

    @Test
    void curl_without_credentials_gets_rest_proxys_401_and_a_basic_challenge_and_nothing_of_the_route() throws Exception {
        Curl reply = curl("-s", "-i", broker.address() + RunningBroker.TOPICS);
        assertEquals(401, reply.status(), reply.text());
        assertEquals("Basic realm=\"KafkaRest\", charset=\"UTF-8\"", reply.header("WWW-Authenticate"));
        assertEquals(401, reply.json().get("error_code").asInt(), reply.text());
        assertEquals("Unauthorized", reply.json().get("message").asText());
        assertFalse(reply.text().contains("orders"), "the route is not served: " + reply.text());
        Curl noRoute = curl("-s", "-i", broker.address() + "/no/such/route");
        assertEquals(401, noRoute.status(), "a stranger learns not even which routes exist: " + noRoute.text());
    }

    @Test
    void a_wrong_password_or_an_unknown_user_is_401_alike() throws Exception {
        for (String wrong : List.of("bob:not-bob", "alice:bob-secret", "nobody:secret")) {
            Curl reply = curl("-s", "-i", "-u", wrong, broker.address() + RunningBroker.TOPICS);
            assertEquals(401, reply.status(), wrong + ": " + reply.text());
            assertEquals("Unauthorized", reply.json().get("message").asText(), "nothing says which part was wrong");
            assertTrue(reply.header("WWW-Authenticate").startsWith("Basic realm="), reply.text());
        }
    }

    @Test
    void a_plain_user_of_the_jaas_line_produces_with_curl_and_may_not_read_what_it_may_only_write() throws Exception {
        Curl produced = curl("-s", "-i", "-u", "bob:bob-secret", "-H", "Content-Type: application/json", "-d",
                "{\"value\":{\"type\":\"STRING\",\"data\":\"cod\"}}", broker.address() + RECORDS);
        assertEquals(200, produced.status(), produced.text());
        assertEquals(200, produced.json().get("error_code").asInt(), produced.text());
        Curl read = curl("-s", "-i", "-u", "bob:bob-secret", broker.address() + RunningBroker.TOPICS
                + "/orders/partitions/0/records?offset=0");
        assertEquals(403, read.status(), read.text());
        assertEquals(40301, read.json().get("error_code").asInt());
        assertTrue(read.json().get("message").asText().startsWith("Not authorized to access topics: [orders]"),
                read.text());
    }

    @Test
    void a_scram_user_with_read_on_a_topic_reads_it_through_javas_authenticator_and_is_refused_a_produce()
            throws Exception {
        curl("-s", "-u", "admin:admin-secret", "-H", "Content-Type: application/json", "-d",
                "{\"value\":{\"type\":\"STRING\",\"data\":\"chips\"}}", broker.address() + RECORDS);
        HttpClient alice = HttpClient.newBuilder().authenticator(new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication("alice", "alice-secret".toCharArray());
            }
        }).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> read = alice.send(HttpRequest.newBuilder(URI.create(broker.address()
                + "/topics/orders/partitions/0/records?offset=0")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, read.statusCode(), read.body());
        assertTrue(read.body().contains("chips"), read.body());
        HttpResponse<String> produce = alice.send(HttpRequest.newBuilder(URI.create(broker.address() + RECORDS))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"value\":{\"type\":\"STRING\",\"data\":\"more\"}}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, produce.statusCode(), produce.body());
        JsonNode refused = RunningBroker.JSON.readTree(produce.body());
        assertEquals(40301, refused.get("error_code").asInt());
        assertEquals("TOPIC_AUTHORIZATION_FAILED", refused.get("error").asText());
        assertTrue(refused.get("message").asText().startsWith("Not authorized to access topics: [orders]"),
                produce.body());
    }

    @Test
    void a_changed_scram_password_is_checked_afresh_not_remembered() throws Exception {
        String topics = broker.address() + RunningBroker.TOPICS;
        assertEquals(200, curl("-s", "-i", "-u", "alice:alice-secret", topics).status());
        assertEquals(200, curl("-s", "-i", "-u", "alice:alice-secret", topics).status(), "again, remembered");
        scramUser("alice", "alice-new-secret");
        assertEquals(401, curl("-s", "-i", "-u", "alice:alice-secret", topics).status(), "the old password is gone");
        assertEquals(200, curl("-s", "-i", "-u", "alice:alice-new-secret", topics).status());
    }

    @Test
    void a_topic_list_shows_only_what_the_principal_may_describe() throws Exception {
        assertEquals(List.of("orders"), names(curl("-s", "-i", "-u", "alice:alice-secret",
                broker.address() + RunningBroker.TOPICS).json().get("data"), "topic_name"));
        Curl v2 = curl("-s", "-i", "-u", "alice:alice-secret", broker.address() + "/topics");
        assertEquals("[\"orders\"]", v2.text().substring(v2.text().indexOf("\r\n\r\n") + 4), v2.text());
        Curl described = curl("-s", "-i", "-u", "alice:alice-secret", broker.address() + RunningBroker.TOPICS + "/secret");
        assertEquals(403, described.status(), "a topic it may not describe is refused by name: " + described.text());
        List<String> all = names(curl("-s", "-i", "-u", "admin:admin-secret",
                broker.address() + RunningBroker.TOPICS).json().get("data"), "topic_name");
        assertTrue(all.containsAll(List.of("orders", "secret")), "a super user sees every topic: " + all);
    }

    @Test
    void a_consumer_instance_reads_for_a_principal_with_read_on_its_group_and_topic_only() throws Exception {
        String v2 = "application/vnd.kafka.v2+json";
        Curl created = curl("-s", "-i", "-u", "alice:alice-secret", "-H", "Content-Type: " + v2, "-d",
                "{\"name\":\"a\",\"format\":\"json\",\"auto.offset.reset\":\"earliest\"}", broker.address() + "/consumers/readers");
        assertEquals(200, created.status(), created.text());
        Curl subscribed = curl("-s", "-i", "-u", "alice:alice-secret", "-H", "Content-Type: " + v2, "-d",
                "{\"topics\":[\"secret\"]}", broker.address() + "/consumers/readers/instances/a/subscription");
        assertEquals(403, subscribed.status(), "a topic it may not read: " + subscribed.text());
        Curl taken = curl("-s", "-i", "-u", "admin:admin-secret", broker.address()
                + "/consumers/readers/instances/a/subscription");
        assertEquals(403, taken.status(), "an instance serves only the principal that made it: " + taken.text());
        Curl own = curl("-s", "-i", "-u", "alice:alice-secret", "-H", "Content-Type: " + v2, "-d",
                "{\"topics\":[\"orders\"]}", broker.address() + "/consumers/readers/instances/a/subscription");
        assertEquals(204, own.status(), own.text());
        curl("-s", "-u", "bob:bob-secret", "-H", "Content-Type: application/json", "-d",
                "{\"value\":{\"type\":\"JSON\",\"data\":{\"fish\":\"cod\"}}}", broker.address() + RECORDS);
        String polled = "";
        for (int attempt = 0; attempt < 20 && !polled.contains("cod"); attempt++) { // the first polls join the group
            polled = curl("-s", "-u", "alice:alice-secret", "-H", "Accept: application/vnd.kafka.json.v2+json",
                    broker.address() + "/consumers/readers/instances/a/records?timeout=500").text();
        }
        assertTrue(polled.contains("\"fish\":\"cod\""), "alice's instance reads what bob wrote: " + polled);
        Curl otherGroup = curl("-s", "-i", "-u", "bob:bob-secret", "-H", "Content-Type: " + v2, "-d",
                "{\"name\":\"b\"}", broker.address() + "/consumers/readers");
        assertEquals(403, otherGroup.status(), otherGroup.text());
        assertTrue(otherGroup.json().get("message").asText().startsWith("Not authorized to access group: readers"),
                otherGroup.text());
        assertEquals("GROUP_AUTHORIZATION_FAILED", otherGroup.json().get("error").asText());
    }

    @Test
    void the_console_asks_a_browser_for_credentials_and_shows_only_what_may_be_described() throws Exception {
        Curl page = curl("-s", "-i", broker.address() + "/console");
        assertEquals(401, page.status(), page.text());
        assertTrue(page.header("WWW-Authenticate").startsWith("Basic realm=\"KafkaRest\""), page.text());
        Curl signedIn = curl("-s", "-i", "-u", "alice:alice-secret", broker.address() + "/console");
        assertEquals(200, signedIn.status());
        Curl overview = curl("-s", "-i", "-u", "alice:alice-secret", broker.address() + "/console/api/overview");
        assertEquals(List.of("orders"), names(overview.json().get("topics"), "name"), overview.text());
    }

    @Test
    void hostile_authorization_headers_get_a_clear_401_and_an_enormous_one_a_431_never_a_stack_trace()
            throws Exception {
        Map<String, String> refusals = Map.of(
                "Basic !!!not-base64!!!", "not base64",
                "Basic " + base64("no-colon-here"), "user:password",
                "Basic " + base64(":secret"), "user:password",
                "Bearer abc.def.ghi", "Basic credentials only",
                "Basic", "user:password");
        for (Map.Entry<String, String> hostile : refusals.entrySet()) {
            Curl reply = curl("-s", "-i", "-H", "Authorization: " + hostile.getKey(), broker.address() + "/topics");
            assertEquals(401, reply.status(), hostile.getKey() + ": " + reply.text());
            assertTrue(reply.json().get("message").asText().contains(hostile.getValue()), reply.text());
            assertFalse(reply.text().contains("Exception"), reply.text());
        }
        Curl enormous = curl("-s", "-i", "-H", "Authorization: Basic " + "A".repeat(9000), broker.address() + "/topics");
        assertEquals(431, enormous.status(), enormous.text());
        assertTrue(enormous.json().get("message").asText().contains("8 KiB"), enormous.text());
        assertEquals("", broker.faults(), "no refusal is a fault of the broker's own");
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> names(JsonNode list, String field) {
        List<String> names = new ArrayList<>();
        list.forEach(entry -> names.add(entry.get(field).asText()));
        return names;
    }

    /** A reply curl printed with {@code -i}: the status line, the headers, the body. */
    record Curl(int status, String text, JsonNode json) {
        String header(String name) {
            for (String line : text.substring(0, Math.max(0, text.indexOf("\r\n\r\n"))).split("\r\n")) {
                if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                    return line.substring(name.length() + 1).trim();
                }
            }
            return null;
        }
    }

    private static Curl curl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("curl", "--max-time", "30"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "curl ended");
        if (!text.startsWith("HTTP/")) {
            return new Curl(0, text, null);
        }
        int status = Integer.parseInt(text.split(" ", 3)[1]);
        String body = text.contains("\r\n\r\n") ? text.substring(text.indexOf("\r\n\r\n") + 4) : "";
        JsonNode json = null;
        try {
            json = body.isEmpty() ? null : RunningBroker.JSON.readTree(body);
        } catch (IOException notJson) {
            // the console's page is HTML
        }
        return new Curl(status, text, json);
    }
}

package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.security.PlainJaasConfig;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;
import toykafka.testing.StartedBroker.Setting;

/**
 * How long a SASL login counts, as Kafka has it: a failed one is answered and closed only after {@code
 * connection.failed.authentication.delay.ms}, while others are served; a successful one lasts {@code
 * connections.max.reauth.ms} (KIP-368), through which kafka-clients 4.4 re-authenticates on the same connection,
 * and past which a connection that did not is closed at its next request.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SaslSessionsTest {

    private static final String SASL = "SASL_PLAINTEXT";
    private static final long DELAY_MS = 3_000;
    private static final long SESSION_MS = 2_000;

    @StartedBroker(value = FrontEnd.KAFKA, settings = {
            @Setting(name = "listeners", value = "SASL_PLAINTEXT://127.0.0.1:0"),
            @Setting(name = "sasl.enabled.mechanisms", value = "PLAIN"),
            @Setting(name = "listener.name.sasl_plaintext.plain.sasl.jaas.config",
                    value = "org.apache.kafka.common.security.plain.PlainLoginModule required"
                            + " user_alice=\"alice-secret\" user_bob=\"bob-secret\";"),
            @Setting(name = "connection.failed.authentication.delay.ms", value = "" + DELAY_MS),
            @Setting(name = "connections.max.reauth.ms", value = "" + SESSION_MS)})
    RunningBroker broker;

    private KafkaWire connect() {
        return new KafkaWire(broker.host(), broker.front().port(SASL));
    }

    private static SaslAuthenticateRequestData plain(String user, String password) {
        return new SaslAuthenticateRequestData().setAuthBytes(("\u0000" + user + "\u0000" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** A connection logged in as {@code user}, with SaslHandshake v1 and SaslAuthenticate v2; its session lifetime. */
    private static long login(KafkaWire wire, String user) {
        assertEquals(Errors.NONE.code(), wire.<SaslHandshakeResponseData>send(
                new SaslHandshakeRequestData().setMechanism("PLAIN"), 1).errorCode());
        SaslAuthenticateResponseData answer = wire.send(plain(user, user + "-secret"), 2);
        assertEquals(Errors.NONE.code(), answer.errorCode(), answer.errorMessage());
        return answer.sessionLifetimeMs();
    }

    @Test
    void failed_logins_are_answered_and_closed_only_after_the_delay_while_others_are_served() {
        List<KafkaWire> guesses = new ArrayList<>();
        try {
            long sent = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                KafkaWire guess = connect();
                guesses.add(guess);
                guess.send(new SaslHandshakeRequestData().setMechanism("PLAIN"), 1);
                guess.sendOnly(plain("alice", "guess-" + i), 2);
            }
            try (KafkaWire alice = connect()) { // served while the hundred wait: the selector is not held
                login(alice, "alice");
                assertEquals(1, alice.<MetadataResponseData>send(new MetadataRequestData(), 12).brokers().size());
            }
            assertTrue(guesses.stream().allMatch(guess -> guess.available() == 0),
                    "no guess is answered before the delay, though alice was served meanwhile");
            for (KafkaWire guess : guesses) {
                SaslAuthenticateResponseData answer = guess.receiveRest(plain("", ""), 2, guess.readSize());
                assertEquals(Errors.SASL_AUTHENTICATION_FAILED.code(), answer.errorCode());
                assertEquals("Authentication failed: Invalid username or password", answer.errorMessage());
                assertTrue(guess.closedByBroker(), "closed once the answer is out");
            }
            assertTrue(System.nanoTime() - sent >= TimeUnit.MILLISECONDS.toNanos(DELAY_MS),
                    "the first answer came no sooner than connection.failed.authentication.delay.ms");
        } finally {
            guesses.forEach(KafkaWire::close);
        }
    }

    @Test
    void a_producer_of_kafka_clients_keeps_producing_across_several_re_authentications() throws Exception {
        Map<String, Object> settings = new HashMap<>();
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.front().bootstrapServers(SASL));
        settings.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SASL);
        settings.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
        settings.put(SaslConfigs.SASL_JAAS_CONFIG, PlainJaasConfig.PLAIN_LOGIN_MODULE
                + " required username=\"alice\" password=\"alice-secret\";");
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings, new StringSerializer(),
                new StringSerializer())) {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(4 * SESSION_MS);
            int sent = 0;
            while (System.nanoTime() < until) {
                producer.send(new ProducerRecord<>("renewed", "record " + sent++)).get(); // each one answered
                Thread.sleep(50);
            }
            double reauthentications = producer.metrics().entrySet().stream()
                    .filter(metric -> metric.getKey().name().equals("successful-reauthentication-total"))
                    .mapToDouble(metric -> (Double) metric.getValue().metricValue()).sum();
            assertTrue(reauthentications >= 2, "re-authenticated " + reauthentications + " times in "
                    + 4 * SESSION_MS + " ms, sessions of " + SESSION_MS + " ms");
            assertTrue(sent > 10, "sent " + sent);
        }
    }

    @Test
    void a_connection_past_its_session_is_closed_at_its_next_request() throws Exception {
        try (KafkaWire wire = connect()) {
            assertEquals(SESSION_MS, login(wire, "alice"), "connections.max.reauth.ms, as Kafka answers it");
            wire.<MetadataResponseData>send(new MetadataRequestData(), 12);
            Thread.sleep(SESSION_MS + 200);
            wire.sendOnly(new MetadataRequestData(), 12);
            assertTrue(wire.closedByBroker(), "expired: closed unanswered");
        }
    }

    @Test
    void a_re_authentication_as_another_user_is_refused_as_kafka_refuses_it() {
        try (KafkaWire wire = connect()) {
            login(wire, "alice");
            assertEquals(Errors.NONE.code(), wire.<SaslHandshakeResponseData>send(
                    new SaslHandshakeRequestData().setMechanism("PLAIN"), 1).errorCode(), "re-authentication begins");
            SaslAuthenticateResponseData answer = wire.send(plain("bob", "bob-secret"), 2);
            assertEquals(Errors.SASL_AUTHENTICATION_FAILED.code(), answer.errorCode());
            assertEquals("Cannot change principals during re-authentication from User.alice: User.bob",
                    answer.errorMessage());
            assertTrue(wire.closedByBroker());
        }
        try (KafkaWire wire = connect()) { // the same user again: a new session, and at once a second is refused
            login(wire, "alice");
            assertEquals(SESSION_MS, login(wire, "alice"), "re-authenticated, a new session");
            assertEquals(Errors.ILLEGAL_SASL_STATE.code(), wire.<SaslHandshakeResponseData>send(
                    new SaslHandshakeRequestData().setMechanism("PLAIN"), 1).errorCode(),
                    "at most one re-authentication a second: the handshake is an ordinary request then");
        }
    }

    @Test
    void a_handshake_v0_is_followed_by_raw_tokens_as_clients_before_kip_152_send_them() throws Exception {
        try (KafkaWire wire = connect()) {
            assertEquals(Errors.NONE.code(), wire.<SaslHandshakeResponseData>send(
                    new SaslHandshakeRequestData().setMechanism("PLAIN"), 0).errorCode());
            wire.write(sizePrefixed("\u0000alice\u0000alice-secret"));
            assertEquals(0, wire.readFrame().remaining(), "PLAIN's server token, empty, in a frame of its own");
            assertEquals(1, wire.<MetadataResponseData>send(new MetadataRequestData(), 12).brokers().size());
        }
        try (KafkaWire wire = connect()) {
            wire.send(new SaslHandshakeRequestData().setMechanism("PLAIN"), 0);
            wire.write(sizePrefixed("\u0000alice\u0000guess"));
            assertEquals(0, wire.readAll().length, "a raw token that fails gets no answer, only the close");
        }
    }

    private static byte[] sizePrefixed(String token) {
        byte[] bytes = token.getBytes(StandardCharsets.UTF_8);
        return java.nio.ByteBuffer.allocate(4 + bytes.length).putInt(bytes.length).put(bytes).array();
    }
}

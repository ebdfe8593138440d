package toykafka.kafka;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import toykafka.common.Errors;

/**
 * SaslAuthenticate (key 36), versions 0–2, flexible from 2: one token of a SASL exchange, after SaslHandshake,
 * answered with the server's token ({@link SaslServerAuthenticator}). A failed exchange is answered
 * SASL_AUTHENTICATION_FAILED with Kafka's message, and the connection closes once the answer is out. On a listener
 * without SASL, or once authenticated, the answer is ILLEGAL_SASL_STATE, as Kafka's {@code KafkaApis} answers it.
 * The session lifetime (v1+) is {@code connections.max.reauth.ms} once authenticated (0, Kafka's default: never),
 * by when a client must authenticate again on the same connection (KIP-368), with SaslHandshake and SaslAuthenticate.
 */
final class Api36SaslAuthenticate extends Api {

    Api36SaslAuthenticate() {
        super(36, "SaslAuthenticate", 0, 2, 2);
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        ByteBuffer bytes = request.body().nullableBytes("auth_bytes");
        if (bytes == null) {
            throw new toykafka.common.InvalidRequestException("auth_bytes must not be null");
        }
        byte[] token = new byte[bytes.remaining()];
        bytes.get(token);
        request.body().taggedFields("SaslAuthenticateRequest");
        request.asked(() -> token.length + " B"); // never the token: it may hold a password
        SaslServerAuthenticator sasl = request.sasl();
        SaslServerAuthenticator.Step step = sasl == null || sasl.complete()
                ? new SaslServerAuthenticator.Step(Errors.ILLEGAL_SASL_STATE,
                "SaslAuthenticate request received after successful authentication", new byte[0], 0)
                : sasl.authenticate(token);
        request.answered(() -> step.error() + (step.message() == null || step.message().isEmpty() ? "" : ": " + step.message()));
        ProtocolWriter out = response(request).int16(step.error().code()).nullableString(step.message())
                .nullableBytes(ByteBuffer.wrap(step.token()));
        if (request.version() >= 1) {
            out.int64(step.sessionLifetimeMs()); // when the client must re-authenticate by: 0 for never
        }
        return CompletableFuture.completedFuture(out.taggedFields());
    }
}

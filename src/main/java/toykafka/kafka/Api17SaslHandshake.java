package toykafka.kafka;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import toykafka.common.Errors;

/**
 * SaslHandshake (key 17), versions 0–1, none flexible: a client on a SASL listener names the mechanism it means
 * to use, and the answer lists the mechanisms the listener enables, with NONE, or UNSUPPORTED_SASL_MECHANISM
 * after which the connection closes ({@link SaslServerAuthenticator}). Once authenticated it begins re-authentication
 * if the session ends ({@code connections.max.reauth.ms}). On a listener without SASL, or once authenticated
 * otherwise, the answer is ILLEGAL_SASL_STATE with no mechanisms, as Kafka's {@code KafkaApis} answers it.
 * Version 0 asks for SASL's raw tokens after the handshake: each next frame is a token, not a request, answered
 * with the server's token in a frame of its own, until the exchange completes ({@link KafkaRequestHandlerPool}).
 */
final class Api17SaslHandshake extends Api {

    Api17SaslHandshake() {
        super(17, "SaslHandshake", 0, 1, 2); // no version served is flexible
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        String mechanism = request.body().string("mechanism");
        request.asked(mechanism);
        SaslServerAuthenticator sasl = request.sasl();
        Errors error;
        List<String> mechanisms;
        if (sasl == null || sasl.complete()) {
            error = Errors.ILLEGAL_SASL_STATE;
            mechanisms = List.of();
        } else {
            error = sasl.handshake(mechanism, request.version());
            mechanisms = sasl.enabledMechanisms();
        }
        request.answered(error + ", enabled " + mechanisms);
        return CompletableFuture.completedFuture(response(request).int16(error.code())
                .array(mechanisms, ProtocolWriter::string));
    }
}

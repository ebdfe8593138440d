package toykafka.kafka;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourcePattern;
import toykafka.broker.security.ResourceType;
import toykafka.broker.security.ScramCredentials;
import toykafka.common.Errors;

/**
 * DescribeUserScramCredentials (key 50), version 0, flexible: {@code Admin.describeUserScramCredentials} and
 * {@code kafka-configs --describe --entity-type users}. Each user asked (none: every user with a credential) with
 * the mechanisms and iterations of its credentials, never their keys; a user with none is RESOURCE_NOT_FOUND, a
 * user asked twice DUPLICATE_RESOURCE, in the words of Kafka's {@code ScramImage} ({@link ScramCredentials}). The
 * top-level error is NONE, unless an authorizer refuses the principal DESCRIBE on the cluster: then it is
 * CLUSTER_AUTHORIZATION_FAILED with Kafka's message, and each user asked gets the same error, as Kafka's {@code
 * getErrorResponse} answers. Throttled as every answer is, when a quota says so.
 */
final class Api50DescribeUserScramCredentials extends BrokerApi {

    private final AuthHelper auth;

    Api50DescribeUserScramCredentials(Broker broker, AuthHelper auth) {
        super(broker, 50, "DescribeUserScramCredentials", 0, 0, 0);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        ProtocolReader in = request.body();
        List<String> users = in.nullableArray("users", user -> {
            String name = user.string("name");
            user.taggedFields("UserName");
            return name;
        });
        in.taggedFields("DescribeUserScramCredentialsRequest");
        request.asked(() -> users == null || users.isEmpty() ? "every user" : Summaries.list(users));
        if (!auth.authorize(request, AclOperation.DESCRIBE, ResourceType.CLUSTER, ResourcePattern.CLUSTER_NAME)) {
            request.answered(() -> "refused: " + Errors.CLUSTER_AUTHORIZATION_FAILED);
            String message = "Cluster authorization failed.";
            ProtocolWriter out = responseWithThrottleTime(request).int16(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                    .nullableString(message);
            out.array(users == null ? List.<String>of() : users, (w, user) -> w.string("")
                    .int16(Errors.CLUSTER_AUTHORIZATION_FAILED.code()).nullableString(message).arrayLength(0)
                    .taggedFields());
            return CompletableFuture.completedFuture(out.taggedFields());
        }
        List<ScramCredentials.Described> described = broker.access().scramCredentials().describe(users);
        request.answered(() -> Summaries.list(described.stream().map(user -> user.user() + " " + (user.error()
                == toykafka.common.Errors.NONE ? user.iterations().toString() : user.error().toString())).toList()));
        ProtocolWriter out = responseWithThrottleTime(request).int16(toykafka.common.Errors.NONE.code())
                .nullableString(""); // Kafka's default: empty, not null
        out.array(described, (w, user) -> {
            w.string(user.user()).int16(user.error().code()).nullableString(user.message());
            w.array(List.copyOf(user.iterations().entrySet()), (info, credential) -> info
                    .int8(credential.getKey().type()).int32(credential.getValue()).taggedFields());
            w.taggedFields();
        });
        return CompletableFuture.completedFuture(out.taggedFields());
    }
}

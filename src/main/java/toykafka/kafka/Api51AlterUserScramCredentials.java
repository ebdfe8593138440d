package toykafka.kafka;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.Broker;
import toykafka.broker.security.AclOperation;
import toykafka.broker.security.ResourcePattern;
import toykafka.broker.security.ResourceType;
import toykafka.broker.security.ScramCredentials;
import toykafka.common.Errors;
import toykafka.common.InvalidRequestException;

/**
 * AlterUserScramCredentials (key 51), version 0, flexible: {@code Admin.alterUserScramCredentials} and {@code
 * kafka-configs --alter --add-config 'SCRAM-SHA-512=[iterations=8192,password=…]' --entity-type users}. The client
 * salts the password itself and sends the salt and the salted password; the broker keeps only the salt, the
 * iterations, the StoredKey and the ServerKey made from them ({@link ScramCredentials}), and the salted password
 * goes with the request. Each user's result, with Kafka's controller's checks: iterations from 4096 to 16384 (else
 * UNACCEPTABLE_CREDENTIAL), a known mechanism (else UNSUPPORTED_SASL_MECHANISM), a credential to delete (else
 * RESOURCE_NOT_FOUND), a user at most once per request (else DUPLICATE_RESOURCE). With an authorizer, a principal
 * that may not ALTER the cluster changes nothing: each user named gets CLUSTER_AUTHORIZATION_FAILED, in name order,
 * as Kafka's controller answers (whose message names the request as its request channel prints it; ours names the
 * principal). Throttled as every answer is, when a quota says so.
 */
final class Api51AlterUserScramCredentials extends BrokerApi {

    private final AuthHelper auth;

    Api51AlterUserScramCredentials(Broker broker, AuthHelper auth) {
        super(broker, 51, "AlterUserScramCredentials", 0, 0, 0);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        ProtocolReader in = request.body();
        List<ScramCredentials.Deletion> deletions = in.array("deletions", deletion -> {
            ScramCredentials.Deletion read = new ScramCredentials.Deletion(deletion.string("name"),
                    deletion.int8("mechanism"));
            deletion.taggedFields("ScramCredentialDeletion");
            return read;
        });
        List<ScramCredentials.Upsertion> upsertions = in.array("upsertions", upsertion -> {
            ScramCredentials.Upsertion read = new ScramCredentials.Upsertion(upsertion.string("name"),
                    upsertion.int8("mechanism"), upsertion.int32("iterations"), bytes(upsertion, "salt"),
                    bytes(upsertion, "salted_password"));
            upsertion.taggedFields("ScramCredentialUpsertion");
            return read;
        });
        in.taggedFields("AlterUserScramCredentialsRequest");
        request.asked(() -> "delete " + Summaries.list(deletions.stream().map(d -> d.name() + " " + d.mechanism())
                .toList()) + ", set " + Summaries.list(upsertions.stream().map(u -> u.name() + " " + u.mechanism()
                + " at " + u.iterations() + " iterations").toList())); // never the salted password
        List<ScramCredentials.Result> results = auth.authorize(request, AclOperation.ALTER, ResourceType.CLUSTER,
                ResourcePattern.CLUSTER_NAME) ? broker.access().scramCredentials().alter(deletions, upsertions)
                : refused(request, deletions, upsertions);
        request.answered(() -> Summaries.list(results.stream().map(r -> r.user() + " " + r.error()).toList()));
        ProtocolWriter out = responseWithThrottleTime(request);
        out.array(results, (w, result) -> w.string(result.user()).int16(result.error().code())
                .nullableString(result.message()).taggedFields());
        return CompletableFuture.completedFuture(out.taggedFields());
    }

    /** Every user named, once and in name order, refused for want of ALTER on the cluster. */
    private static List<ScramCredentials.Result> refused(Request request, List<ScramCredentials.Deletion> deletions,
                                                         List<ScramCredentials.Upsertion> upsertions) {
        TreeSet<String> users = new TreeSet<>();
        deletions.forEach(deletion -> users.add(deletion.name()));
        upsertions.forEach(upsertion -> users.add(upsertion.name()));
        String message = AuthHelper.clusterRefusal(request, AclOperation.ALTER);
        return users.stream().map(user -> new ScramCredentials.Result(user, Errors.CLUSTER_AUTHORIZATION_FAILED,
                message)).toList();
    }

    private static byte[] bytes(ProtocolReader in, String field) {
        ByteBuffer view = in.nullableBytes(field);
        if (view == null) {
            throw new InvalidRequestException(field + " must not be null");
        }
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return bytes;
    }
}

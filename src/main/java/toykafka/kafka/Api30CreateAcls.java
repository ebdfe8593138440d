package toykafka.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.security.AclBinding;
import toykafka.broker.security.AclCreateResult;
import toykafka.broker.security.AclOperation;
import toykafka.common.ApiException;
import toykafka.common.Errors;

/**
 * CreateAcls (key 30), versions 1–3: {@code kafka-acls --add}, {@code Admin.createAcls}. Kafka's
 * {@code AclApis.handleCreateAcls}: the requester needs ALTER on the cluster, else every creation is answered
 * CLUSTER_AUTHORIZATION_FAILED. With an authorizer each creation is answered on its own: INVALID_REQUEST for a
 * CLUSTER binding not named {@code kafka-cluster}, an empty name, an ANY resource type, a pattern type other than
 * LITERAL or PREFIXED, an ANY operation or permission, or a principal without a colon (Kafka's words, from
 * {@code AclApis} and {@code AclControlManager}); the others are kept (one already there is a success). With no
 * authorizer each is answered SECURITY_DISABLED (54) with Kafka's message, and the tool prints
 * {@code SecurityDisabledException: No Authorizer is configured.}. A code Kafka does not know is refused as Kafka
 * refuses it: the connection is closed. Version 0 (removed in Kafka 4) is not
 * served; versions 2 and 3 are flexible.
 */
final class Api30CreateAcls extends Api {

    private final AuthHelper auth;

    Api30CreateAcls(AuthHelper auth) {
        super(30, "CreateAcls", 1, 3, 2);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        ProtocolReader in = request.body();
        List<AclBinding> creations = in.array("creations", each -> {
            AclBinding binding = AclBindings.readCreation(each);
            each.taggedFields("AclCreation");
            return binding;
        });
        in.taggedFields("CreateAclsRequest");
        request.asked(() -> Summaries.list(creations.stream().map(AclBindings::traced).toList()));
        List<ApiException> answers = answers(request, creations);
        request.answered(() -> Summaries.list(answers.stream().map(e -> e == null ? "NONE" : e.error().toString())
                .toList()));
        ProtocolWriter out = responseWithThrottleTime(request);
        out.array(answers, (w, refusal) -> {
            w.int16(refusal == null ? Errors.NONE.code() : refusal.error().code())
                    .nullableString(refusal == null ? null : refusal.getMessage());
            w.taggedFields();
        });
        return CompletableFuture.completedFuture(out.taggedFields());
    }

    /** Each creation's refusal, or null where it was kept. */
    private List<ApiException> answers(Request request, List<AclBinding> creations) {
        try {
            auth.authorizeClusterOperation(request, AclOperation.ALTER);
        } catch (AuthHelper.ClusterAuthorizationException e) {
            return creations.stream().map(creation -> (ApiException) e).toList();
        }
        if (!auth.enabled()) {
            ApiException disabled = new AclBindings.SecurityDisabledException(AclBindings.CHANGE_REFUSAL);
            return creations.stream().map(creation -> disabled).toList();
        }
        List<ApiException> answers = new ArrayList<>();
        List<AclBinding> valid = new ArrayList<>();
        for (AclBinding creation : creations) {
            ApiException refusal = AclBindings.refusedBeforeTheAuthorizer(creation);
            answers.add(refusal);
            if (refusal == null) {
                valid.add(creation);
            }
        }
        List<AclCreateResult> created = auth.authorizer().createAcls(valid);
        for (int i = 0, next = 0; i < answers.size(); i++) {
            if (answers.get(i) == null) {
                answers.set(i, created.get(next++).exception());
            }
        }
        return answers;
    }
}

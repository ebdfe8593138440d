package toykafka.kafka;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.security.AclBindingFilter;
import toykafka.broker.security.AclDeleteResult;
import toykafka.broker.security.AclOperation;
import toykafka.common.ApiException;
import toykafka.common.Errors;

/**
 * DeleteAcls (key 31), versions 1–3: {@code kafka-acls --remove}, {@code Admin.deleteAcls}. Kafka's
 * {@code AclApis.handleDeleteAcls}: the requester needs ALTER on the cluster, else every filter is answered
 * CLUSTER_AUTHORIZATION_FAILED. With an authorizer each filter removes the bindings it matches (as DescribeAcls
 * matches them: null and ANY for any, MATCH for every pattern that covers a name) and is answered with them. With
 * none each filter is answered SECURITY_DISABLED (54) with Kafka's message and no matching ACLs; the tool prints
 * {@code SecurityDisabledException: No Authorizer is configured.}. A filter with a code Kafka does not know is
 * refused as Kafka refuses it: the connection is closed. Version 0 (removed in
 * Kafka 4) is not served; versions 2 and 3 are flexible.
 */
final class Api31DeleteAcls extends Api {

    private final AuthHelper auth;

    Api31DeleteAcls(AuthHelper auth) {
        super(31, "DeleteAcls", 1, 3, 2);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        ProtocolReader in = request.body();
        List<AclBindingFilter> filters = in.array("filters", each -> {
            AclBindingFilter filter = AclBindings.readFilter(each);
            each.taggedFields("DeleteAclsFilter");
            return filter;
        });
        in.taggedFields("DeleteAclsRequest");
        request.asked(() -> Summaries.list(filters.stream().map(AclBindings::traced).toList()));
        List<AclDeleteResult> results = results(request, filters);
        request.answered(() -> Summaries.list(results.stream().map(result -> result.exception() != null
                ? result.exception().error().toString() : result.deleted().size() + " deleted").toList()));
        ProtocolWriter out = responseWithThrottleTime(request);
        out.array(results, (w, result) -> {
            ApiException refusal = result.exception();
            w.int16(refusal == null ? Errors.NONE.code() : refusal.error().code())
                    .nullableString(refusal == null ? null : refusal.getMessage());
            w.array(result.deleted(), AclBindings::writeMatchingAcl);
            w.taggedFields();
        });
        return CompletableFuture.completedFuture(out.taggedFields());
    }

    private List<AclDeleteResult> results(Request request, List<AclBindingFilter> filters) {
        try {
            auth.authorizeClusterOperation(request, AclOperation.ALTER);
        } catch (AuthHelper.ClusterAuthorizationException e) {
            return filters.stream().map(filter -> new AclDeleteResult(e, List.of())).toList();
        }
        if (!auth.enabled()) {
            ApiException disabled = new AclBindings.SecurityDisabledException(AclBindings.CHANGE_REFUSAL);
            return filters.stream().map(filter -> new AclDeleteResult(disabled, List.of())).toList();
        }
        return auth.authorizer().deleteAcls(filters);
    }
}

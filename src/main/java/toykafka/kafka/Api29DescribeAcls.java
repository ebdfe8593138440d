package toykafka.kafka;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import toykafka.broker.security.AclBinding;
import toykafka.broker.security.AclBindingFilter;
import toykafka.broker.security.AclOperation;
import toykafka.common.Errors;

/**
 * DescribeAcls (key 29), versions 1–3: {@code kafka-acls --list}, {@code Admin.describeAcls}. Kafka's
 * {@code AclApis.handleDescribeAcls}: the requester needs DESCRIBE on the cluster, else the answer is
 * CLUSTER_AUTHORIZATION_FAILED. With an authorizer it lists the bindings the filter matches, grouped by resource
 * pattern: a null name, principal or host is any, ANY types are any, and the pattern type MATCH lists every pattern
 * that covers the named resource (its literal name, the wildcard, each prefix). With none, as a Kafka broker without
 * {@code authorizer.class.name}, it answers SECURITY_DISABLED (54) with Kafka's message and lists nothing; the tool
 * then prints {@code SecurityDisabledException: No Authorizer is configured on the broker}. A filter with a code
 * Kafka does not know is refused as Kafka refuses it: the connection is closed.
 * Version 0 (removed in Kafka 4) is not served; versions 2 and 3 are flexible.
 */
final class Api29DescribeAcls extends Api {

    private final AuthHelper auth;

    Api29DescribeAcls(AuthHelper auth) {
        super(29, "DescribeAcls", 1, 3, 2);
        this.auth = auth;
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        ProtocolReader in = request.body();
        AclBindingFilter filter = AclBindings.readFilter(in);
        in.taggedFields("DescribeAclsRequest");
        request.asked(AclBindings.traced(filter));
        ProtocolWriter out = responseWithThrottleTime(request);
        try {
            auth.authorizeClusterOperation(request, AclOperation.DESCRIBE);
        } catch (AuthHelper.ClusterAuthorizationException e) {
            request.answered(e.error().toString());
            return CompletableFuture.completedFuture(out.int16(e.error().code()).nullableString(e.getMessage())
                    .arrayLength(0).taggedFields());
        }
        if (!auth.enabled()) {
            request.answered(Errors.SECURITY_DISABLED + ", no authorizer");
            out.int16(Errors.SECURITY_DISABLED.code()).nullableString(AclBindings.DESCRIBE_REFUSAL).arrayLength(0);
            return CompletableFuture.completedFuture(out.taggedFields());
        }
        List<AclBinding> matched = auth.authorizer().acls(filter);
        request.answered(() -> Summaries.list(matched.stream().map(AclBindings::traced).toList()));
        out.int16(Errors.NONE.code()).nullableString(null);
        AclBindings.writeResources(out, matched);
        return CompletableFuture.completedFuture(out.taggedFields());
    }
}

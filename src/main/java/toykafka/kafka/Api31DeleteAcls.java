package toykafka.kafka;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import toykafka.common.Errors;

/**
 * DeleteAcls (key 31), versions 1–3: {@code kafka-acls --remove}, {@code Admin.deleteAcls}. Kafka's
 * {@code AclApis.handleDeleteAcls}. This broker has no authorizer, so, as a Kafka broker without
 * {@code authorizer.class.name}, it answers each filter SECURITY_DISABLED (54) with Kafka's message and no
 * matching ACLs; the tool prints {@code SecurityDisabledException: No Authorizer is configured.}, as against
 * Kafka. The filters are read, not judged: Kafka answers before it looks at one. Ignored: throttling
 * (always 0 ms). Version 0 (removed in Kafka 4) is not served; versions 2 and 3 are flexible.
 */
final class Api31DeleteAcls extends Api {

    Api31DeleteAcls() {
        super(31, "DeleteAcls", 1, 3, 2);
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        List<AclBindings.Binding> filters = AclBindings.readChanges(request, "filters", true, "DeleteAclsFilter",
                "DeleteAclsRequest");
        ProtocolWriter out = responseWithThrottleTime(request);
        out.array(filters, (w, filter) -> w.int16(Errors.SECURITY_DISABLED.code())
                .nullableString(AclBindings.CHANGE_REFUSAL)
                .arrayLength(0) // matching_acls
                .taggedFields());
        return CompletableFuture.completedFuture(out.taggedFields());
    }
}

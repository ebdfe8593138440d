package toykafka.kafka;

import java.util.concurrent.CompletableFuture;

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
        return CompletableFuture.completedFuture(AclBindings.refuseChanges(request, "filters", true, "DeleteAclsFilter",
                "DeleteAclsRequest", filter -> filter.arrayLength(0))); // no matching ACLs
    }
}

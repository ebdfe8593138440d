package toykafka.kafka;

import java.util.concurrent.CompletableFuture;

/**
 * CreateAcls (key 30), versions 1–3: {@code kafka-acls --add}, {@code Admin.createAcls}. Kafka's
 * {@code AclApis.handleCreateAcls}. This broker has no authorizer, so, as a Kafka broker without
 * {@code authorizer.class.name}, it answers each creation SECURITY_DISABLED (54) with Kafka's message and
 * keeps nothing; the tool prints {@code SecurityDisabledException: No Authorizer is configured.}, as against
 * Kafka. The bindings are read, not judged: Kafka answers before it looks at one. Ignored: throttling
 * (always 0 ms). Version 0 (removed in Kafka 4) is not served; versions 2 and 3 are flexible.
 */
final class Api30CreateAcls extends Api {

    Api30CreateAcls() {
        super(30, "CreateAcls", 1, 3, 2);
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        return CompletableFuture.completedFuture(AclBindings.refuseChanges(request, "creations", false, "AclCreation",
                "CreateAclsRequest", creation -> { }));
    }
}

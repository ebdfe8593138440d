package toykafka.kafka;

import java.util.concurrent.CompletableFuture;
import toykafka.common.Errors;

/**
 * DescribeAcls (key 29), versions 1–3: {@code kafka-acls --list}, {@code Admin.describeAcls}. Kafka's
 * {@code AclApis.handleDescribeAcls}. This broker has no authorizer, so, as a Kafka broker without
 * {@code authorizer.class.name}, it answers every filter SECURITY_DISABLED (54) with Kafka's message, and
 * lists no ACLs; the tool then prints {@code SecurityDisabledException: No Authorizer is configured on the
 * broker}, as against Kafka. The filter is read, not judged: Kafka answers before it looks at one.
 * Ignored: throttling (always 0 ms). Version 0 (removed in Kafka 4) is not served; versions 2 and 3 are
 * flexible.
 */
final class Api29DescribeAcls extends Api {

    Api29DescribeAcls() {
        super(29, "DescribeAcls", 1, 3, 2);
    }

    @Override
    CompletableFuture<ProtocolWriter> handle(Request request) {
        ProtocolReader in = request.body();
        AclBindings.Binding filter = AclBindings.read(in, true);
        in.taggedFields("DescribeAclsRequest");
        request.asked(filter.toString());
        request.answered(Errors.SECURITY_DISABLED + ", no authorizer");
        ProtocolWriter out = responseWithThrottleTime(request)
                .int16(Errors.SECURITY_DISABLED.code())
                .nullableString(AclBindings.DESCRIBE_REFUSAL)
                .arrayLength(0); // resources
        return CompletableFuture.completedFuture(out.taggedFields());
    }
}

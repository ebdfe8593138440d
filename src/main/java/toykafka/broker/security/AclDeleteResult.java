package toykafka.broker.security;

import java.util.List;
import toykafka.common.ApiException;

/** What one delete filter removed (Kafka's {@code AclDeleteResult}), or the error that refused the filter. */
public record AclDeleteResult(ApiException exception, List<AclBinding> deleted) {

    public AclDeleteResult {
        deleted = List.copyOf(deleted);
    }
}

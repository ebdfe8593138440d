package toykafka.broker.security;

import toykafka.common.ApiException;

/** How one creation went (Kafka's {@code AclCreateResult}): made or already there, or the error that refused it. */
public record AclCreateResult(ApiException exception) {

    public static final AclCreateResult SUCCESS = new AclCreateResult(null);
}

package toykafka.broker.security;

import java.util.Objects;

/**
 * Who a request comes from, as the authorizer sees it (Kafka's {@code KafkaPrincipal}): a type and a name, written
 * {@code User:alice}. A connection that did not authenticate is {@code User:ANONYMOUS}, as on Kafka's plaintext
 * listeners; SASL gives the authenticated user's name, mutual TLS the certificate's mapped name.
 */
public record KafkaPrincipal(String principalType, String name) {

    public static final String USER_TYPE = "User";
    public static final KafkaPrincipal ANONYMOUS = new KafkaPrincipal(USER_TYPE, "ANONYMOUS");

    public KafkaPrincipal {
        Objects.requireNonNull(principalType, "a principal's type must not be null");
        Objects.requireNonNull(name, "a principal's name must not be null");
    }

    /** A user of this name: what SASL authenticates. */
    public static KafkaPrincipal user(String name) {
        return new KafkaPrincipal(USER_TYPE, name);
    }

    /**
     * The principal written {@code Type:name}, as {@code super.users} and {@code kafka-acls --allow-principal} write
     * it; the name may itself hold colons. Anything without a type before a colon is refused, naming the form.
     */
    public static KafkaPrincipal parse(String text) {
        int colon = text == null ? -1 : text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("a principal is written Type:name, such as User:alice; was '" + text + "'");
        }
        return new KafkaPrincipal(text.substring(0, colon), text.substring(colon + 1));
    }

    @Override
    public String toString() {
        return principalType + ":" + name;
    }
}

package toykafka.restproxy;

import java.time.Duration;
import java.util.Objects;
import toykafka.broker.security.KafkaPrincipal;
import toykafka.common.OffsetReset;

/**
 * What REST Proxy's {@code POST /consumers/<group>} fixes for an instance's life: where it starts without a
 * commit, the embedded format its records are handed out in (a name the HTTP routes chose; the instance
 * only keeps it), whether each poll commits what the previous one handed out, the bytes a waiting poll
 * waits for, how long a poll waits when the request names no timeout (null: the front end's default), and
 * whether it reads only committed transactions (Kafka's {@code isolation.level=read_committed}), and the
 * principal that made it ({@code User:alice}), the only one the HTTP routes let use it.
 */
public record ConsumerInstanceConfig(OffsetReset reset, String format, boolean autoCommit, int fetchMinBytes,
                                     Duration requestTimeout, boolean readCommitted, String owner) {

    public ConsumerInstanceConfig {
        Objects.requireNonNull(reset, "auto.offset.reset");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(owner, "owner");
        if (fetchMinBytes < 0) {
            throw new IllegalArgumentException("fetch.min.bytes must be 0 or more, was " + fetchMinBytes);
        }
    }

    /** An instance made without authentication, by {@code User:ANONYMOUS}. */
    public ConsumerInstanceConfig(OffsetReset reset, String format, boolean autoCommit, int fetchMinBytes,
                                  Duration requestTimeout, boolean readCommitted) {
        this(reset, format, autoCommit, fetchMinBytes, requestTimeout, readCommitted, KafkaPrincipal.ANONYMOUS.toString());
    }

    /** An instance as {@link ConsumerInstances#create(String, String, OffsetReset)} makes it: binary, no auto commit. */
    public static ConsumerInstanceConfig of(OffsetReset reset) {
        return new ConsumerInstanceConfig(reset, "binary", false, 1, null, false);
    }
}

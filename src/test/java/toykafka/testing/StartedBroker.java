package toykafka.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a {@link RunningBroker} field, or a {@link toykafka.broker.Broker} field for tests that call the broker
 * in process: the broker is started with the front ends named, on free loopback ports,
 * in a temporary data directory, and stopped after. An instance field gets a broker per test, for tests that
 * read the data directory or the broker's whole state; a static field one broker for the whole class, for
 * tests that each take topics of their own. After an HTTP broker stops, the test fails if any request hit a
 * fault of the broker's own. A test or lifecycle method may take the broker as a {@link RunningBroker} or
 * {@link toykafka.broker.Broker} parameter, as a base class does whose subclasses each declare their own.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(StartedBrokerExtension.class)
public @interface StartedBroker {

    /** The front ends to start; none gives the broker alone. */
    FrontEnd[] value() default {};

    /** The broker's settings beyond the defaults, for tests of those settings. */
    Setting[] settings() default {};

    /** Whether the Kafka front end logs each request, for tests that read what it logged. */
    boolean trace() default false;

    /**
     * The name of a {@link java.time.Clock} field of the test class the broker reads the time from, across
     * restarts too, for tests that move time themselves; a static field for a static broker. None: the system's.
     */
    String clock() default "";

    /** One broker setting, named as in the properties file. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({})
    @interface Setting {
        String name();

        String value();
    }
}

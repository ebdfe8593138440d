package toykafka.lesson09;

import java.time.Duration;
import java.util.Objects;
import toykafka.common.TopicConfig;

// tag::durability[]
/**
 * When appended bytes are forced from the operating system's page cache onto the disk. An append
 * that returns has always reached the page cache, which survives a crash of this process; only
 * {@code fsync} makes it survive a crash of the machine, and it costs a wait for the disk.
 *
 * @param mode     which of the three policies
 * @param interval for {@link Mode#INTERVAL}, how often; zero otherwise
 */
public record Durability(Mode mode, Duration interval) {

    public enum Mode {
        /** Never fsync on the append path; the OS writes pages back when it likes. Kafka's default. */
        OS,
        /** A background thread fsyncs every interval: Kafka's {@code flush.ms}. */
        INTERVAL,
        /** Fsync before an append returns; appenders waiting together share one fsync (group commit). */
        EVERY_APPEND
    }
    // end::durability[]

    public Durability {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(interval, "interval");
        if (mode == Mode.INTERVAL && interval.toMillis() < 1) {
            throw new IllegalArgumentException("an fsync interval must be at least 1 ms, was " + interval);
        }
    }

    /**
     * The policy a topic's config asks for: flush.messages=1 forces each append, a flush.ms below
     * "never" forces on a timer, and Kafka's defaults leave it to the operating system.
     */
    public static Durability of(TopicConfig config) {
        if (config.flushMessages() == 1) {
            return fsyncEachAppend();
        }
        if (config.flushMs() != TopicConfig.NEVER) {
            return fsyncEvery(Duration.ofMillis(config.flushMs()));
        }
        return leaveToOs();
    }

    public static Durability leaveToOs() {
        return new Durability(Mode.OS, Duration.ZERO);
    }

    public static Durability fsyncEvery(Duration interval) {
        return new Durability(Mode.INTERVAL, interval);
    }

    public static Durability fsyncEachAppend() {
        return new Durability(Mode.EVERY_APPEND, Duration.ZERO);
    }

    @Override
    public String toString() {
        return switch (mode) {
            case OS -> "left to the OS";
            case INTERVAL -> "fsync every " + interval.toMillis() + " ms";
            case EVERY_APPEND -> "fsync before each append returns";
        };
    }
}

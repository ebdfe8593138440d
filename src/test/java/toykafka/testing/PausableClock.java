package toykafka.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The system's clock, which a test may pause: while paused it stands still, and once resumed it runs on from where it
 * stopped, behind the system's by the pause. A broker on it measures nothing across the pause (no session runs out,
 * however long a busy machine makes that stretch of the test), and real time after it. It never goes back.
 */
public final class PausableClock extends Clock {

    private final Clock system = Clock.systemUTC();
    private Duration behind = Duration.ZERO;
    private Instant pausedAt;

    @Override
    public synchronized Instant instant() {
        return pausedAt != null ? pausedAt : system.instant().minus(behind);
    }

    /** Stops the clock where it is now; pausing a paused clock changes nothing. */
    public synchronized void pause() {
        if (pausedAt == null) {
            pausedAt = instant();
        }
    }

    /** Runs the clock on from where it stopped; resuming a running clock changes nothing. */
    public synchronized void resume() {
        if (pausedAt != null) {
            behind = Duration.between(pausedAt, system.instant());
            pausedAt = null;
        }
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (!ZoneOffset.UTC.equals(zone.normalized())) {
            throw new IllegalArgumentException("a PausableClock keeps UTC only, not " + zone);
        }
        return this;
    }
}

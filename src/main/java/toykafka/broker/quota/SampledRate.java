package toykafka.broker.quota;

import java.util.ArrayList;
import java.util.List;

/**
 * A rate measured over sampled windows, as Kafka's quota sensors measure it (its {@code Rate} over a {@code
 * WindowedSum}): the values recorded go into the current sample, a new sample starts once the current is a window
 * old, the oldest is reused when there are {@code samples} + 1, and samples with nothing recorded for {@code
 * samples} windows are emptied. The rate is the sum of the samples over the time they span, counted as at least
 * {@code samples - 1} whole windows, so a client's first burst is not measured over a few milliseconds.
 * Not thread-safe: its sensor holds the lock.
 */
final class SampledRate {

    private static final class Sample {
        long startMs;
        long lastEventMs;
        double value;

        Sample(long now) {
            reset(now);
        }

        void reset(long now) {
            startMs = now;
            lastEventMs = now;
            value = 0;
        }
    }

    private final int samples;
    private final long windowMs;
    private final List<Sample> all = new ArrayList<>();
    private int current;

    /**
     * @param samples  how many windows the rate is measured over ({@code quota.window.num})
     * @param windowMs how long each is ({@code quota.window.size.seconds}, in milliseconds)
     */
    SampledRate(int samples, long windowMs) {
        this.samples = samples;
        this.windowMs = windowMs;
    }

    void record(double value, long nowMs) {
        Sample sample = current(nowMs);
        if (nowMs - sample.startMs >= windowMs) {
            sample = advance(nowMs);
        }
        sample.value += value;
        sample.lastEventMs = nowMs;
    }

    /** The rate per second at {@code nowMs}. */
    double measure(long nowMs) {
        purgeObsolete(nowMs);
        double sum = 0;
        for (Sample sample : all) {
            sum += sample.value;
        }
        return sum / (windowSizeMs(nowMs) / 1000.0);
    }

    /**
     * The time the rate is measured over: from the oldest sample's start, but at least {@code samples - 1} whole
     * windows and 1 ms. Kafka's {@code Rate.windowSize}, which the throttle time scales by.
     */
    long windowSizeMs(long nowMs) {
        purgeObsolete(nowMs);
        long elapsed = nowMs - oldest(nowMs).startMs;
        long fullWindows = elapsed / windowMs;
        long minFullWindows = samples - 1;
        if (fullWindows < minFullWindows) {
            elapsed += (minFullWindows - fullWindows) * windowMs;
        }
        return Math.max(elapsed, 1);
    }

    private Sample current(long nowMs) {
        if (all.isEmpty()) {
            all.add(new Sample(nowMs));
        }
        return all.get(current);
    }

    private Sample advance(long nowMs) {
        current = (current + 1) % (samples + 1); // one more than samples: the one overlapping the window's start
        if (current >= all.size()) {
            Sample sample = new Sample(nowMs);
            all.add(sample);
            return sample;
        }
        Sample sample = all.get(current);
        sample.reset(nowMs);
        return sample;
    }

    private Sample oldest(long nowMs) {
        Sample oldest = current(nowMs);
        for (Sample sample : all) {
            if (sample.startMs < oldest.startMs) {
                oldest = sample;
            }
        }
        return oldest;
    }

    private void purgeObsolete(long nowMs) {
        long expireAge = samples * windowMs;
        for (Sample sample : all) {
            if (nowMs - sample.lastEventMs >= expireAge) {
                sample.reset(nowMs);
            }
        }
    }
}

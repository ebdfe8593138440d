package toykafka.broker.share.partition;

import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Where a new share partition starts (Kafka's {@code ShareGroupAutoOffsetResetStrategy}, the group config
 * share.auto.offset.reset): the earliest record, the latest (Kafka's default), or the first record no older than
 * a duration, {@code by_duration:PnDTnHnMn.nS}.
 *
 * @param duration how far back by_duration reaches; null for earliest and latest
 */
public record ShareAutoOffsetReset(Type type, Duration duration) {

    public enum Type { EARLIEST, LATEST, BY_DURATION }

    private static final String BY_DURATION = "by_duration:";

    public static final ShareAutoOffsetReset EARLIEST = new ShareAutoOffsetReset(Type.EARLIEST, null);
    public static final ShareAutoOffsetReset LATEST = new ShareAutoOffsetReset(Type.LATEST, null);

    public ShareAutoOffsetReset {
        if ((type == Type.BY_DURATION) != (duration != null) || duration != null && duration.isNegative()) {
            throw new IllegalArgumentException("by_duration takes a duration of zero or more; earliest and latest none");
        }
    }

    /** The strategy as the config writes it; an error naming the config and the three forms otherwise. */
    public static ShareAutoOffsetReset parse(String value) {
        String lower = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (lower.equals("earliest")) {
            return EARLIEST;
        }
        if (lower.equals("latest")) {
            return LATEST;
        }
        if (lower.startsWith(BY_DURATION)) {
            try {
                Duration duration = Duration.parse(value.trim().substring(BY_DURATION.length()));
                if (!duration.isNegative()) {
                    return new ShareAutoOffsetReset(Type.BY_DURATION, duration);
                }
            } catch (DateTimeParseException e) {
                // refused below, with the forms that are accepted
            }
        }
        throw new IllegalArgumentException("Invalid value `" + value + "` for configuration "
                + ShareGroupSettings.AUTO_OFFSET_RESET + ". The value must be either 'earliest', 'latest' or of the"
                + " format 'by_duration:<PnDTnHnMn.nS>'.");
    }

    /** The offset a share partition with no state starts from. */
    public long startOffset(OffsetLookup log, Clock clock) {
        switch (type) {
            case EARLIEST:
                return log.earliestOffset();
            case LATEST:
                return log.latestOffset();
            default:
                return log.offsetForTimestamp(clock.millis() - duration.toMillis());
        }
    }

    @Override
    public String toString() {
        return type == Type.BY_DURATION ? BY_DURATION + duration : type.name().toLowerCase(Locale.ROOT);
    }
}

package toykafka.archive;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** Why an event left its log. */
public enum ArchiveReason {
    /** Retention removed it: the log held too many events, or it was too old. */
    RETENTION,
    /** Someone asked for everything before an offset to be moved out (Kafka's deleteRecords). */
    ARCHIVE,
    /** Compaction removed it: a later event has the same key. */
    COMPACTION;

    /** How the reason is spelled in the CSV file. */
    @JsonValue
    public String csvValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ArchiveReason fromCsv(String value) {
        return Arrays.stream(values()).filter(reason -> reason.csvValue().equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown archive reason '" + value
                        + "': expected one of retention, archive, compaction"));
    }
}

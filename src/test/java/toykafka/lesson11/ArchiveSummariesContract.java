package toykafka.lesson11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;
import toykafka.archive.ArchiveDirectory;
import toykafka.archive.ArchiveReader;
import toykafka.archive.ArchiveReason;
import toykafka.archive.ArchivedEvent;

/**
 * What every {@link ArchiveSummaries} must answer, on a small archive whose every number can be worked out
 * by hand: six records of two topics, written to an archive folder and read back as the analysis reads it.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class ArchiveSummariesContract {

    private static final Instant NOON = Instant.parse("2026-11-23T12:00:00Z");

    @TempDir
    Path folder;

    private Table archive;
    private ArchiveSummaries summaries;

    protected abstract ArchiveSummaries newSummaries();

    // tag::hand-built[]
    /**
     * orders: till-1 twice and till-3 in partition 0, till-2 in partition 1 (archived by hand, the rest by
     * retention); payments: two records without a key, whose values have multi-byte characters.
     */
    static List<ArchivedEvent> handBuiltArchive() {
        Instant retention = NOON.plusSeconds(3600);
        Instant tenPast = NOON.plusSeconds(600);
        return List.of(
                row("orders", 0, 0, NOON.plusSeconds(10), "till-1", "cod", ArchiveReason.RETENTION, retention),
                row("orders", 0, 1, NOON.plusSeconds(50), "till-1", "chips", ArchiveReason.RETENTION, retention),
                row("orders", 0, 2, NOON.plusSeconds(65), "till-3", "pie", ArchiveReason.RETENTION, retention),
                row("orders", 1, 0, NOON.plusSeconds(120), "till-2", "haddock", ArchiveReason.ARCHIVE,
                        NOON.plusSeconds(1800)),
                row("payments", 0, 5, NOON.minusSeconds(1), null, "£4.50", ArchiveReason.RETENTION, tenPast),
                row("payments", 0, 6, NOON, null, "€3", ArchiveReason.RETENTION, tenPast));
    }
    // end::hand-built[]

    private static ArchivedEvent row(String topic, int partition, long offset, Instant timestamp, String key,
                                     String value, ArchiveReason reason, Instant archivedAt) {
        return new ArchivedEvent(topic, partition, offset, timestamp, key, value, reason, archivedAt);
    }

    @BeforeEach
    void archiveAndRead() {
        ArchiveDirectory directory = new ArchiveDirectory(folder);
        directory.append(handBuiltArchive());
        archive = ArchiveReader.of(folder).read();
        summaries = newSummaries();
    }

    /** The table's rows as lists of text, numbers written without a needless ".0", for one readable comparison. */
    static List<List<String>> rows(Table table, String... columns) {
        List<List<String>> rows = new ArrayList<>();
        for (Row row : table) {
            List<String> cells = new ArrayList<>();
            for (String column : columns) {
                Object value = row.getObject(column);
                if (value instanceof Number number) {
                    double d = number.doubleValue();
                    cells.add(d == Math.rint(d) ? Long.toString((long) d) : String.format("%.4f", d));
                } else {
                    cells.add(String.valueOf(value));
                }
            }
            rows.add(cells);
        }
        return rows;
    }

    @Test
    void volume_counts_records_and_their_key_and_value_bytes_per_topic_partition_and_reason() {
        Table volume = summaries.volume(archive);
        assertEquals(List.of(
                        List.of("orders", "0", "retention", "3", "29"),
                        List.of("orders", "1", "archive", "1", "13"),
                        List.of("payments", "0", "retention", "2", "10")),
                rows(volume, "topic", "partition", "reason", "records", "bytes"),
                "bytes are UTF-8: '£4.50' is 6 bytes and '€3' is 4");
    }

    @Test
    void over_time_buckets_records_by_their_own_timestamp() {
        Table minutes = summaries.overTime(archive, ChronoUnit.MINUTES);
        assertEquals(List.of(
                        List.of("orders", "2026-11-23T12:00:00Z", "2", "20"),
                        List.of("orders", "2026-11-23T12:01:00Z", "1", "9"),
                        List.of("orders", "2026-11-23T12:02:00Z", "1", "13"),
                        List.of("payments", "2026-11-23T11:59:00Z", "1", "6"),
                        List.of("payments", "2026-11-23T12:00:00Z", "1", "4")),
                rows(minutes, "topic", "bucket", "records", "bytes"));
    }

    @Test
    void over_time_by_the_hour_puts_a_topics_minutes_together() {
        Table hours = summaries.overTime(archive, ChronoUnit.HOURS);
        assertEquals(List.of(
                        List.of("orders", "2026-11-23T12:00:00Z", "4", "42"),
                        List.of("payments", "2026-11-23T11:00:00Z", "1", "6"),
                        List.of("payments", "2026-11-23T12:00:00Z", "1", "4")),
                rows(hours, "topic", "bucket", "records", "bytes"));
    }

    @Test
    void over_time_refuses_a_bucket_that_is_not_a_minute_an_hour_or_a_day() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> summaries.overTime(archive, ChronoUnit.SECONDS));
        assertEquals(true, refused.getMessage().contains("Seconds") || refused.getMessage().contains("SECONDS"),
                "names the bucket refused: " + refused.getMessage());
    }

    @Test
    void key_spread_shows_each_partitions_share_and_its_distinct_keys() {
        Table spread = summaries.keySpread(archive);
        assertEquals(List.of(
                        List.of("orders", "0", "3", "2", "0.7500"),
                        List.of("orders", "1", "1", "1", "0.2500"),
                        List.of("payments", "0", "2", "0", "1")),
                rows(spread, "topic", "partition", "records", "keys", "share"),
                "records without a key count as records, and as no key");
    }

    @Test
    void hot_keys_are_each_topics_busiest_keys_most_first() {
        assertEquals(List.of(List.of("orders", "till-1", "0", "2", "0.5000")),
                rows(summaries.hotKeys(archive, 1), "topic", "key", "partition", "records", "share"),
                "payments has no keys, so no hot key");
        assertEquals(List.of(
                        List.of("orders", "till-1", "0", "2", "0.5000"),
                        List.of("orders", "till-2", "1", "1", "0.2500")),
                rows(summaries.hotKeys(archive, 2), "topic", "key", "partition", "records", "share"),
                "a tie is broken by the key");
    }

    @Test
    void hot_keys_refuses_fewer_than_one_key() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> summaries.hotKeys(archive, 0));
        assertEquals(true, refused.getMessage().contains("0"), "names the number refused: " + refused.getMessage());
    }

    @Test
    @DisplayName("age at archive is the time from a record's timestamp to its archiving")
    void age_at_archive_is_the_time_from_a_records_timestamp_to_its_archiving() {
        Table ages = summaries.ageAtArchive(archive);
        assertEquals(List.of(
                        List.of("orders", "archive", "1", "1680000", "1680000", "1680000"),
                        List.of("orders", "retention", "3", "3535000", "3550000", "3590000"),
                        List.of("payments", "retention", "2", "600000", "600500", "601000")),
                rows(ages, "topic", "reason", "records", "min_age_ms", "median_age_ms", "max_age_ms"));
    }
}

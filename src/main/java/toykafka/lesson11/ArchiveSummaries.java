package toykafka.lesson11;

import java.time.temporal.ChronoUnit;
import tech.tablesaw.api.Table;

/**
 * The questions lesson 11 asks of an archive, each answered with a table. The archive comes in as
 * {@link toykafka.archive.ArchiveReader} reads it: topic, partition, offset, timestamp, key, bytes, reason,
 * archived_at. Counts may be any number column; rows come sorted as each method says.
 */
// tag::contract[]
public interface ArchiveSummaries {

    /** Columns topic, partition, reason, records, bytes: one row per group, sorted by those three. */
    Table volume(Table archive);

    /**
     * Columns topic, bucket, records, bytes: records per topic in each time bucket of their own timestamps
     * (bucket is the bucket's start, an instant; one of MINUTES, HOURS or DAYS), sorted by topic and bucket.
     * Any other unit is refused with an IllegalArgumentException naming the unit refused.
     * Buckets with no records are left out.
     */
    Table overTime(Table archive, ChronoUnit bucket);

    /**
     * Columns topic, partition, records, keys, share: per partition, its records, how many distinct keys
     * they had, and its share of the topic's records (0 to 1), sorted by topic and partition.
     */
    Table keySpread(Table archive);

    /**
     * Columns topic, key, partition, records, share: each topic's {@code top} busiest keys with their
     * partition and share of the topic's records, by topic, then most records first (ties by key). A
     * {@code top} below 1 is refused with an IllegalArgumentException naming the number refused.
     * Records without a key are left out.
     */
    Table hotKeys(Table archive, int top);

    /**
     * Columns topic, reason, records, min_age_ms, median_age_ms, max_age_ms: how long records lived, from
     * their timestamp to the moment they were archived, sorted by topic and reason.
     */
    Table ageAtArchive(Table archive);
}
// end::contract[]

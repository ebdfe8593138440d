package toykafka.lesson11;

import static tech.tablesaw.aggregate.AggregateFunctions.count;
import static tech.tablesaw.aggregate.AggregateFunctions.countUnique;
import static tech.tablesaw.aggregate.AggregateFunctions.max;
import static tech.tablesaw.aggregate.AggregateFunctions.median;
import static tech.tablesaw.aggregate.AggregateFunctions.min;
import static tech.tablesaw.aggregate.AggregateFunctions.sum;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Set;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.numbers.NumberColumnFormatter;

/** The archive's summaries, each a Tablesaw summarize (a SQL GROUP BY) with its columns renamed. */
public final class TablesawSummaries implements ArchiveSummaries {

    private static final Set<ChronoUnit> BUCKETS = EnumSet.of(ChronoUnit.MINUTES, ChronoUnit.HOURS, ChronoUnit.DAYS);

    // tag::volume[]
    @Override
    public Table volume(Table archive) {
        Table volume = archive.summarize("bytes", count, sum).by("topic", "partition", "reason");
        rename(volume, "Count [bytes]", "records");
        rename(volume, "Sum [bytes]", "bytes");
        return volume.sortOn("topic", "partition", "reason");
    }
    // end::volume[]

    // tag::over-time[]
    @Override
    public Table overTime(Table archive, ChronoUnit bucket) {
        if (!BUCKETS.contains(bucket)) {
            throw new IllegalArgumentException("a bucket is MINUTES, HOURS or DAYS, not " + bucket);
        }
        long width = bucket.getDuration().toMillis();
        InstantColumn starts = InstantColumn.create("bucket");
        for (long millis : archive.instantColumn("timestamp").asEpochMillisArray()) {
            starts.append(Instant.ofEpochMilli(Math.floorDiv(millis, width) * width));
        }
        Table withBuckets = archive.selectColumns("topic", "bytes").addColumns(starts);
        Table counts = withBuckets.summarize("bytes", count, sum).by("topic", "bucket");
        rename(counts, "Count [bytes]", "records");
        rename(counts, "Sum [bytes]", "bytes");
        return counts.sortOn("topic", "bucket");
    }
    // end::over-time[]

    // tag::key-spread[]
    @Override
    public Table keySpread(Table archive) {
        Table records = archive.summarize("offset", count).by("topic", "partition");
        rename(records, "Count [offset]", "records");
        Table keyed = archive.where(archive.stringColumn("key").isNotMissing());
        Table keys = keyed.summarize("key", countUnique).by("topic", "partition");
        rename(keys, "Count Unique [key]", "keys");
        // A left join keeps the partitions whose records had no key at all; they have 0 keys, not none.
        Table spread = records.joinOn("topic", "partition").leftOuter(keys);
        spread.longColumn("keys").setMissingTo(0L);
        return withShareOfTopic(spread).sortOn("topic", "partition");
    }
    // end::key-spread[]

    // tag::hot-keys[]
    @Override
    public Table hotKeys(Table archive, int top) {
        if (top < 1) {
            throw new IllegalArgumentException("ask for at least 1 key per topic, not " + top);
        }
        Table keyed = archive.where(archive.stringColumn("key").isNotMissing());
        Table perKey = keyed.summarize("offset", count).by("topic", "key", "partition");
        rename(perKey, "Count [offset]", "records");
        Table busiestFirst = withShareOfTopic(perKey).sortOn("topic", "-records", "key");
        Table hot = busiestFirst.emptyCopy();
        for (Table topic : busiestFirst.splitOn("topic").asTableList()) {
            hot.append(topic.first(top));
        }
        return hot.sortOn("topic", "-records", "key");
    }
    // end::hot-keys[]

    // tag::age[]
    @Override
    public Table ageAtArchive(Table archive) {
        long[] born = archive.instantColumn("timestamp").asEpochMillisArray();
        long[] archived = archive.instantColumn("archived_at").asEpochMillisArray();
        LongColumn age = LongColumn.create("age_ms", archive.rowCount());
        for (int row = 0; row < born.length; row++) {
            age.set(row, archived[row] - born[row]);
        }
        Table ages = archive.selectColumns("topic", "reason").addColumns(age).summarize("age_ms", count, min, median, max).by("topic", "reason");
        rename(ages, "Count [age_ms]", "records");
        rename(ages, "Min [age_ms]", "min_age_ms");
        rename(ages, "Median [age_ms]", "median_age_ms");
        rename(ages, "Max [age_ms]", "max_age_ms");
        return ages.sortOn("topic", "reason");
    }
    // end::age[]

    /** Adds each row's records as a share of its topic's: a join with the topics' totals, then a division. */
    private static Table withShareOfTopic(Table table) {
        Table totals = table.summarize("records", sum).by("topic");
        Table joined = table.joinOn("topic").inner(totals);
        DoubleColumn share = joined.numberColumn("records").divide(joined.numberColumn("Sum [records]"));
        share.setName("share").setPrintFormatter(NumberColumnFormatter.percent(1));
        return joined.removeColumns("Sum [records]").addColumns(share);
    }

    /** Summarize names its columns after the function, as "Count [bytes]"; a summary names them for the reader. */
    private static void rename(Table table, String from, String to) {
        NumericColumn<?> column = table.numberColumn(from);
        table.replaceColumn(from, column.asLongColumn().setName(to));
    }

    @Override
    public String toString() {
        return "TablesawSummaries";
    }
}

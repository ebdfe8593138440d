package toykafka.exercises.lesson11;

import static tech.tablesaw.aggregate.AggregateFunctions.count;
import static tech.tablesaw.aggregate.AggregateFunctions.countUnique;
import static tech.tablesaw.aggregate.AggregateFunctions.max;
import static tech.tablesaw.aggregate.AggregateFunctions.median;
import static tech.tablesaw.aggregate.AggregateFunctions.min;
import static tech.tablesaw.aggregate.AggregateFunctions.sum;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import tech.tablesaw.api.InstantColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;
import toykafka.lesson11.ArchiveSummaries;

/** A learner's summaries, written from lesson 11's text and hints. */
public class MyArchiveSummaries implements ArchiveSummaries {

    @Override
    public Table volume(Table archive) {
        Table t = archive.summarize("bytes", count, sum).by("topic", "partition", "reason");
        t.column("Count [bytes]").setName("records");
        t.column("Sum [bytes]").setName("bytes");
        return t.sortOn("topic", "partition", "reason");
    }

    @Override
    public Table overTime(Table archive, ChronoUnit bucket) {
        if (bucket != ChronoUnit.MINUTES && bucket != ChronoUnit.HOURS && bucket != ChronoUnit.DAYS) {
            throw new IllegalArgumentException("buckets are minutes, hours or days, not " + bucket);
        }
        long width = bucket.getDuration().toMillis();
        InstantColumn starts = InstantColumn.create("bucket");
        for (Instant time : archive.instantColumn("timestamp")) {
            starts.append(Instant.ofEpochMilli(Math.floorDiv(time.toEpochMilli(), width) * width));
        }
        Table t = archive.copy().addColumns(starts).summarize("bytes", count, sum).by("topic", "bucket");
        t.column("Count [bytes]").setName("records");
        t.column("Sum [bytes]").setName("bytes");
        return t.sortOn("topic", "bucket");
    }

    @Override
    public Table keySpread(Table archive) {
        Table records = archive.summarize("offset", count).by("topic", "partition");
        records.column("Count [offset]").setName("records");
        Table keyed = archive.where(archive.stringColumn("key").isNotMissing());
        Table keys = keyed.summarize("key", countUnique).by("topic", "partition");
        keys.column("Count Unique [key]").setName("keys");
        Table t = records.joinOn("topic", "partition").leftOuter(keys);
        for (int row = 0; row < t.rowCount(); row++) {
            if (t.column("keys").isMissing(row)) {
                t.doubleColumn("keys").set(row, 0.0);
            }
        }
        return withShare(t).sortOn("topic", "partition");
    }

    @Override
    public Table hotKeys(Table archive, int top) {
        if (top < 1) {
            throw new IllegalArgumentException("top must be at least 1, was " + top);
        }
        Table keyed = archive.where(archive.stringColumn("key").isNotMissing());
        Table perKey = keyed.summarize("offset", count).by("topic", "key", "partition");
        perKey.column("Count [offset]").setName("records");
        Table sorted = withShare(perKey).sortOn("topic", "-records", "key");
        Table hot = sorted.emptyCopy();
        for (Table topic : sorted.splitOn("topic").asTableList()) {
            hot.append(topic.first(top));
        }
        return hot.sortOn("topic", "-records", "key");
    }

    @Override
    public Table ageAtArchive(Table archive) {
        long[] born = archive.instantColumn("timestamp").asEpochMillisArray();
        long[] gone = archive.instantColumn("archived_at").asEpochMillisArray();
        LongColumn age = LongColumn.create("age_ms");
        for (int i = 0; i < born.length; i++) {
            age.append(gone[i] - born[i]);
        }
        Table t = archive.copy().addColumns(age).summarize("age_ms", count, min, median, max).by("topic", "reason");
        t.column("Count [age_ms]").setName("records");
        t.column("Min [age_ms]").setName("min_age_ms");
        t.column("Median [age_ms]").setName("median_age_ms");
        t.column("Max [age_ms]").setName("max_age_ms");
        return t.sortOn("topic", "reason");
    }

    private static Table withShare(Table t) {
        Table totals = t.summarize("records", sum).by("topic");
        Table joined = t.joinOn("topic").inner(totals);
        joined.addColumns(joined.numberColumn("records").divide(joined.numberColumn("Sum [records]")).setName("share"));
        return joined.removeColumns("Sum [records]");
    }
}

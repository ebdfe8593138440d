package toykafka.exercises.lesson11;

import java.time.temporal.ChronoUnit;
import tech.tablesaw.api.Table;
import toykafka.lesson11.ArchiveSummaries;

/**
 * Exercise for lesson 11: the questions an archive answers, each as a Tablesaw table.
 * Check your work with {@code ./toykafka check 11}; ask for help with {@code ./toykafka hint 11}.
 * Read the lesson with its code in place: {@code ./toykafka read 11} (add a section's name for one section).
 */
public class MyArchiveSummaries implements ArchiveSummaries {

    @Override
    public Table volume(Table archive) {
        throw new UnsupportedOperationException(
                "volume() is yours to write: see section \"How much, and why it left\" (./toykafka read 11 volume)");
    }

    @Override
    public Table overTime(Table archive, ChronoUnit bucket) {
        throw new UnsupportedOperationException(
                "overTime() is yours to write: see section \"Records over time\" (./toykafka read 11 over-time)");
    }

    @Override
    public Table keySpread(Table archive) {
        throw new UnsupportedOperationException(
                "keySpread() is yours to write: see section \"Keys across partitions\" (./toykafka read 11 key-spread)");
    }

    @Override
    public Table hotKeys(Table archive, int top) {
        throw new UnsupportedOperationException(
                "hotKeys() is yours to write: see section \"Keys across partitions\" (./toykafka read 11 key-spread)");
    }

    @Override
    public Table ageAtArchive(Table archive) {
        throw new UnsupportedOperationException(
                "ageAtArchive() is yours to write: see section \"How long records lived\" (./toykafka read 11 age)");
    }
}

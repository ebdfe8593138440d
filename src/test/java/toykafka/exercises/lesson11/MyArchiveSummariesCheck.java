package toykafka.exercises.lesson11;

import toykafka.lesson11.ArchiveSummaries;
import toykafka.lesson11.ArchiveSummariesContract;

/** The archive summaries contract run against the learner's class: `./toykafka check 11`. */
public class MyArchiveSummariesCheck extends ArchiveSummariesContract {

    @Override
    protected ArchiveSummaries newSummaries() {
        return new MyArchiveSummaries();
    }
}

package toykafka.exercises.lesson10;

import toykafka.lesson10.ArchiveSummaries;
import toykafka.lesson10.ArchiveSummariesContract;

/** The archive summaries contract run against the learner's class: `./toykafka check 10`. */
public class MyArchiveSummariesCheck extends ArchiveSummariesContract {

    @Override
    protected ArchiveSummaries newSummaries() {
        return new MyArchiveSummaries();
    }
}

package toykafka.lesson10;

/** Lesson 10's reference summaries keep the contract. */
class TablesawSummariesTest extends ArchiveSummariesContract {

    @Override
    protected ArchiveSummaries newSummaries() {
        return new TablesawSummaries();
    }
}

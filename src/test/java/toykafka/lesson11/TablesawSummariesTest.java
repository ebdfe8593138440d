package toykafka.lesson11;

/** Lesson 11's reference summaries keep the contract. */
class TablesawSummariesTest extends ArchiveSummariesContract {

    @Override
    protected ArchiveSummaries newSummaries() {
        return new TablesawSummaries();
    }
}

package toykafka.lesson15;

/** The contract, run against the reference filter. */
class AbortedTransactionFilterTest extends CommittedFilterContract {

    @Override
    protected CommittedFilter newFilter() {
        return new AbortedTransactionFilter();
    }
}

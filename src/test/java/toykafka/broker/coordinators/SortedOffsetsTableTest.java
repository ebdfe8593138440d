package toykafka.broker.coordinators;

/** The reference offsets table keeps the contract. */
class SortedOffsetsTableTest extends OffsetsTableContract {

    @Override
    protected OffsetsTable newTable() {
        return new SortedOffsetsTable();
    }
}

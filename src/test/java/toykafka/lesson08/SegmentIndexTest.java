package toykafka.lesson08;

/** The reference sparse index keeps the index contract. */
class SegmentIndexTest extends OffsetIndexContract {

    @Override
    protected OffsetIndex newIndex(long baseOffset) {
        return new SegmentIndex(baseOffset);
    }
}

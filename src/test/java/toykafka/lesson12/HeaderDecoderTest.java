package toykafka.lesson12;

/** Lesson 12's reference decoder keeps the contract the exercise is checked against. */
class HeaderDecoderTest extends RequestHeaderReaderContract {

    @Override
    protected RequestHeaderReader newReader() {
        return new HeaderDecoder();
    }
}

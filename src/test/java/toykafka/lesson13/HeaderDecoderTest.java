package toykafka.lesson13;

/** Lesson 13's reference decoder keeps the contract the exercise is checked against. */
class HeaderDecoderTest extends RequestHeaderReaderContract {

    @Override
    protected RequestHeaderReader newReader() {
        return new HeaderDecoder();
    }
}

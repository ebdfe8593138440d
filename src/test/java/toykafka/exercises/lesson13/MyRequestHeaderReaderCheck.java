package toykafka.exercises.lesson13;

import toykafka.lesson13.RequestHeaderReader;
import toykafka.lesson13.RequestHeaderReaderContract;

/** The request-header contract run against the learner's class: `./toykafka check 13`. */
public class MyRequestHeaderReaderCheck extends RequestHeaderReaderContract {

    @Override
    protected RequestHeaderReader newReader() {
        return new MyRequestHeaderReader();
    }
}

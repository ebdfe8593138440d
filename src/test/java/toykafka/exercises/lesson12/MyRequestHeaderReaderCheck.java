package toykafka.exercises.lesson12;

import toykafka.lesson12.RequestHeaderReader;
import toykafka.lesson12.RequestHeaderReaderContract;

/** The request-header contract run against the learner's class: `./toykafka check 12`. */
public class MyRequestHeaderReaderCheck extends RequestHeaderReaderContract {

    @Override
    protected RequestHeaderReader newReader() {
        return new MyRequestHeaderReader();
    }
}

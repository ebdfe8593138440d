package toykafka.exercises.lesson14;

import toykafka.broker.group.classic.ConsumerProtocolCodec;
import toykafka.broker.group.classic.ConsumerProtocolCodecContract;

/** The consumer-protocol contract run against the learner's class: `./toykafka check 14`. */
public class MyConsumerProtocolCodecCheck extends ConsumerProtocolCodecContract {

    @Override
    protected ConsumerProtocolCodec newCodec() {
        return new MyConsumerProtocolCodec();
    }
}

package toykafka.harness;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** One protocol of {@link ManyConnectionsLoad}: its requests, encoded once, and how its answers are read. */
interface ProduceWire {

    /**
     * Every different request of the load, ready to write: request {@code f} carries a batch for partitions
     * {@code f * partitionsPerRequest} up to the next request's, so together they write every partition once.
     */
    ByteBuffer[] requests(ManyConnectionsLoad.Shape shape, int port);

    /** A reader of one connection's answers. */
    AnswerReader reader(ManyConnectionsLoad.Shape shape);

    /** Reads one connection's answers as their bytes arrive. */
    interface AnswerReader {

        /**
         * Reads what has arrived: null until the answer is whole, then what it said. A refusal that sending again
         * may mend is answered with {@code sendAgain} if {@code mayRetry}; any other refusal throws, naming it.
         */
        Answer read(SocketChannel channel, boolean mayRetry) throws IOException;
    }

    /** A whole answer: the records the broker took, and whether the same request should go again. */
    record Answer(long recordsTaken, boolean sendAgain) {
    }
}

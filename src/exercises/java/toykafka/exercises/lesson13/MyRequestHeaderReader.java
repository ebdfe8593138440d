package toykafka.exercises.lesson13;

import java.nio.ByteBuffer;
import toykafka.lesson13.RequestHeaderReader;

/**
 * Exercise for lesson 13: read the header every Kafka request starts with.
 * Check your work with {@code ./toykafka check 13}; ask for help with {@code ./toykafka hint 13}.
 * Read the lesson with its code in place: {@code ./toykafka read 13} (add a section's name for one section).
 */
public class MyRequestHeaderReader implements RequestHeaderReader {

    @Override
    public Header read(ByteBuffer request, int headerVersion) {
        throw new UnsupportedOperationException(
                "read() is yours to write: see section \"A frame, byte by byte\" (./toykafka read 13 frame)");
    }
}

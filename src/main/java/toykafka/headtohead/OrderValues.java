package toykafka.headtohead;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Record values for the codec rows: the fish shop's orders as JSON, each different, padded or cut to one size. A
 * value of one repeated byte compresses to almost nothing, and random bytes not at all; orders compress about as
 * much as the JSON a real topic carries, so each codec does the work it does in use. The same seed every run, so
 * both brokers get the same bytes.
 */
final class OrderValues {

    /** How many different values a run cycles through. */
    static final int COUNT = 1024;
    private static final List<String> ITEMS = List.of("cod", "haddock", "plaice", "scampi", "chips", "mushy peas",
            "curry sauce", "pickled egg", "battered sausage", "fishcake", "saveloy", "gravy", "pie", "onion rings");

    private OrderValues() {
    }

    static byte[][] of(int valueBytes, int count) {
        Random random = new Random(42);
        byte[][] values = new byte[count][];
        for (int v = 0; v < count; v++) {
            StringBuilder order = new StringBuilder("{\"order\":").append(10_000 + v).append(",\"till\":")
                    .append(1 + random.nextInt(6)).append(",\"at\":\"2024-05-17T").append(11 + random.nextInt(10))
                    .append(':').append(10 + random.nextInt(50)).append(":00Z\",\"parts\":[");
            while (order.length() < valueBytes) {
                order.append("{\"item\":\"").append(ITEMS.get(random.nextInt(ITEMS.size()))).append("\",\"qty\":")
                        .append(1 + random.nextInt(4)).append(",\"pence\":").append(100 + random.nextInt(900)).append("},");
            }
            values[v] = Arrays.copyOf(order.toString().getBytes(StandardCharsets.US_ASCII), valueBytes);
        }
        return values;
    }
}

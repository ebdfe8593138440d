package toykafka.lesson04;

/**
 * MurmurHash2 (Austin Appleby's 32-bit hash), with the seed Kafka's producer uses. A key's partition is
 * {@code toPositive(hash(key)) % partitions}, so the same key bytes go to the same partition here as in Kafka.
 */
public final class Murmur2 {

    private static final int SEED = 0x9747b28c;
    private static final int MULTIPLIER = 0x5bd1e995;
    private static final int SHIFT = 24;

    private Murmur2() {
    }

    // tag::hash[]
    public static int hash(byte[] data) {
        int length = data.length;
        int h = SEED ^ length;
        int whole = length - length % 4;
        // Mix the key four bytes at a time, each group read as a little-endian int.
        for (int i = 0; i < whole; i += 4) {
            int k = (data[i] & 0xff) | (data[i + 1] & 0xff) << 8 | (data[i + 2] & 0xff) << 16 | (data[i + 3] & 0xff) << 24;
            k *= MULTIPLIER;
            k ^= k >>> SHIFT;
            k *= MULTIPLIER;
            h = h * MULTIPLIER ^ k;
        }
        // Fold in the last one to three bytes, highest first.
        int tail = length - whole;
        if (tail > 0) {
            if (tail == 3) {
                h ^= (data[whole + 2] & 0xff) << 16;
            }
            if (tail >= 2) {
                h ^= (data[whole + 1] & 0xff) << 8;
            }
            h ^= data[whole] & 0xff;
            h *= MULTIPLIER;
        }
        // A final avalanche, so that every input bit reaches every output bit.
        h ^= h >>> 13;
        h *= MULTIPLIER;
        h ^= h >>> 15;
        return h;
    }
    // end::hash[]

    // tag::positive[]
    /**
     * Clears the sign bit. Kafka does this rather than Math.abs, which leaves Integer.MIN_VALUE negative
     * and so would give a negative partition for one hash in four billion.
     */
    public static int toPositive(int number) {
        return number & 0x7fffffff;
    }
    // end::positive[]
}

package toykafka.lesson04;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.common.Record;

/**
 * Kafka's own client library is the oracle: for the same key bytes and partition count, our key-hash
 * partitioner must pick the partition Kafka's producer picks. Keys and counts come from a seeded
 * generator, so a failure names a case that can be run again.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaPartitionerOracleTest {

    private static final long SEED = 20240517L;
    private static final int CASES = 20_000;

    @Test
    void our_murmur2_equals_kafkas_for_random_keys_of_every_length() {
        Random random = new Random(SEED);
        for (int i = 0; i < CASES; i++) {
            byte[] key = randomKey(random);
            assertEquals(Utils.murmur2(key), Murmur2.hash(key), () -> "murmur2 of " + describe(key));
            int hash = random.nextInt();
            assertEquals(Utils.toPositive(hash), Murmur2.toPositive(hash), "toPositive(" + hash + ")");
        }
    }

    // tag::oracle[]
    @Test
    void a_key_lands_in_the_partition_kafkas_producer_would_choose() {
        Random random = new Random(SEED + 1);
        KeyHashPartitioner ours = new KeyHashPartitioner();
        for (int i = 0; i < CASES; i++) {
            byte[] key = randomKey(random);
            int partitions = 1 + random.nextInt(random.nextBoolean() ? 12 : 1000);
            Record record = new Record(key, new byte[] {1}, Instant.EPOCH, List.of());
            int expected = kafkasPartition(key, partitions);
            assertEquals(expected, ours.partition("orders", record, partitions),
                    () -> describe(key) + " with " + partitions + " partitions");
        }
    }
    // end::oracle[]

    @Test
    void text_keys_agree_too_including_the_tills_of_the_lesson() {
        Random random = new Random(SEED + 2);
        for (int i = 0; i < CASES; i++) {
            String text = randomText(random);
            byte[] key = text.getBytes(StandardCharsets.UTF_8);
            int partitions = 1 + random.nextInt(64);
            assertEquals(kafkasPartition(key, partitions),
                    KeyHashPartitioner.partitionForKey(key, partitions), () -> "key '" + text + "', " + partitions);
        }
        for (String till : List.of("till-1", "till-2", "till-3")) {
            byte[] key = till.getBytes(StandardCharsets.UTF_8);
            assertEquals(kafkasPartition(key, 3), KeyHashPartitioner.partitionForKey(key, 3), till);
        }
    }

    @Test
    void the_hashes_whose_sign_bit_matters_agree() {
        // Integer.MIN_VALUE is the one number Math.abs cannot make positive; toPositive must give 0 for it.
        assertEquals(0, Murmur2.toPositive(Integer.MIN_VALUE));
        assertEquals(Utils.toPositive(Integer.MIN_VALUE), Murmur2.toPositive(Integer.MIN_VALUE));
        assertEquals(Utils.toPositive(-1), Murmur2.toPositive(-1));
    }

    /**
     * The keyed branch of kafka-clients' built-in partitioner, from Kafka's public {@link Utils}. Not
     * MockProducer: with no partitioner given, it puts every record in the topic's first partition.
     */
    private static int kafkasPartition(byte[] key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }

    private static byte[] randomKey(Random random) {
        // Mostly short keys, as real keys are, with every tail length 0..3 well covered; some long ones.
        int length = random.nextInt(10) == 0 ? random.nextInt(300) : random.nextInt(17);
        byte[] key = new byte[length];
        random.nextBytes(key);
        return key;
    }

    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(24);
        for (int i = 0; i < length; i++) {
            // Mostly ASCII, sometimes a letter that UTF-8 writes as 2 or 3 bytes.
            text.append(random.nextInt(8) == 0 ? (char) (0xa0 + random.nextInt(0x2000)) : (char) (32 + random.nextInt(95)));
        }
        return text.toString();
    }

    private static String describe(byte[] key) {
        return "key of " + key.length + " bytes " + java.util.HexFormat.of().formatHex(key);
    }
}

package toykafka.lesson12;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.check.MessageFacts.assertMentions;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** What every KeyOffsetMap promises; lesson 12's exercise is checked against it too. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class OffsetMapContract {

    /** A map in {@code memoryBytes} of memory, 24 bytes a key as Kafka's cleaner counts them. */
    protected abstract KeyOffsetMap newMap(int memoryBytes);

    static final int BYTES_PER_KEY = 24;

    private static byte[] key(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    protected void each_key_maps_to_its_latest_offset_as_a_hash_map_would() {
        KeyOffsetMap map = newMap(BYTES_PER_KEY * 20_000);
        Map<String, Long> oracle = new HashMap<>();
        Random random = new Random(11);
        for (long offset = 0; offset < 50_000; offset++) {
            String k = "customer-" + random.nextInt(5_000);
            assertTrue(map.put(key(k), offset));
            oracle.put(k, offset);
        }
        assertEquals(oracle.size(), map.size());
        oracle.forEach((k, offset) -> assertEquals(offset, map.get(key(k)), k));
        assertEquals(-1, map.get(key("never-seen")));
        assertEquals(-1, map.get(key("customer-" + 5_000)), "a key near the others, never put");
        assertEquals(49_999, map.latestOffset());
    }

    @Test
    protected void a_full_map_refuses_new_keys_but_still_moves_known_ones_forward() {
        KeyOffsetMap map = newMap(BYTES_PER_KEY * 10);
        assertEquals(9, map.maxKeys(), "ten keys' worth of memory, filled to 90% as Kafka's map is");
        for (int i = 0; i < 9; i++) {
            assertTrue(map.put(key("k" + i), i));
        }
        assertEquals(map.maxKeys(), map.size());
        assertFalse(map.put(key("k9"), 9), "a tenth key does not fit");
        assertEquals(8, map.latestOffset(), "a refused key changes nothing");
        assertTrue(map.put(key("k3"), 10), "a known key needs no new slot");
        assertEquals(10, map.get(key("k3")));
        assertEquals(9, map.size());
    }

    @Test
    protected void offsets_go_in_increasing_order_as_a_log_is_read() {
        KeyOffsetMap map = newMap(1024);
        map.put(key("a"), 7);
        IllegalArgumentException lower = assertThrows(IllegalArgumentException.class, () -> map.put(key("b"), 5),
                "an offset below the latest is refused");
        assertMentions(lower, 5, 7); // the offset refused and the latest one
        IllegalArgumentException equal = assertThrows(IllegalArgumentException.class, () -> map.put(key("b"), 7),
                "an offset equal to the latest is refused too: offsets only go up");
        assertMentions(equal, 7);
        assertEquals(7, map.latestOffset(), "a refused put changes nothing");
        assertEquals(-1, map.get(key("b")));
    }

    @Test
    protected void clear_empties_it_for_the_next_pass() {
        KeyOffsetMap map = newMap(1024);
        map.put(key("a"), 1);
        map.clear();
        assertEquals(0, map.size());
        assertEquals(-1, map.get(key("a")));
        assertTrue(map.put(key("a"), 0), "offsets start again after a clear");
    }

}

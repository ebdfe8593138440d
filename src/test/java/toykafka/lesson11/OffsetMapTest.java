package toykafka.lesson11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OffsetMapTest {

    private static byte[] key(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void each_key_maps_to_its_latest_offset_as_a_hash_map_would() {
        OffsetMap map = new OffsetMap(OffsetMap.BYTES_PER_KEY * 20_000);
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
        assertEquals(49_999, map.latestOffset());
    }

    @Test
    void a_full_map_refuses_new_keys_but_still_moves_known_ones_forward() {
        OffsetMap map = new OffsetMap(OffsetMap.BYTES_PER_KEY * 10);
        assertEquals(9, map.maxKeys(), "90% of ten slots");
        for (int i = 0; i < 9; i++) {
            assertTrue(map.put(key("k" + i), i));
        }
        assertTrue(map.isFull());
        assertFalse(map.put(key("k9"), 9), "a tenth key does not fit");
        assertEquals(8, map.latestOffset(), "a refused key changes nothing");
        assertTrue(map.put(key("k3"), 10), "a known key needs no new slot");
        assertEquals(10, map.get(key("k3")));
    }

    @Test
    void offsets_go_in_increasing_order_as_a_log_is_read() {
        OffsetMap map = new OffsetMap(1024);
        map.put(key("a"), 5);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> map.put(key("b"), 5));
        assertTrue(refused.getMessage().contains("5 came after 5"), refused.getMessage());
    }

    @Test
    void clear_empties_it_for_the_next_pass() {
        OffsetMap map = new OffsetMap(1024);
        map.put(key("a"), 1);
        map.clear();
        assertEquals(0, map.size());
        assertEquals(-1, map.get(key("a")));
        assertTrue(map.put(key("a"), 0), "offsets start again after a clear");
    }

    @Test
    void a_map_too_small_for_two_keys_is_refused_with_the_minimum() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new OffsetMap(40));
        assertEquals("an offset map needs at least 48 bytes (two keys of 24), not 40", refused.getMessage());
    }
}

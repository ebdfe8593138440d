package toykafka.lesson12;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Lesson 12's offset map keeps the contract, and refuses a memory too small to hold two keys. */
class OffsetMapTest extends OffsetMapContract {

    @Override
    protected KeyOffsetMap newMap(int memoryBytes) {
        return new OffsetMap(memoryBytes);
    }

    @Test
    void a_map_too_small_for_two_keys_is_refused_with_the_minimum() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new OffsetMap(40));
        assertEquals("an offset map needs at least 48 bytes (two keys of 24), not 40", refused.getMessage());
    }
}

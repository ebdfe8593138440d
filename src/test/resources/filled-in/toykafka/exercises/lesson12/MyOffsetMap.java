package toykafka.exercises.lesson12;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import toykafka.lesson12.KeyOffsetMap;

/** A learner's offset map, written from lesson 12's text and hints: a HashMap with Kafka's limit on keys. */
public class MyOffsetMap implements KeyOffsetMap {

    private final Map<ByteBuffer, Long> offsets = new HashMap<>();
    private final int maxKeys;
    private long latest = -1;

    public MyOffsetMap(int memoryBytes) {
        maxKeys = (int) (memoryBytes / 24 * 0.9);
    }

    @Override
    public boolean put(byte[] key, long offset) {
        if (offset <= latest) {
            throw new IllegalArgumentException("offset " + offset + " came after " + latest);
        }
        ByteBuffer k = ByteBuffer.wrap(key.clone());
        if (!offsets.containsKey(k) && offsets.size() >= maxKeys) {
            return false;
        }
        offsets.put(k, offset);
        latest = offset;
        return true;
    }

    @Override
    public long get(byte[] key) {
        return offsets.getOrDefault(ByteBuffer.wrap(key), -1L);
    }

    @Override
    public int size() {
        return offsets.size();
    }

    @Override
    public int maxKeys() {
        return maxKeys;
    }

    @Override
    public long latestOffset() {
        return latest;
    }

    @Override
    public void clear() {
        offsets.clear();
        latest = -1;
    }
}

package toykafka.lesson12;

/**
 * The contract asks a refusal for its facts, never its words: a map that refuses an old offset in words of its
 * own, naming both offsets, keeps it as the reference map does.
 */
class OffsetMapInOwnWordsTest extends OffsetMapContract {

    @Override
    protected KeyOffsetMap newMap(int memoryBytes) {
        OffsetMap reference = new OffsetMap(memoryBytes);
        return new KeyOffsetMap() {
            @Override
            public boolean put(byte[] key, long offset) {
                if (offset <= reference.latestOffset()) {
                    throw new IllegalArgumentException("offset " + offset + " is not above the latest offset, "
                            + reference.latestOffset());
                }
                return reference.put(key, offset);
            }

            @Override
            public long get(byte[] key) {
                return reference.get(key);
            }

            @Override
            public int size() {
                return reference.size();
            }

            @Override
            public int maxKeys() {
                return reference.maxKeys();
            }

            @Override
            public long latestOffset() {
                return reference.latestOffset();
            }

            @Override
            public void clear() {
                reference.clear();
            }
        };
    }
}

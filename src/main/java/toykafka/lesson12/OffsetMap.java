package toykafka.lesson12;

import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Each key's latest offset, in a fixed amount of memory: what the cleaner builds over the dirty part of a
 * log before it rewrites anything. As Kafka's cleaner does (its SkimpyOffsetMap), a key is kept as its
 * 16-byte MD5 hash beside an 8-byte offset, in one buffer of slots found by open addressing, so a million
 * keys take 24 MB whatever their size. Two keys with the same MD5 would be taken for one; the chance is
 * far below that of a disk error.
 * <p>
 * The map refuses keys once it is 90% full. The cleaner then cleans only up to the last offset it mapped,
 * and the next pass goes on from there: a log with more keys than fit is cleaned in several passes.
 */
public final class OffsetMap implements KeyOffsetMap {

    /** The bytes one key takes: its hash and its offset. */
    public static final int BYTES_PER_KEY = 16 + 8;
    private static final double MAX_LOAD = 0.9;
    private static final int HASH = 16;

    private final ByteBuffer slots;
    private final int capacity;
    private final int maxEntries;
    private final MessageDigest md5;
    private final byte[] hash = new byte[HASH];
    private int entries;
    private long latestOffset = -1;
    private long lookups;
    private long probes;

    /** A map in {@code memoryBytes} of memory: at least one key's worth. */
    public OffsetMap(int memoryBytes) {
        if (memoryBytes < BYTES_PER_KEY * 2) {
            throw new IllegalArgumentException("an offset map needs at least " + BYTES_PER_KEY * 2 + " bytes (two keys"
                    + " of " + BYTES_PER_KEY + "), not " + memoryBytes);
        }
        this.capacity = memoryBytes / BYTES_PER_KEY;
        this.maxEntries = Math.max(1, (int) (capacity * MAX_LOAD));
        this.slots = ByteBuffer.allocate(capacity * BYTES_PER_KEY);
        try {
            this.md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
        clear();
    }

    // tag::put[]
    /**
     * Records that {@code key}'s latest record is at {@code offset}. Returns false, and changes nothing, when
     * the key is new and the map is full. Offsets must come in increasing order, as a log is read.
     */
    @Override
    public boolean put(byte[] key, long offset) {
        if (offset <= latestOffset) {
            throw new IllegalArgumentException("offsets go into the map in increasing order: " + offset
                    + " came after " + latestOffset);
        }
        int slot = find(key);
        if (offsetAt(slot) < 0) {
            if (entries == maxEntries) {
                return false;
            }
            slots.put(slot * BYTES_PER_KEY, hash);
            entries++;
        }
        slots.putLong(slot * BYTES_PER_KEY + HASH, offset);
        latestOffset = offset;
        return true;
    }
    // end::put[]

    /** The latest offset mapped for {@code key}, or -1 if it is not in the map. */
    @Override
    public long get(byte[] key) {
        return offsetAt(find(key));
    }

    /** The slot holding the key's hash, or the empty slot where it would go. Leaves the hash in {@code hash}. */
    private int find(byte[] key) {
        md5.update(key);
        try {
            md5.digest(hash, 0, HASH);
        } catch (DigestException e) {
            throw new IllegalStateException("an MD5 digest is 16 bytes", e);
        }
        lookups++;
        // the first four bytes of an MD5 are as random as any: start there, then step through the slots
        int slot = Math.floorMod(ByteBuffer.wrap(hash).getInt(), capacity);
        while (true) {
            probes++;
            if (offsetAt(slot) < 0 || sameHash(slot)) {
                return slot;
            }
            slot = (slot + 1) % capacity;
        }
    }

    private boolean sameHash(int slot) {
        int start = slot * BYTES_PER_KEY;
        for (int i = 0; i < HASH; i++) {
            if (slots.get(start + i) != hash[i]) {
                return false;
            }
        }
        return true;
    }

    private long offsetAt(int slot) {
        return slots.getLong(slot * BYTES_PER_KEY + HASH);
    }

    /** Empties the map for the next pass. */
    @Override
    public void clear() {
        for (int slot = 0; slot < capacity; slot++) {
            slots.putLong(slot * BYTES_PER_KEY + HASH, -1);
        }
        entries = 0;
        latestOffset = -1;
    }

    /** How many keys are mapped. */
    @Override
    public int size() {
        return entries;
    }

    /** How many keys fit before the map refuses more. */
    @Override
    public int maxKeys() {
        return maxEntries;
    }

    public boolean isFull() {
        return entries == maxEntries;
    }

    /** The offset put last, the highest; -1 when empty. */
    @Override
    public long latestOffset() {
        return latestOffset;
    }

    /** Slots looked at per lookup: 1 is perfect; it grows as the map fills. */
    public double probesPerLookup() {
        return lookups == 0 ? 0 : (double) probes / lookups;
    }

    @Override
    public String toString() {
        return "OffsetMap[" + entries + " of " + maxEntries + " keys, latest offset " + latestOffset + "]";
    }
}

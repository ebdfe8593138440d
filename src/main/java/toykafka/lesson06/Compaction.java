package toykafka.lesson06;

import java.util.List;

/**
 * What one compaction did.
 *
 * @param removedOffsets the offsets it removed, in order; the log will never hold them again
 * @param cleanedUpTo    everything before this offset is now clean: the start of the head
 */
public record Compaction(List<Long> removedOffsets, long cleanedUpTo) {

    public Compaction {
        removedOffsets = List.copyOf(removedOffsets);
    }

    @Override
    public String toString() {
        return "Compaction[removed " + removedOffsets + ", clean up to offset " + cleanedUpTo + "]";
    }
}

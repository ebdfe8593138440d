package toykafka.lesson09;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import toykafka.common.CorruptRecordException;
import toykafka.lesson08.IndexEntry;
import toykafka.lesson08.PartitionDirectory;
import toykafka.lesson08.Segment;
import toykafka.lesson08.SegmentIndex;

/**
 * What opening a log checks so that records gone from the directory are never lost in silence: a {@code .log}
 * missing beside its indexes, a file cut short behind its own index, a segment missing between two others.
 * Each refusal names the file and says how to accept the loss, which is always a person's act: deleting the
 * files that are the evidence. Runs only while a log opens, as part of {@link Recovery}.
 */
final class MissingSegments {

    private MissingSegments() {
    }

    // tag::every-log[]
    /**
     * Refuses if a segment's index files are there without its {@code .log}. Retention and the cleaner delete
     * a segment by renaming its log to {@code .deleted} first, so orphans they leave are gone already (see
     * {@link Recovery#removeLeftovers}); these lost their log some other way.
     */
    static void requireEveryLog(Path dir) throws IOException {
        TreeMap<Long, TreeSet<String>> orphans = new TreeMap<>();
        TreeSet<Long> logs = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (PartitionDirectory.isSegmentFile(name)) {
                    long base = PartitionDirectory.baseOffsetOf(file);
                    if (name.endsWith(".log")) {
                        logs.add(base);
                    } else {
                        orphans.computeIfAbsent(base, b -> new TreeSet<>()).add(name);
                    }
                }
            }
        }
        orphans.keySet().removeAll(logs);
        if (orphans.isEmpty()) {
            return;
        }
        long base = orphans.firstKey();
        Long next = logs.higher(base);
        String evidence = String.join(" and ", orphans.get(base));
        throw new Recovery.RecordsMissing(PartitionDirectory.fileName(base, "log"), 0, "this segment's log file"
                + " is missing, though its " + evidence + " remain" + (orphans.get(base).size() == 1 ? "s" : "")
                + ": records " + base + (next == null ? " on" : ".." + (next - 1)) + " are gone"
                + " from " + dir + ". Restore the file from a copy; or, to accept the loss, delete " + evidence
                + ", and the log opens without those records");
    }
    // end::every-log[]

    /**
     * A crash can only lose what was written after the last flush, and a flush writes the index entries it
     * has. So an entry on disk that points at or past the end of the {@code .log} says records were flushed
     * and then cut off: refuse, before anything is cut or rewritten.
     */
    static void requireIndexedRecords(Segment segment, SegmentIndex indexOnDisk, long fileSize) {
        for (int i = 0; i < indexOnDisk.entries(); i++) {
            IndexEntry entry = indexOnDisk.entry(i);
            if (entry.position() >= fileSize) {
                throw new Recovery.RecordsMissing(segment.name(), fileSize, "the file ends here, but its index on disk"
                        + " says a batch ending at offset " + entry.offset() + " starts at byte " + entry.position()
                        + ": records " + segment.nextOffset() + ".." + entry.offset() + " at least were flushed, for"
                        + " the index is written only with them, and the file was cut short since. Restore it from a"
                        + " copy; or, to accept the loss, delete " + segment.file("index").getFileName() + ", and the"
                        + " log opens with the records that are left");
            }
        }
    }

    /**
     * A segment's records stop before the next one's base. If the next is the newest, is empty, and no
     * checkpoint ever reached its base, no roll made it (a roll seals the segment before whole, then
     * checkpoints the new base): it is a stray file, so name it, not the good segment before it.
     */
    static CorruptRecordException strayOrMissing(Path dir, List<Long> bases, long flushedUpTo,
                                                 Recovery.EndsEarly early) throws IOException {
        long newest = bases.get(bases.size() - 1);
        Path newestLog = dir.resolve(PartitionDirectory.fileName(newest, "log"));
        if (early.nextBase != newest || Files.size(newestLog) > 0 || flushedUpTo >= newest) {
            return early;
        }
        return new Recovery.RecordsMissing(newestLog.getFileName().toString(), 0, "this segment is empty and starts"
                + " at offset " + newest + ", but the segment before it ends at offset " + early.lastOffset + " and"
                + " the log's recovery point checkpoint is " + flushedUpTo + ": no roll of this log made it, so it"
                + " is a stray file. Move it out of " + dir + ", and the log opens");
    }
}

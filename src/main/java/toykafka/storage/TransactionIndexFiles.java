package toykafka.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import toykafka.lesson08.PartitionDirectory;
import toykafka.lesson08.SegmentInfo;
import toykafka.lesson09.FileLog;
import toykafka.storage.producers.AbortedIndex;
import toykafka.storage.producers.AbortedTxn;

/**
 * The aborted-transaction indexes of a log on files: a {@link TransactionIndex} file beside each segment that
 * holds an ABORT marker. The log's producer state writes them; Kafka's tools, and the console, read them.
 */
final class TransactionIndexFiles implements AbortedIndex {

    private final FileLog files;

    TransactionIndexFiles(FileLog files) {
        this.files = files;
    }

    @Override
    public void add(AbortedTxn aborted) {
        try {
            TransactionIndex.append(TransactionIndex.file(files.directory(), segmentBaseOffset(files,
                    aborted.lastOffset())), aborted);
        } catch (IOException | RuntimeException e) {
            // retention took the segment meanwhile, or the disk refused: the next start writes the index again
        }
    }

    @Override
    public void rewrite(List<AbortedTxn> aborted, long below) {
        Path dir = files.directory();
        List<Long> bases = files.segments().stream().map(SegmentInfo::baseOffset).filter(base -> base < below).toList();
        try {
            for (int i = 0; i < bases.size(); i++) {
                long from = bases.get(i);
                long upTo = i + 1 < bases.size() ? bases.get(i + 1) : below;
                TransactionIndex.write(TransactionIndex.file(dir, from), aborted.stream()
                        .filter(entry -> entry.lastOffset() >= from && entry.lastOffset() < upTo).toList());
            }
            for (Path leftover : indexFiles(dir)) { // of a segment retention or the cleaner removed
                long base = PartitionDirectory.baseOffsetOf(leftover);
                if (base < below && !bases.contains(base)) {
                    Files.deleteIfExists(leftover);
                }
            }
        } catch (IOException e) {
            throw PartitionDirectory.failure("cannot rewrite the aborted-transaction indexes of", dir, e);
        }
    }

    /** Every entry of the segments' indexes, oldest segment first. */
    List<AbortedTxn> read() {
        List<AbortedTxn> entries = new ArrayList<>();
        try {
            for (SegmentInfo segment : files.segments()) {
                entries.addAll(TransactionIndex.read(TransactionIndex.file(files.directory(), segment.baseOffset())));
            }
        } catch (IOException e) {
            throw PartitionDirectory.failure("cannot read the aborted-transaction indexes of", files.directory(), e);
        }
        return entries;
    }

    /** The base offset of the segment holding {@code offset}, from the name of its file. */
    static long segmentBaseOffset(FileLog files, long offset) {
        String segment = files.locate(offset).segment();
        return Long.parseLong(segment.substring(0, segment.indexOf('.')));
    }

    private static List<Path> indexFiles(Path dir) throws IOException {
        String suffix = "." + PartitionDirectory.TRANSACTION_INDEX;
        try (Stream<Path> listed = Files.list(dir)) {
            return listed.filter(file -> file.getFileName().toString().matches("\\d{20}\\" + suffix)).toList();
        }
    }
}

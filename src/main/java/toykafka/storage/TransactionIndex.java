package toykafka.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import toykafka.lesson08.PartitionDirectory;
import toykafka.storage.producers.AbortedTxn;

/**
 * A segment's aborted-transaction index, {@code <base offset>.txnindex}, byte for byte as Kafka writes it
 * ({@code TransactionIndex}): one 34-byte entry a transaction whose ABORT marker is in the segment, in marker
 * order. Like Kafka's, the file exists only once a segment has an entry, and goes with its segment.
 */
final class TransactionIndex {

    /** Version 0, then producer id, first offset, last offset and last stable offset. */
    static final int ENTRY_BYTES = 2 + 4 * Long.BYTES;
    private static final short VERSION = 0;

    private TransactionIndex() {
    }

    static Path file(Path dir, long segmentBaseOffset) {
        return dir.resolve(PartitionDirectory.fileName(segmentBaseOffset, PartitionDirectory.TRANSACTION_INDEX));
    }

    // tag::entry[]
    static ByteBuffer encode(List<AbortedTxn> entries) {
        ByteBuffer bytes = ByteBuffer.allocate(entries.size() * ENTRY_BYTES);
        for (AbortedTxn aborted : entries) {
            bytes.putShort(VERSION).putLong(aborted.producerId()).putLong(aborted.firstOffset())
                    .putLong(aborted.lastOffset()).putLong(aborted.lastStableOffset());
        }
        return bytes.flip();
    }
    // end::entry[]

    /** Adds one entry at the end of the segment's file, making the file if it is the segment's first. */
    static void append(Path file, AbortedTxn aborted) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer entry = encode(List.of(aborted));
            while (entry.hasRemaining()) {
                channel.write(entry);
            }
        }
    }

    /** The file's entries, or none if it does not exist; refuses a file that holds no whole number of them. */
    static List<AbortedTxn> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
        if (bytes.remaining() % ENTRY_BYTES != 0) {
            throw new IOException(file.getFileName() + " is " + bytes.remaining() + " bytes long, which is no whole"
                    + " number of " + ENTRY_BYTES + "-byte entries");
        }
        List<AbortedTxn> entries = new ArrayList<>();
        while (bytes.hasRemaining()) {
            short version = bytes.getShort();
            if (version != VERSION) {
                throw new IOException(file.getFileName() + " holds an entry of version " + version + "; only version "
                        + VERSION + " exists");
            }
            entries.add(new AbortedTxn(bytes.getLong(), bytes.getLong(), bytes.getLong(), bytes.getLong()));
        }
        return entries;
    }

    /**
     * Makes the file hold exactly {@code entries}, written whole or not at all; deletes it when there are none.
     * Leaves a file that already holds them untouched.
     */
    static void write(Path file, List<AbortedTxn> entries) throws IOException {
        if (entries.isEmpty()) {
            Files.deleteIfExists(file);
            return;
        }
        ByteBuffer wanted = encode(entries);
        if (Files.isRegularFile(file) && ByteBuffer.wrap(Files.readAllBytes(file)).equals(wanted)) {
            return;
        }
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (wanted.hasRemaining()) {
                channel.write(wanted);
            }
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}

package toykafka.broker.txn;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import toykafka.common.Directories;

/**
 * Hands out producer ids to idempotent producers (InitProducerId without a transactional id): Kafka's
 * {@code ProducerIdManager}. An id must never be handed out twice, not even across a restart, or a new
 * producer would inherit an old one's sequences in every partition and be refused as out of order.
 *
 * <p>So ids go out in blocks, as Kafka's controller gives them to brokers: before the first id of a block
 * is handed out, the start of the next block is written to {@value #FILE} in the data directory (a new
 * file, fsynced, then renamed over the old one). A restart begins at that next block, skipping whatever was
 * left of the last one: ids are plentiful, repeats are not allowed.
 */
public final class ProducerIdManager {

    /** Where the start of the next block is kept, in the data directory. */
    public static final String FILE = "producer-ids.properties";
    /** How many ids one write of the file covers (Kafka's controller hands out blocks of 1000 too). */
    public static final long BLOCK_SIZE = 1000;
    private static final String NEXT_BLOCK = "next.block.start";

    /** A producer's identity for its batches: the id, and the epoch that fences older instances of it. */
    public record ProducerIdAndEpoch(long producerId, short epoch) {
    }

    private final Path file;
    private long next; // the next id to hand out
    private long blockEnd; // the first id past the block the file has made safe

    /** Ids from 0, remembered nowhere: for a broker that keeps everything in memory, whose ids die with it. */
    public ProducerIdManager() {
        this.file = null;
        this.next = 0;
        this.blockEnd = Long.MAX_VALUE;
    }

    /** Ids from the block {@code dataDir}'s file names, or from 0 in a new data directory. */
    public ProducerIdManager(Path dataDir) {
        this.file = dataDir.resolve(FILE);
        this.next = readNextBlock(file);
        this.blockEnd = next; // nothing handed out yet: the first id writes the file
    }

    // tag::init[]
    /**
     * A fresh producer id with epoch 0: Kafka's answer to InitProducerId without a transactional id. Each
     * call gives an id no call gave before, in this run or any earlier one on the same data directory.
     */
    public synchronized ProducerIdAndEpoch initProducerId() {
        if (next == blockEnd) {
            if (next > Long.MAX_VALUE - BLOCK_SIZE) {
                throw new IllegalStateException("no producer ids are left: the next block would start past "
                        + Long.MAX_VALUE + " (" + file + ")");
            }
            writeNextBlock(next + BLOCK_SIZE); // on disk before any id of the block is out
            blockEnd = next + BLOCK_SIZE;
        }
        return new ProducerIdAndEpoch(next++, (short) 0);
    }
    // end::init[]

    private void writeNextBlock(long start) {
        try {
            Directories.writeAtomically(file, "# The first producer id the broker hands out after its next"
                    + " restart: ids up to here may be in use.\n" + NEXT_BLOCK + "=" + start + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the next block of producer ids in " + file + ": " + e, e);
        }
    }

    private static long readNextBlock(Path file) {
        if (!Files.exists(file)) {
            return 0;
        }
        Properties stored = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            stored.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the next block of producer ids from " + file + ": " + e, e);
        }
        String text = stored.getProperty(NEXT_BLOCK);
        try {
            long start = Long.parseLong(text == null ? "" : text.trim());
            if (start >= 0) {
                return start;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new IllegalStateException(file + " says " + NEXT_BLOCK + "=" + text + "; it must be a whole number, 0"
                + " or more. Handing out ids again from a guess could repeat one: restore the file, or set it above"
                + " every producer id in use");
    }
}

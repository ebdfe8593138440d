package toykafka.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionContext;
import toykafka.common.OffsetRecord;
import toykafka.common.TopicConfig;
import toykafka.lesson08.TestRecords;
import toykafka.lesson09.FileLog;

/**
 * The FileLogs one test opens, in a temporary folder of its own: every log is closed after the test and the
 * folder deleted, so a test says only which logs it opens. A field of this type marked {@link TempFileLogs}
 * receives one for each test.
 */
public final class FileLogs implements ExtensionContext.Store.CloseableResource {

    private final Path dir;
    private final List<Class<? extends RuntimeException>> closeMayThrow;
    private final List<FileLog> opened = new ArrayList<>();

    FileLogs(Path dir, List<Class<? extends RuntimeException>> closeMayThrow) {
        this.dir = dir;
        this.closeMayThrow = closeMayThrow;
    }

    /** Every record of the log, read as a consumer does: from its start, on from where the last read ended. */
    public static List<OffsetRecord> readAll(FileLog log) {
        List<OffsetRecord> all = new ArrayList<>();
        long next = log.earliest();
        while (next < log.endOffset()) {
            List<OffsetRecord> read = log.readBatchWithOffsets(next, 1000);
            all.addAll(read);
            next = read.get(read.size() - 1).offset() + 1;
        }
        return all;
    }

    /** The folder the logs are in. */
    public Path dir() {
        return dir;
    }

    /** Opens partition {@code partition} of {@code topic} in the folder, with {@code config}. */
    public FileLog open(String topic, int partition, TopicConfig config) {
        return open(folder -> FileLog.open(folder, topic, partition, config));
    }

    /** Opens orders-0, the partition the log tests fill, with {@code config}. */
    public FileLog orders(TopicConfig config) {
        return open("orders", 0, config);
    }

    /** Opens orders-0 with {@code config} and appends orders 0 to {@code count - 1}, a batch each. */
    public FileLog ordersWith(int count, TopicConfig config) {
        FileLog log = orders(config);
        for (int i = 0; i < count; i++) {
            log.append(TestRecords.order(i));
        }
        return log;
    }

    /** Opens a log in the folder some other way (with a clock, an archive, a disk), closed after the test all the same. */
    public FileLog open(Function<Path, FileLog> opening) {
        FileLog log = opening.apply(dir);
        opened.add(log);
        return log;
    }

    /** How many logs the test has opened since the last {@link #closeAll()}. */
    public int count() {
        return opened.size();
    }

    /** Closes every log opened so far, as a broker's stop would; the folder stays for the logs the test opens next. */
    public void closeAll() {
        RuntimeException failed = null;
        for (FileLog log : opened) {
            try {
                log.close();
            } catch (RuntimeException e) {
                if (closeMayThrow.stream().noneMatch(allowed -> allowed.isInstance(e))) {
                    if (failed == null) {
                        failed = e;
                    } else {
                        failed.addSuppressed(e);
                    }
                }
            }
        }
        opened.clear();
        if (failed != null) {
            throw failed;
        }
    }

    @Override
    public void close() {
        try {
            closeAll();
        } finally {
            TempFolder.delete(dir);
        }
    }
}

package toykafka.lesson08;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import toykafka.common.RecordLog;
import toykafka.common.TopicConfig;
import toykafka.lesson09.FileLog;

/** The file store keeps the record log contract, with segments small enough that the tests cross several. */
class FileLogTest extends RecordLogContract {

    @TempDir
    Path dataDir;
    private int logs;

    @Override
    protected RecordLog newLog(TopicConfig config) {
        return FileLog.open(dataDir, "contract", logs++, config.with(TopicConfig.SEGMENT_BYTES, 256)
                .with(TopicConfig.INDEX_INTERVAL_BYTES, 64));
    }
}

package toykafka.lesson08;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import toykafka.common.RecordLog;

/** The file store keeps the record log contract, with segments small enough that the tests cross several. */
class FileLogTest extends RecordLogContract {

    @TempDir
    Path dataDir;
    private int logs;

    @Override
    protected RecordLog newLog(RecordRules rules) {
        FileLogConfig config = FileLogConfig.defaults().withSegmentBytes(256).withIndexIntervalBytes(64)
                .withMaxRecordBytes(rules.maxRecordBytes()).withKeysRequired(rules.keysRequired());
        return FileLog.open(dataDir, "contract", logs++, config);
    }
}

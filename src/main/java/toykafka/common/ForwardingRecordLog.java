package toykafka.common;

import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

/**
 * A record log that passes every call on to another: extend it and override only what should differ, as the
 * read-only view of a partition refuses appends and reconfiguring. Every write reaches the log through
 * {@link #appendAll}, {@link #append} included, so a subclass that refuses or changes writes overrides that
 * one method and no write gets past it. Kafka has no such class (see {@link ForwardingEventLog}).
 */
public class ForwardingRecordLog extends ForwardingEventLog<Record> implements RecordLog {

    private final RecordLog log;

    protected ForwardingRecordLog(RecordLog log) {
        super(log);
        this.log = log;
    }

    @Override
    protected RecordLog delegate() {
        return log;
    }

    @Override
    public long append(Record record) {
        return RecordLog.super.append(record); // through appendAll, the one place a write is decided
    }

    @Override
    public long appendAll(List<Record> records) {
        return log.appendAll(records);
    }

    @Override
    public List<Record> readBatch(long fromOffset, int maxRecords) {
        return log.readBatch(fromOffset, maxRecords);
    }

    @Override
    public List<OffsetRecord> readBatchWithOffsets(long fromOffset, int maxRecords) {
        return log.readBatchWithOffsets(fromOffset, maxRecords);
    }

    @Override
    public OptionalLong offsetForTime(Instant time) {
        return log.offsetForTime(time);
    }

    @Override
    public TopicConfig config() {
        return log.config();
    }

    @Override
    public void reconfigure(TopicConfig config) {
        log.reconfigure(config);
    }

    @Override
    public void close() {
        log.close();
    }
}

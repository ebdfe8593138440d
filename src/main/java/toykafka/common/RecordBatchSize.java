package toykafka.common;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * How many bytes records take as one Kafka record batch (format v2, uncompressed): the size that
 * max.message.bytes limits. The batch header is 61 bytes; each record is a varint length, then its
 * attributes, timestamp and offset deltas, key, value and headers, lengths as zigzag varints and
 * deltas counted from the batch's first record.
 */
public final class RecordBatchSize {

    /** Base offset, length, leader epoch, magic, CRC, attributes, last offset delta, two timestamps,
     *  producer id, epoch and sequence, record count: Kafka's RECORD_BATCH_OVERHEAD. */
    public static final int BATCH_OVERHEAD = 8 + 4 + 4 + 1 + 4 + 2 + 4 + 8 + 8 + 8 + 2 + 4 + 4;

    private RecordBatchSize() {
    }

    // tag::size[]
    /** The size of these records as one batch, header included; offset deltas count from 0. */
    public static long of(List<Record> records) {
        if (records.isEmpty()) {
            return 0;
        }
        long firstTimestamp = records.get(0).timestamp().toEpochMilli();
        long size = BATCH_OVERHEAD;
        for (int i = 0; i < records.size(); i++) {
            Record record = records.get(i);
            int body = 1 // attributes
                    + Varint.sizeOfLong(record.timestamp().toEpochMilli() - firstTimestamp)
                    + Varint.sizeOfInt(i)
                    + bytesSize(record.keyLength()) + bytesSize(record.valueLength())
                    + Varint.sizeOfInt(record.headers().size());
            for (Header header : record.headers()) {
                body += bytesSize(header.key().getBytes(StandardCharsets.UTF_8).length);
                body += bytesSize(header.valueLength());
            }
            size += Varint.sizeOfInt(body) + body;
        }
        return size;
    }
    // end::size[]

    /** A length field and the bytes after it; -1 (no bytes at all) takes one byte. */
    private static int bytesSize(int length) {
        return length < 0 ? 1 : Varint.sizeOfInt(length) + length;
    }
}

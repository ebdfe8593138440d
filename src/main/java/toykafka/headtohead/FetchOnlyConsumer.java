package toykafka.headtohead;

import java.util.List;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import toykafka.common.RecordBatch;
import toykafka.harness.RawConnection;
import toykafka.harness.WireRecords;

/**
 * A consumer that only fetches: Fetch requests on one connection, one at a time as a consumer sends them, each
 * asking for the partition from where the last answer ended, the answers' record batches counted by their
 * headers and never decoded or checked. What a broker's fetch path can deliver when the client costs nothing;
 * a real consumer also decodes every record and checks every batch's CRC.
 */
final class FetchOnlyConsumer {

    /** Version 11: topics by name, as every broker here serves it. */
    private static final short FETCH_VERSION = 11;
    private static final int PARTITION_MAX_BYTES = 1 << 20; // a consumer's max.partition.fetch.bytes default
    private static final int MAX_BYTES = 50 << 20;          // and fetch.max.bytes

    private FetchOnlyConsumer() {
    }

    /**
     * Reads partition 0 of the topic from {@code from} to {@code end}, {@code passes} times over, on one connection;
     * the figures count every pass's records and record batch bytes. One pass of 50 MB is only 50 fetches.
     */
    static HeadToHeadLoad.Figures readAll(int port, String topic, long from, long end, int passes) {
        try (RawConnection connection = new RawConnection(port, "fetch-only")) {
            long bytes = 0;
            long started = System.nanoTime();
            for (int pass = 0; pass < passes; pass++) {
                bytes += readOnce(connection, topic, from, end);
            }
            return new HeadToHeadLoad.Figures(passes * (end - from), bytes, (System.nanoTime() - started) / 1e9,
                    Double.NaN, Double.NaN);
        }
    }

    private static long readOnce(RawConnection connection, String topic, long from, long end) {
        long offset = from;
        long bytes = 0;
        while (offset < end) {
            connection.send(ApiKeys.FETCH, FETCH_VERSION, request(topic, offset));
            FetchResponseData answer = connection.receive();
            FetchResponseData.PartitionData partition = answer.responses().get(0).partitions().get(0);
            if (answer.errorCode() != 0 || partition.errorCode() != 0) {
                throw new IllegalStateException("a fetch of " + topic + " at offset " + offset + " was refused: "
                        + Errors.forCode(partition.errorCode() != 0 ? partition.errorCode() : answer.errorCode()));
            }
            long next = offset;
            for (RecordBatch batch : WireRecords.wholeBatches(partition)) { // whole batches only: a cut-off last one is asked again
                next = batch.lastOffset() + 1;
                bytes += batch.sizeInBytes();
            }
            if (next == offset) {
                throw new IllegalStateException("a fetch of " + topic + " at offset " + offset + " of " + end
                        + " brought no whole batch");
            }
            offset = next;
        }
        return bytes;
    }

    private static FetchRequestData request(String topic, long offset) {
        return new FetchRequestData().setReplicaId(-1).setMaxWaitMs(500).setMinBytes(1).setMaxBytes(MAX_BYTES)
                .setIsolationLevel((byte) 0).setSessionId(0).setSessionEpoch(-1)
                .setTopics(List.of(new FetchRequestData.FetchTopic().setTopic(topic).setPartitions(List.of(
                        new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(offset)
                                .setPartitionMaxBytes(PARTITION_MAX_BYTES)))));
    }
}

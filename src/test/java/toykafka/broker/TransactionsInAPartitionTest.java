package toykafka.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.Partitions.Acks;
import toykafka.check.MessageFacts;
import toykafka.clock.ManualClock;
import toykafka.common.ControlRecord;
import toykafka.common.Errors;
import toykafka.common.OffsetRecord;
import toykafka.common.ProducerBatches;
import toykafka.common.Record;
import toykafka.common.RecordBatch;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.lesson08.KafkaReadsOurSegmentsTest;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * Transactions as one partition sees them, with batches built by Kafka's own client library: an open
 * transaction holds the last stable offset at its first record, a marker ends it, a {@code read_committed}
 * read stops at the last stable offset and lists the aborted transactions in what it read, and all of it
 * comes back from the log after a restart. The coordinator that decides when to write the markers is the
 * transaction coordinator's; here the test writes them, with a verifier that lets every batch in.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TransactionsInAPartitionTest {

    private static final Instant NOON = Instant.parse("2024-05-01T12:00:00Z");
    private static final TopicPartition ORDERS = new TopicPartition("orders", 0);
    private static final long TILL = 7;
    private static final long KITCHEN = 8;

    private final ManualClock clock = new ManualClock(NOON);
    @StartedBroker(clock = "clock")
    RunningBroker running;

    @BeforeEach
    void createTopicAndLetTransactionsIn() {
        running.broker().createTopic("orders", 1, Map.of(), OnDuplicate.FAIL);
        letTransactionsIn();
    }

    private void letTransactionsIn() {
        partitions().verifyTransactionsWith((partition, producerId, epoch) -> { });
    }

    private Partitions partitions() {
        return running.broker().partitions();
    }

    /** {@code values} as one batch of a transactional producer. */
    private static ByteBuffer transactional(long producerId, int epoch, int baseSequence, String... values) {
        return ProducerBatches.transactional(producerId, (short) epoch, baseSequence, records(values));
    }

    private static ByteBuffer transactional(long producerId, int epoch, int baseSequence, String value, Instant at) {
        return ProducerBatches.transactional(producerId, (short) epoch, baseSequence, Record.of("till", value, at));
    }

    private static ByteBuffer idempotent(long producerId, int epoch, int baseSequence, String... values) {
        return ProducerBatches.idempotent(producerId, (short) epoch, baseSequence, records(values));
    }

    private static ByteBuffer plain(String... values) {
        return ProducerBatches.plain(records(values));
    }

    private static Record[] records(String... values) {
        Record[] records = new Record[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = Record.of("till", values[i], NOON);
        }
        return records;
    }

    private AppendResult append(ByteBuffer batch) {
        return partitions().append(Map.of(ORDERS, batch), Acks.ALL).get(ORDERS);
    }

    private AppendResult written(ByteBuffer batch) {
        AppendResult result = append(batch);
        assertEquals(Errors.NONE, result.error(), result.message());
        return result;
    }

    private AppendResult marker(long producerId, int epoch, boolean commit) {
        return partitions().writeMarker(ORDERS, producerId, (short) epoch, commit, 0, clock.instant());
    }

    private PartitionData read(boolean readCommitted) {
        return read(0, readCommitted);
    }

    private PartitionData read(long from, boolean readCommitted) {
        return partitions().readAndWait(new FetchParams(Duration.ZERO, 0, 1 << 20,
                List.of(new FetchPartition(ORDERS, from, 1 << 20)), readCommitted), null).get(ORDERS);
    }

    /** The values of the batches the read returned, as they lie in the log: what goes to a Kafka consumer. */
    private static List<String> values(PartitionData data) {
        return text(data.batches().offsetRecords(100));
    }

    /** The values a front end that hands out records gives its client: those of no aborted transaction. */
    private static List<String> handedOut(PartitionData data) {
        return text(data.records(100));
    }

    private static List<String> text(List<OffsetRecord> records) {
        return records.stream().map(OffsetRecord::record).map(record -> new String(record.value())).toList();
    }

    private long latest(boolean readCommitted) {
        return partitions().listOffsets(ORDERS, Partitions.LATEST, readCommitted).offset();
    }

    @Test
    void without_a_transaction_coordinator_a_transactional_batch_is_refused() {
        partitions().verifyTransactionsWith(TransactionVerifier.NONE);
        AppendResult refused = append(transactional(TILL, 0, 0, "cod"));
        assertEquals(Errors.INVALID_TXN_STATE, refused.error());
        MessageFacts.assertMentions(new IllegalStateException(refused.message()), "transaction coordinator");
        assertEquals(0, latest(false));
    }

    @Test
    void an_open_transaction_holds_the_last_stable_offset_at_its_first_record_until_its_commit() {
        written(plain("menu"));
        written(transactional(TILL, 0, 0, "cod", "chips"));
        written(plain("specials"));

        assertEquals(4, latest(false));
        assertEquals(1, latest(true), "read_committed's end is the open transaction's first offset");
        assertEquals(List.of("menu"), values(read(true)), "nothing at or past the last stable offset");
        assertEquals(1, read(true).lastStableOffset());
        assertEquals(List.of(), read(true).abortedTransactions());
        assertEquals(List.of("menu", "cod", "chips", "specials"), values(read(false)));
        assertEquals(null, read(false).abortedTransactions(), "read_uncommitted does not ask for them");

        AppendResult commit = marker(TILL, 0, true);
        assertEquals(Errors.NONE, commit.error(), commit.message());
        assertEquals(4, commit.baseOffset(), "the marker takes an offset of its own");
        assertEquals(5, latest(true));
        assertEquals(5, latest(false));
        assertEquals(List.of("menu", "cod", "chips", "specials"), values(read(true)), "a marker is no one's record");
        assertEquals(5, read(true).batches().nextOffset(), "the read goes past the marker");
        assertEquals(List.of(), read(true).abortedTransactions());
    }

    @Test
    void an_aborted_transaction_is_listed_for_a_read_committed_read_of_its_range() {
        written(transactional(TILL, 0, 0, "cod"));            // 0
        written(transactional(KITCHEN, 0, 0, "fried cod"));  // 1
        written(transactional(TILL, 0, 1, "chips"));          // 2
        assertEquals(Errors.NONE, marker(TILL, 0, false).error()); // 3: the till's transaction aborted
        assertEquals(1, latest(true), "the kitchen's transaction, open since 1, holds it there");
        assertEquals(Errors.NONE, marker(KITCHEN, 0, true).error()); // 4
        assertEquals(5, latest(true));

        PartitionData committed = read(true);
        assertEquals(List.of(new AbortedTransaction(TILL, 0)), committed.abortedTransactions());
        assertEquals(5, committed.lastStableOffset());
        assertEquals(List.of(new AbortedTransaction(TILL, 0)), read(3, true).abortedTransactions(),
                "a read from the marker itself still sees it");
        written(plain("menu")); // 5
        assertEquals(List.of(), read(5, true).abortedTransactions(), "a read past the marker needs none");
        assertEquals(List.of(new AbortedTransaction(TILL, 0)), running.broker().partitions()
                .producerState(ORDERS).aborted().stream().map(a -> new AbortedTransaction(a.producerId(), a.firstOffset()))
                .toList());
    }

    @Test
    void a_read_committed_lookup_by_time_finds_nothing_past_the_last_stable_offset() {
        written(plain("menu"));
        written(transactional(TILL, 0, 0, "cod"));
        assertEquals(0, partitions().listOffsets(ORDERS, NOON.toEpochMilli(), true).offset());
        assertEquals(0, partitions().listOffsets(ORDERS, Partitions.MAX_TIMESTAMP, true).offset());
        written(transactional(TILL, 0, 1, "later", NOON.plusSeconds(60)));
        long later = NOON.plusSeconds(30).toEpochMilli();
        assertEquals(-1, partitions().listOffsets(ORDERS, later, true).offset(), "offset 2 is not stable yet");
        assertEquals(2, partitions().listOffsets(ORDERS, later, false).offset(), "read_uncommitted finds it");
    }

    @Test
    void a_producer_inside_its_transaction_cannot_write_outside_it_and_an_old_epoch_cannot_end_it() {
        written(transactional(TILL, 3, 0, "cod"));
        AppendResult outside = append(idempotent(TILL, 3, 1, "chips"));
        assertEquals(Errors.INVALID_TXN_STATE, outside.error());
        MessageFacts.assertMentions(new IllegalStateException(outside.message()), TILL, "transactional", 0);

        AppendResult stale = marker(TILL, 2, true);
        assertEquals(Errors.INVALID_PRODUCER_EPOCH, stale.error());
        MessageFacts.assertMentions(new IllegalStateException(stale.message()), 2, 3);
        assertEquals(0, latest(true), "still open");

        assertEquals(Errors.NONE, marker(TILL, 4, false).error(), "the coordinator fences epoch 3 with epoch 4");
        AppendResult zombie = append(transactional(TILL, 3, 1, "late chips"));
        assertEquals(Errors.INVALID_PRODUCER_EPOCH, zombie.error(), "the fenced instance's late batch");
        assertEquals(2, latest(true));
        assertEquals(List.of("cod"), values(read(true)), "the consumer drops it, by the aborted list");
        assertEquals(List.of(new AbortedTransaction(TILL, 0)), read(true).abortedTransactions());
    }

    @Test
    void kafkas_dump_log_segments_reads_our_markers_as_kafkas() throws Exception {
        written(transactional(TILL, 0, 0, "cod"));
        assertEquals(Errors.NONE, marker(TILL, 0, false).error());
        written(transactional(KITCHEN, 0, 0, "fried cod"));
        assertEquals(Errors.NONE, marker(KITCHEN, 0, true).error());
        Path segment = running.dataDir().resolve("orders-0").resolve("00000000000000000000.log");

        List<String> dumped = KafkaReadsOurSegmentsTest.dumpLogSegments(running.dataDir(), List.of(segment.toString()),
                "--deep-iteration", "--print-data-log");
        String all = String.join("\n", dumped);
        assertEquals(2, dumped.stream().filter(line -> line.contains("isTransactional: true")
                && line.contains("isControl: false")).count(), all);
        assertTrue(dumped.stream().anyMatch(line -> line.contains("endTxnMarker: ABORT coordinatorEpoch: 0")), all);
        assertTrue(dumped.stream().anyMatch(line -> line.contains("endTxnMarker: COMMIT coordinatorEpoch: 0")), all);
        assertTrue(dumped.stream().filter(line -> line.contains("isControl: true"))
                .allMatch(line -> line.contains("producerId: " + TILL) || line.contains("producerId: " + KITCHEN)), all);
    }

    @Test
    void a_client_may_not_send_a_control_batch() {
        RecordBatch marker = new ControlRecord(true, 0).batch(TILL, (short) 0, NOON);
        AppendResult refused = append(marker.buffer());
        assertEquals(Errors.INVALID_RECORD, refused.error());
        MessageFacts.assertMentions(new IllegalStateException(refused.message()), "control", "marker");
        assertEquals(0, latest(false));
    }

    @Test
    void open_and_aborted_transactions_come_back_from_the_log_after_a_restart() {
        written(transactional(TILL, 0, 0, "cod"));            // 0
        assertEquals(Errors.NONE, marker(TILL, 0, false).error()); // 1
        written(transactional(KITCHEN, 0, 0, "fried cod"));  // 2
        written(plain("menu"));                               // 3

        running.restart();
        letTransactionsIn();

        assertEquals(2, latest(true), "the kitchen's transaction is still open");
        assertEquals(List.of(new AbortedTransaction(TILL, 0)), read(true).abortedTransactions());
        assertEquals(Errors.NONE, marker(KITCHEN, 0, true).error()); // 4
        assertEquals(5, latest(true));
        assertEquals(List.of("cod", "fried cod", "menu"), values(read(true)),
                "read_committed gets the aborted records too: the consumer drops them, by the list");
        assertEquals(List.of("fried cod", "menu"), handedOut(read(true)), "as the broker's HTTP reads drop them");
        AppendResult next = append(transactional(TILL, 0, 1, "chips"));
        assertEquals(Errors.NONE, next.error(), "the till's sequences came back too: " + next.message());
        assertEquals(5, read(true).lastStableOffset(), "the till's new transaction opened at 5");
        assertEquals(6, latest(false));
    }
}

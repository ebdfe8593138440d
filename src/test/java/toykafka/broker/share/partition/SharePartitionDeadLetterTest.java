package toykafka.broker.share.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.broker.share.partition.SharePartitionTest.FETCH;
import static toykafka.broker.share.partition.SharePartitionTest.LOG;
import static toykafka.broker.share.partition.SharePartitionTest.NO_LSO;
import static toykafka.broker.share.partition.SharePartitionTest.ack;
import static toykafka.broker.share.partition.SharePartitionTest.batches;
import static toykafka.broker.share.partition.SharePartitionTest.stateOf;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.share.partition.DeadLetter.Cause;
import toykafka.clock.ManualClock;
import toykafka.common.InvalidConfigurationException;

/**
 * A share partition whose group has a dead-letter topic (share.version 2): what is rejected, or released at the
 * delivery count limit, is ARCHIVING until its dead letter is written, holding the start offset; the letters say which
 * offsets, how often they were delivered and why; ARCHIVING is kept, and a restart writes its letters again.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SharePartitionDeadLetterTest {

    final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

    static ShareGroupSettings withDeadLetters(int deliveryLimit) {
        return new ShareGroupSettings(30000, deliveryLimit, 2000, ShareAutoOffsetReset.EARLIEST, false, true,
                "dlq.orders", false);
    }

    @Test
    void a_rejected_record_is_archiving_until_its_dead_letter_is_written_and_holds_the_start_offset() {
        SharePartition partition = SharePartition.start(withDeadLetters(5), clock, LOG);
        partition.acquire("anna", FETCH, batches(0, 4), NO_LSO);
        ack(partition, "anna", 0, 0, AcknowledgeType.REJECT);
        ack(partition, "anna", 1, 4, AcknowledgeType.ACCEPT);

        assertEquals(RecordState.ARCHIVING, stateOf(partition, 0));
        assertEquals(0, partition.startOffset(), "not settled until its letter is written");
        assertEquals(5, partition.nextFetchOffset(), "never delivered again");
        List<DeadLetter> letters = partition.takeDeadLetters();
        assertEquals(List.of(new DeadLetter(0, 0, 1, Cause.CLIENT_REJECT)), letters);
        assertEquals(List.of(), partition.takeDeadLetters(), "each letter is handed out once");

        partition.deadLettersWritten(letters.get(0));
        assertEquals(5, partition.startOffset(), "archived, and the start offset moves past it and the accepted ones");
    }

    /** Dead letters on, at a delivery count limit of 2: records 0 to {@code last} delivered to anna once, released. */
    private SharePartition releasedOnceByAnna(int last) {
        SharePartition partition = SharePartition.start(withDeadLetters(2), clock, LOG);
        partition.acquire("anna", FETCH, batches(0, last), NO_LSO);
        ack(partition, "anna", 0, last, AcknowledgeType.RELEASE);
        return partition;
    }

    @Test
    void a_record_released_at_the_delivery_count_limit_is_a_letter_with_its_count() {
        SharePartition partition = releasedOnceByAnna(2);
        partition.acquire("ben", FETCH, batches(0, 2), NO_LSO);
        ack(partition, "ben", 0, 2, AcknowledgeType.RELEASE);

        assertEquals(List.of(new DeadLetter(0, 2, 2, Cause.DELIVERY_COUNT_EXCEEDED)), partition.takeDeadLetters(),
                "one letter for the whole run, delivered twice");
        assertEquals(RecordState.ARCHIVING, stateOf(partition, 1));
    }

    @Test
    void a_lock_running_out_at_the_limit_and_a_member_leaving_at_it_write_letters_too() {
        SharePartition partition = releasedOnceByAnna(1);
        partition.acquire("ben", FETCH, batches(0, 0), NO_LSO);
        partition.acquire("carl", FETCH, batches(1, 1), NO_LSO);
        clock.advance(Duration.ofSeconds(30));
        partition.expireLocks(clock.millis()); // ben's lock ran out
        partition.releaseAcquiredRecords("carl");

        assertEquals(List.of(new DeadLetter(0, 1, 2, Cause.DELIVERY_COUNT_EXCEEDED)), partition.takeDeadLetters(),
                "adjacent letters of one count and cause are joined");
    }

    @Test
    void rejected_and_count_exceeded_records_side_by_side_are_separate_letters() {
        SharePartition partition = SharePartition.start(withDeadLetters(2), clock, LOG);
        partition.acquire("anna", FETCH, batches(0, 1), NO_LSO);
        ack(partition, "anna", 1, 1, AcknowledgeType.RELEASE);
        partition.acquire("anna", FETCH, batches(1, 1), NO_LSO);
        partition.acknowledge("anna", List.of(new AcknowledgementBatch(0, 1,
                List.of(AcknowledgeType.REJECT, AcknowledgeType.RELEASE))));

        assertEquals(List.of(new DeadLetter(0, 0, 1, Cause.CLIENT_REJECT),
                new DeadLetter(1, 1, 2, Cause.DELIVERY_COUNT_EXCEEDED)), partition.takeDeadLetters());
    }

    @Test
    void archiving_is_kept_as_kafkas_state_3_and_a_restart_hands_its_letters_out_again() {
        SharePartition partition = SharePartition.start(withDeadLetters(2), clock, LOG);
        partition.acquire("anna", FETCH, batches(0, 3), NO_LSO);
        partition.acknowledge("anna", List.of(new AcknowledgementBatch(0, 3, List.of(AcknowledgeType.REJECT,
                AcknowledgeType.ACCEPT, AcknowledgeType.RELEASE, AcknowledgeType.ACCEPT))));
        partition.acquire("anna", FETCH, batches(2, 2), NO_LSO); // delivered twice now: at the limit, still held

        ShareGroupState kept = partition.stateSnapshot();
        assertEquals(List.of(new PersisterStateBatch(0, 0, RecordState.ARCHIVING, 1),
                new PersisterStateBatch(1, 1, RecordState.ACKNOWLEDGED, 1),
                new PersisterStateBatch(2, 2, RecordState.ARCHIVING, 2),
                new PersisterStateBatch(3, 3, RecordState.ACKNOWLEDGED, 1)), kept.stateBatches(),
                "an acquired record at the limit is kept as its lock's expiry would leave it");
        assertEquals(3, RecordState.ARCHIVING.id());

        SharePartition restarted = SharePartition.fromState(kept, withDeadLetters(2), clock, LOG);
        assertEquals(List.of(new DeadLetter(0, 0, 1, Cause.CLIENT_REJECT),
                new DeadLetter(2, 2, 2, Cause.DELIVERY_COUNT_EXCEEDED)), restarted.takeDeadLetters(),
                "the cause is told by the count, as Kafka does at load");
        assertEquals(0, restarted.startOffset());
        restarted.deadLettersWritten(new DeadLetter(0, 0, 1, Cause.CLIENT_REJECT));
        restarted.deadLettersWritten(new DeadLetter(2, 2, 2, Cause.DELIVERY_COUNT_EXCEEDED));
        assertEquals(4, restarted.startOffset());
    }

    @Test
    void without_a_dead_letter_topic_records_set_aside_are_archived_at_once_and_no_letter_is_written() {
        SharePartition partition = SharePartition.start(new ShareGroupSettings(30000, 2, 2000,
                ShareAutoOffsetReset.EARLIEST, false, true), clock, LOG);
        partition.acquire("anna", FETCH, batches(0, 0), NO_LSO);
        ack(partition, "anna", 0, 0, AcknowledgeType.REJECT);
        assertEquals(1, partition.startOffset());
        assertFalse(partition.hasDeadLetters());
    }

    @Test
    void altering_the_start_offset_drops_the_letters_not_handed_out() {
        SharePartition partition = SharePartition.start(withDeadLetters(5), clock, LOG);
        partition.acquire("anna", FETCH, batches(0, 0), NO_LSO);
        ack(partition, "anna", 0, 0, AcknowledgeType.REJECT);
        assertTrue(partition.hasDeadLetters());
        partition.alterStartOffset(50);
        assertFalse(partition.hasDeadLetters());
    }

    @Test
    void the_group_configs_name_the_topic_and_whether_records_are_copied() {
        ShareGroupSettings settings = ShareGroupSettings.fromConfigs(Map.of("errors.deadletterqueue.topic.name",
                " dlq.orders ", "errors.deadletterqueue.copy.record.enable", "TRUE"));
        assertEquals("dlq.orders", settings.deadLetterTopic());
        assertTrue(settings.deadLetterCopyRecord());
        assertTrue(settings.deadLetters());
        assertFalse(ShareGroupSettings.defaults().deadLetters(), "Kafka's default: no dead-letter topic");
        InvalidConfigurationException refused = assertThrows(InvalidConfigurationException.class,
                () -> ShareGroupSettings.fromConfigs(Map.of("errors.deadletterqueue.copy.record.enable", "yes")));
        assertTrue(refused.getMessage().contains("errors.deadletterqueue.copy.record.enable"), refused.getMessage());
    }
}

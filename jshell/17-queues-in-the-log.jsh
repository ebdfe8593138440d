// Lesson 17: queues in the log.
// Step through with ./toykafka step 17, or open JShell here with jshell/start 17.
// Each snippet is followed by the value it shows; guess it before you look.
import toykafka.broker.share.partition.*;
import toykafka.clock.ManualClock;
import toykafka.lesson17.*;
import java.time.*;
import java.util.*;

// One share partition of a share group: the broker's own SharePartition, on a clock that moves only when told.
// Locks last 15 s (the least Kafka allows), a record is delivered at most 3 times, and a new share partition
// starts at the earliest offset. The log it stands for holds offsets 0 to 4.
var clock = new ManualClock(Instant.parse("2026-01-01T12:00:00Z"))
// ==> ManualClock[2026-01-01T12:00:00Z]
var settings = new ShareGroupSettings(15000, 3, 2000, ShareAutoOffsetReset.EARLIEST, false, true)
// ==> ShareGroupSettings[recordLockDurationMs=15000, deliveryCountLimit=3, partitionMaxRecordLocks=2000, autoOffsetReset=earliest, readCommitted=false, renewAcknowledgeEnabled=true, deadLetterTopic=, deadLetterCopyRecord=false]
class FiveRecords implements OffsetLookup {
    public long earliestOffset() { return 0; }
    public long latestOffset() { return 5; }
    public long offsetForTimestamp(long timestampMs) { return 0; }
}
SharePartition orders = null;
// ==> null
{ orders = SharePartition.start(settings, clock, new FiveRecords()); }
orders.startOffset()
// ==> 0

// A share fetch reads the log from where the window wants records next, and the partition acquires them for the
// member: each run with how many times it has now been delivered. Here the log holds one batch of five records.
List<FetchedBatch> fromTheLog(long from) { return from > 4 ? List.of() : List.of(FetchedBatch.of(from, 4)); }
var twoAtATime = new ShareFetchLimits(ShareAcquireMode.RECORD_LIMIT, 2, 2)
// ==> ShareFetchLimits[mode=record_limit, maxRecords=2, batchSize=2]
orders.acquire("anna", twoAtATime, fromTheLog(orders.nextFetchOffset()), 5)
// ==> [AcquiredRecords[firstOffset=0, lastOffset=1, deliveryCount=1]]
orders.acquire("ben", twoAtATime, fromTheLog(orders.nextFetchOffset()), 5)
// ==> [AcquiredRecords[firstOffset=2, lastOffset=3, deliveryCount=1]]

// Two members, one partition, different records. Anna accepts hers; Ben accepts 2 and releases 3.
orders.acknowledge("anna", List.of(AcknowledgementBatch.of(0, 1, AcknowledgeType.ACCEPT)))
orders.startOffset()
// ==> 2
orders.acknowledge("ben", List.of(AcknowledgementBatch.of(2, 2, AcknowledgeType.ACCEPT), AcknowledgementBatch.of(3, 3, AcknowledgeType.RELEASE)))
orders.startOffset()
// ==> 3

// Offset 3 is available again, with its count. Anna asks for two records: she gets 3, delivered a second time, and 4.
orders.nextFetchOffset()
// ==> 3
orders.acquire("anna", twoAtATime, fromTheLog(orders.nextFetchOffset()), 5)
// ==> [AcquiredRecords[firstOffset=3, lastOffset=3, deliveryCount=2], AcquiredRecords[firstOffset=4, lastOffset=4, deliveryCount=1]]

// Only the member holding a record may settle it.
orders.acknowledge("ben", List.of(AcknowledgementBatch.of(4, 4, AcknowledgeType.ACCEPT)))
// !! SharePartitionException: Member ben is not the owner of offset 4: anna holds it

// Anna goes quiet. After 15 s her locks run out: both records are available again.
clock.advance(Duration.ofSeconds(15))
orders.expireLocks(clock.millis())
// ==> 2
orders.acquire("ben", twoAtATime, fromTheLog(orders.nextFetchOffset()), 5)
// ==> [AcquiredRecords[firstOffset=3, lastOffset=3, deliveryCount=3]]

// Offset 3 is on its third and last delivery, so it went out alone. Ben releases it: at the limit, it is archived.
orders.acknowledge("ben", List.of(AcknowledgementBatch.of(3, 3, AcknowledgeType.RELEASE)))
orders.startOffset()
// ==> 4

// Ben takes 4 and rejects it: archived at once, whatever its count. Nothing is left in flight.
orders.acquire("ben", twoAtATime, fromTheLog(orders.nextFetchOffset()), 5)
// ==> [AcquiredRecords[firstOffset=4, lastOffset=4, deliveryCount=2]]
orders.acknowledge("ben", List.of(AcknowledgementBatch.of(4, 4, AcknowledgeType.REJECT)))
orders.startOffset()
// ==> 5
orders.stateSnapshot()
// ==> ShareGroupState[stateEpoch=0, startOffset=5, stateBatches=[]]

// The same group with a dead-letter topic (share.version 2). A rejected record is ARCHIVING, not ARCHIVED: it holds
// the start offset until the broker has written its dead letter. The partition hands out what it set aside once, as
// dead-letter batches: one per run of offsets with the same count and cause, one dead letter per record.
var withLetters = new ShareGroupSettings(15000, 3, 2000, ShareAutoOffsetReset.EARLIEST, false, true, "dlq.orders", false)
// ==> ShareGroupSettings[recordLockDurationMs=15000, deliveryCountLimit=3, partitionMaxRecordLocks=2000, autoOffsetReset=earliest, readCommitted=false, renewAcknowledgeEnabled=true, deadLetterTopic=dlq.orders, deadLetterCopyRecord=false]
SharePartition letters = null;
// ==> null
{ letters = SharePartition.start(withLetters, clock, new FiveRecords()); }
letters.acquire("anna", twoAtATime, fromTheLog(letters.nextFetchOffset()), 5)
// ==> [AcquiredRecords[firstOffset=0, lastOffset=1, deliveryCount=1]]
letters.acknowledge("anna", List.of(AcknowledgementBatch.of(0, 0, AcknowledgeType.REJECT), AcknowledgementBatch.of(1, 1, AcknowledgeType.ACCEPT)))
letters.startOffset()
// ==> 0
var batch = letters.takeDeadLetters().get(0)
// ==> DeadLetter[firstOffset=0, lastOffset=0, deliveryCount=1, cause=CLIENT_REJECT]
batch.cause().message()
// ==> "Offset rejected by client."
letters.deadLettersWritten(batch)
letters.startOffset()
// ==> 2

// The rule for one record, as the lesson's DeliveryRules writes it out (the exercise asks for the same).
new DeliveryRules().next(new RecordLifecycle.Delivery(RecordState.ACQUIRED, 3), RecordLifecycle.Event.LOCK_EXPIRED, 3)
// ==> Delivery[state=ARCHIVED, deliveryCount=3]
new DeliveryRules().next(new RecordLifecycle.Delivery(RecordState.ACQUIRED, 1), RecordLifecycle.Event.RELEASE, 11)
// !! IllegalArgumentException: share.delivery.count.limit must be in the range 2 to 10 inclusive, got 11

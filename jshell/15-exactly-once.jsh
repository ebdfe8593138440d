// Lesson 15: exactly once.
// Step through with ./toykafka step 15, or open JShell here with jshell/start 15.
// Each snippet is followed by the value it shows; guess it before you look.
import toykafka.broker.*;
import toykafka.broker.config.*;
import toykafka.broker.txn.*;
import toykafka.common.*;
import toykafka.kafka.KafkaFrontEnd;
import toykafka.lesson04.OnDuplicate;
import toykafka.lesson15.*;
import java.nio.ByteBuffer;
import java.nio.file.*;
import java.time.Duration;
import java.util.*;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

// A broker as in lesson 14, on an emptied directory, with its Kafka front end on a free port, and a topic of
// bills with one partition.
var dataDir = Path.of("data", "generated", "15-notebook");
// ==> data/generated/15-notebook
Directories.deleteTree(dataDir);
var broker = Broker.start(BrokerConfig.of(Map.of("http.port", "0", "kafka.port", "0", "stats.interval.ms", "0")).with("data.dir", dataDir))
// ==> Broker[__broker_stats, __consumer_offsets]
var front = KafkaFrontEnd.start(broker, false, System.err)
// ==> KafkaFrontEnd[listening on 127.0.0.1]
broker.createTopic("bills", 1, Map.of(), OnDuplicate.FAIL)
// ==> "bills"
var bills0 = new TopicPartition("bills", 0)
// ==> bills-0

// A cashier with a transactional.id. initTransactions() asks the transaction coordinator for a producer id and
// epoch; the coordinator keeps the id's state in a topic of its own, made when first needed. (The braces make
// the line a statement: JShell would otherwise print the producer, which has no name to show.)
KafkaProducer<String, String> cashier;
// ==> null
{ cashier = new KafkaProducer<>(Map.of("bootstrap.servers", front.bootstrapServers(), "transactional.id", "cashier"), new StringSerializer(), new StringSerializer()); }
cashier.initTransactions()
broker.transactionCoordinator().transactions()
// ==> [cashier (producer 0, epoch 0, Empty)]
broker.listTopics()
// ==> [__broker_stats, __consumer_offsets, __transaction_state, bills]

// A bill in a transaction, sent and acknowledged, not yet committed. This Kafka 4 producer speaks transaction
// version 2: the partition's leader added bills-0 to the transaction when the bill arrived (a Kafka 3 producer
// sends AddPartitionsToTxn itself first).
cashier.beginTransaction()
{ cashier.send(new ProducerRecord<>("bills", "meal-1", "bill for cod and chips")).get(); }
broker.transactionCoordinator().transactions()
// ==> [cashier (producer 0, epoch 0, Ongoing, [bills-0])]

// The partition ends at 1, but its last stable offset is 0, where the open transaction began: a read_committed
// reader's end. ListOffsets answers both, by isolation level.
broker.partitions().listOffsets(bills0, -1, false).offset()
// ==> 1
broker.partitions().listOffsets(bills0, -1, true).offset()
// ==> 0

// The cashier changes its mind. The coordinator decides (PrepareAbort), writes an ABORT marker to bills-0, and
// completes, forgetting the partitions. The marker takes offset 1; below 2 every transaction is decided. Under
// version 2 every end moves the producer to its next epoch, which the marker already carries.
cashier.abortTransaction()
broker.transactionCoordinator().transactions()
// ==> [cashier (producer 0, epoch 1, CompleteAbort)]
broker.partitions().listOffsets(bills0, -1, true).offset()
// ==> 2

// Another transaction, committed: the bill again at offset 2, and a COMMIT marker at 3.
cashier.beginTransaction()
{ cashier.send(new ProducerRecord<>("bills", "meal-1", "bill for cod and chips")).get(); }
cashier.commitTransaction()
broker.partitions().listOffsets(bills0, -1, true).offset()
// ==> 4

// A read_committed fetch, as the broker answers it: every batch up to the last stable offset, the aborted ones
// among them, and the list of aborted transactions in that range. The broker filters nothing.
PartitionData read;
// ==> null
{ read = broker.partitions().read(new FetchParams(Duration.ZERO, 1, 1 << 20, List.of(new FetchPartition(bills0, 0, 1 << 20)), true), ByteBuffer.allocate(1 << 20)).get().get(bills0); }
read.lastStableOffset()
// ==> 4
var batches = read.batches().batches()
// ==> [RecordBatch(offsets 0..0, 1 records, 96 bytes, none), RecordBatch(offsets 1..1, 1 records, 78 bytes, none), RecordBatch(offsets 2..2, 1 records, 96 bytes, none), RecordBatch(offsets 3..3, 1 records, 78 bytes, none)]
batches.stream().map(b -> b.baseOffset() + (b.isControl() ? " " + ControlRecord.of(b) : " data") + ", producer " + b.producerId() + " epoch " + b.producerEpoch()).toList()
// ==> [0 data, producer 0 epoch 0, 1 ABORT (coordinator epoch 0), producer 0 epoch 1, 2 data, producer 0 epoch 1, 3 COMMIT (coordinator epoch 0), producer 0 epoch 2]
read.abortedTransactions()
// ==> [AbortedTransaction[producerId=0, firstOffset=0]]

// The consumer's side: drop the batches of the aborted transactions and every marker. Only the batch at 2 is
// handed to the application.
new AbortedTransactionFilter().committed(batches, read.abortedTransactions()).stream().map(RecordBatch::baseOffset).toList()
// ==> [2]

// A second instance of the cashier: InitProducerId with the same transactional.id raises the epoch. The first
// instance is now a zombie, and its next transaction is refused: by bills-0's leader, which checks the epoch of
// its first bill (a Kafka 3 producer hears it from the coordinator, as ProducerFencedException).
KafkaProducer<String, String> second;
// ==> null
{ second = new KafkaProducer<>(Map.of("bootstrap.servers", front.bootstrapServers(), "transactional.id", "cashier"), new StringSerializer(), new StringSerializer()); }
second.initTransactions()
broker.transactionCoordinator().transactions()
// ==> [cashier (producer 0, epoch 3, Empty)]
cashier.beginTransaction()
var outcome = new StringBuilder()
// ==>
try { cashier.send(new ProducerRecord<>("bills", "meal-9", "a zombie's bill")).get(); outcome.append("written"); } catch (Exception e) { outcome.append(e.getCause().getClass().getSimpleName()); }
outcome
// ==> InvalidProducerEpochException

second.close()
cashier.close(Duration.ZERO)
front.close()
broker.close()

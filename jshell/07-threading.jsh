// Lesson 7: many threads, one log.
// Step through with ./toykafka step 7, or open JShell here with jshell/start 7.
// Each snippet is followed by the value it shows; guess it before you look.
import java.time.Duration;
import java.util.List;
import java.util.concurrent.*;
import toykafka.common.*;
import toykafka.lesson01.*;
import toykafka.lesson02.*;
import toykafka.lesson07.*;

// Four threads append 2,000 events each to lesson 1's list log at the same moment. What goes wrong, and
// how much, changes from run to run, so this cell prints it and states nothing: look at what it printed.
System.out.println(Race.untilTrouble(ListLog::new, 4, 2_000, 200, Duration.ofMillis(500)));

// Fix 1: one lock around every call. With the lock, the outcome is the same every run.
Race.once(() -> new LockedLog<>(new ListLog<>()), 4, 2_000)
// ==> 4 threads x 2000 appends: 8000 accepted, endOffset 8000, 0 offsets given twice, 0 lost, 0 threw

// Fix 2: one writer thread per partition. send() queues the event and returns a future of its offset.
var partitions = List.<EventLog<String>>of(new ListLog<>(), new ListLog<>());
// ==> [ListLog[], ListLog[]]
var writers = new PartitionWriters<String>(partitions);
// ==> PartitionWriters[partitions=2, queue capacity=1024]
Threads.running()
// ==> [toykafka-writer-0, toykafka-writer-1]
writers.send(0, "cod").get(5, TimeUnit.SECONDS)
// ==> 0
writers.send(1, "chips").get(5, TimeUnit.SECONDS)
// ==> 0
writers.send(0, "peas").get(5, TimeUnit.SECONDS)
// ==> 1

// close() lets each writer finish its queue, then stops it: no thread is left, and late sends are refused.
writers.close();
Threads.running()
// ==> []
partitions.get(0)
// ==> ListLog[cod, peas]
writers.send(0, "haddock")
// !! IllegalStateException: this producer is closed: it accepts no more events
writers.send(2, "haddock")
// !! IllegalArgumentException: partition 2 does not exist: this producer writes to partitions 0..1

// Fix 3: batches and a sender thread. batch.size 3 and a linger of an hour: only full batches go by themselves.
var kitchen = List.<EventLog<String>>of(new ListLog<>());
// ==> [ListLog[]]
var producer = new BatchingProducer<String>(kitchen, 3, Duration.ofHours(1));
// ==> BatchingProducer[batch.size=3, linger=PT1H, partitions=1]
for (int i = 0; i < 7; i++) producer.send(0, "order-" + i);
producer.flush();
producer.batchesSent()
// ==> 3
kitchen.get(0).endOffset()
// ==> 7
producer.close();

// Guess first: a lone event, a linger of 20 ms, no flush() and no close(). Is it ever written?
var evening = new BatchingProducer<String>(List.of(new ListLog<String>()), 100, Duration.ofMillis(20));
// ==> BatchingProducer[batch.size=100, linger=PT0.02S, partitions=1]
evening.send(0, "one cod, nothing else").get(5, TimeUnit.SECONDS)
// ==> 0
evening.close();
evening.batchesSent()
// ==> 1

// A consumer's poll(timeout) sleeps until an append or the timeout, whichever comes first.
var orders = new LockedLog<String>(new ListLog<>());
// ==> LockedLog[ListLog[]]
var cook = new LongPollConsumer<String>(orders, OffsetReset.EARLIEST, 10);
// ==> LongPollConsumer[position=0]
cook.poll(Duration.ofMillis(50))
// ==> []

// Now the cook polls on its own thread, for up to 10 s, and hands what it gets to this queue.
var got = new LinkedBlockingQueue<List<EventAt<String>>>();
// ==> []
new Thread(() -> got.add(cook.poll(Duration.ofSeconds(10)))).start();
orders.awaitWaitingReaders(1, Duration.ofSeconds(10))
// ==> true
orders.append("haddock")
// ==> 0
got.poll(10, TimeUnit.SECONDS)
// ==> [@0:haddock]

// Every producer is closed: none of this lesson's threads is still running.
Threads.running()
// ==> []

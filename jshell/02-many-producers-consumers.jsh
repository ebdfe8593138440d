// Lesson 2: many producers, many consumers.
// Step through with ./toykafka step 2, or open JShell here with jshell/start 2.
import toykafka.common.*;
import toykafka.lesson01.*;
import toykafka.lesson02.*;

// One log, two tills writing to it. A producer remembers the offsets it was given.
var log = new ListLog<String>();
// ==> ListLog[]
var till1 = new Producer<>("till-1", log);
// ==> Producer[till-1, sent 0]
var till2 = new Producer<>("till-2", log);
// ==> Producer[till-2, sent 0]

// The tills send whenever they are ready, so their orders interleave.
till1.send("cod")
// ==> 0
till2.send("pie")
// ==> 1
till1.send("chips")
// ==> 2
till2.send("peas")
// ==> 3
till1.send("haddock")
// ==> 4
log
// ==> ListLog[cod, pie, chips, peas, haddock]

// Predict: is each till's own order kept?
till1.eventsInLog()
// ==> [cod, chips, haddock]
till1.sentOffsets()
// ==> [0, 2, 4]

// A consumer reads in batches of at most max.poll.records. Each event comes with its offset.
var cook = new PollingConsumer<>(log, OffsetReset.EARLIEST, 2);
// ==> PollingConsumer[position=0, auto.offset.reset=earliest, max.poll.records=2]
cook.poll()
// ==> [@0:cod, @1:pie]
cook.lag()
// ==> 3
cook.poll()
// ==> [@2:chips, @3:peas]

// A second consumer has its own position. It can seek anywhere, and -1 becomes a real offset.
var auditor = new PollingConsumer<>(log, OffsetReset.EARLIEST, 10);
// ==> PollingConsumer[position=0, auto.offset.reset=earliest, max.poll.records=10]
auditor.seek(-1);
auditor.position()
// ==> 4
auditor.poll()
// ==> [@4:haddock]
cook.position()
// ==> 4

// Starting at latest means: only what comes next.
var newcomer = new PollingConsumer<>(log, OffsetReset.LATEST, 10);
// ==> PollingConsumer[position=5, auto.offset.reset=latest, max.poll.records=10]
newcomer.poll()
// ==> []
till2.send("plaice")
// ==> 5
newcomer.poll()
// ==> [@5:plaice]

// A position the log does not hold: auto.offset.reset decides what happens.
var strict = new PollingConsumer<>(log, OffsetReset.NONE, 10);
// ==> PollingConsumer[position=none, auto.offset.reset=none, max.poll.records=10]
strict.poll()
// !! IllegalStateException: this consumer has no position yet: with auto.offset.reset=none, call seek(offset) before poll()
strict.seek(42);
strict.poll()
// !! OffsetOutOfRangeException: offset 42 is out of range: valid offsets are 0..5 (auto.offset.reset=none: seek to a valid offset)
var forgiving = new PollingConsumer<>(log, OffsetReset.EARLIEST, 3);
// ==> PollingConsumer[position=0, auto.offset.reset=earliest, max.poll.records=3]
forgiving.seek(42);
forgiving.poll()
// ==> [@0:cod, @1:pie, @2:chips]

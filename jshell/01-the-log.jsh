// Lesson 1: the log is a list.
// Step through with ./toykafka step 1, or open JShell here with jshell/start 1.
// Each snippet is followed by the value it shows; guess it before you look.
import toykafka.common.*;
import toykafka.lesson01.*;

// An empty log. Nothing has an offset yet; the first append will get offset 0.
var log = new ListLog<String>();
// ==> ListLog[]
log.endOffset()
// ==> 0

// A till appends orders. append answers with each order's offset.
log.append("cod")
// ==> 0
log.append("chips")
// ==> 1
log.append("peas")
// ==> 2
log
// ==> ListLog[cod, chips, peas]

// Read by offset. Reading never removes: ask twice, get the same answer.
log.read(1)
// ==> "chips"
log.read(1)
// ==> "chips"
log.size()
// ==> 3

// The earliest and latest offsets, and the end offset: where the next append goes.
log.earliest()
// ==> 0
log.latest()
// ==> 2
log.endOffset()
// ==> 3

// -1 counts back from the end, like a Python list. resolve() turns it into a real offset.
log.read(-1)
// ==> "peas"
log.resolve(-1)
// ==> 2

// Why resolve? A consumer that wrote down "-1" would mean a different order after the next append.
// Predict: a consumer starts at -1, then "haddock" arrives. What do three calls to next() return?
var consumer = SimpleConsumer.startingAt(log, -1);
// ==> SimpleConsumer[position=2]
log.append("haddock")
// ==> 3
consumer.next()
// ==> Optional[peas]
consumer.next()
// ==> Optional[haddock]
consumer.next()
// ==> Optional.empty

// A second consumer keeps its own position and starts wherever it likes.
var auditor = SimpleConsumer.fromEarliest(log);
// ==> SimpleConsumer[position=0]
auditor.next()
// ==> Optional[cod]
consumer.position()
// ==> 4

// Predict: what does the log say when asked for offset 7, or for index -5?
log.read(7)
// !! OffsetOutOfRangeException: offset 7 is out of range: valid offsets are 0..3
log.read(-5)
// !! OffsetOutOfRangeException: index -5 is out of range: valid indexes are -4..-1 and valid offsets are 0..3

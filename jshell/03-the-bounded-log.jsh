// Lesson 3: the bounded log.
// Step through with ./toykafka step 3, or open JShell here with jshell/start 3.
import java.nio.file.*;
import java.time.*;
import toykafka.common.*;
import toykafka.archive.*;
import toykafka.clock.ManualClock;
import toykafka.lesson01.*;
import toykafka.lesson02.*;
import toykafka.lesson03.*;

// A clock we move by hand, so the notebook says the same thing every time.
var clock = new ManualClock(Instant.parse("2024-05-01T11:30:00Z"));
// ==> ManualClock[2024-05-01T11:30:00Z]

// The archive: a CSV file under data/generated (git ignores it). Start it empty.
var file = Path.of("data/generated/03-notebook-archive.csv");
// ==> data/generated/03-notebook-archive.csv
if (Files.exists(file)) Files.delete(file);
var archive = new CsvArchive(file);
// ==> CsvArchive[data/generated/03-notebook-archive.csv]

// A log that keeps at most 5 events; past that, the oldest 3 move out together.
var log = new BoundedLog<String>("orders", Retention.byCount(5, 3), clock, archive);
// ==> BoundedLog[orders, empty, next offset 0]
for (String order : List.of("cod", "chips", "peas", "pie", "plaice")) { log.append(order); clock.advance(Duration.ofMinutes(1)); }
log
// ==> BoundedLog[orders, offsets 0..4, next offset 5]

// Predict: what offset does the sixth order get, and which offsets are left after it?
log.append("haddock")
// ==> 5
log
// ==> BoundedLog[orders, offsets 3..5, next offset 6]
log.earliest()
// ==> 3

// Offsets do not move: offset 4 is now the second element, and still offset 4.
log.read(4)
// ==> "plaice"
log.read(-1)
// ==> "haddock"
log.read(1)
// !! OffsetOutOfRangeException: offset 1 is out of range: it is older than the log start offset 3; valid offsets are 3..5

// The three that left are in the CSV file, with offset, times and reason.
CsvArchive.read(file).get(0)
// ==> ArchivedEvent[topic=orders, partition=0, offset=0, timestamp=2024-05-01T11:30:00Z, key=null, value=cod, reason=RETENTION, archivedAt=2024-05-01T11:35:00Z]

// A consumer that was at offset 1 fell off the front. Its auto.offset.reset decides.
var slow = new PollingConsumer<>(log, OffsetReset.EARLIEST, 10);
// ==> PollingConsumer[position=3, auto.offset.reset=earliest, max.poll.records=10]
slow.seek(1);
slow.poll()
// ==> [@3:pie, @4:plaice, @5:haddock]
var strict = new PollingConsumer<>(log, OffsetReset.NONE, 10);
// ==> PollingConsumer[position=none, auto.offset.reset=none, max.poll.records=10]
strict.seek(1);
strict.poll()
// !! OffsetOutOfRangeException: offset 1 is out of range: it is older than the log start offset 3; valid offsets are 3..5 (auto.offset.reset=none: seek to a valid offset)

// Retention by age: events older than 10 minutes go when the log is next asked.
var aged = new BoundedLog<String>("specials", Retention.byAge(Duration.ofMinutes(10)), clock, archive);
// ==> BoundedLog[specials, empty, next offset 0]
aged.append("cod")
// ==> 0
clock.advance(Duration.ofMinutes(6));
aged.append("chips")
// ==> 1
clock.advance(Duration.ofMinutes(6));
aged.expireOld()
// ==> 1
aged
// ==> BoundedLog[specials, offsets 1..1, next offset 2]

// Archiving on request: move everything before an offset out; the rest keep their offsets.
log.archiveBefore(5)
// ==> 2
log.read(5)
// ==> "haddock"
log.archiveBefore(9)
// !! OffsetOutOfRangeException: cannot archive before offset 9: the log end offset is 6; choose an offset from 5 to 6

// A first look at the archive with Tablesaw, each column's type stated, not guessed.
var table = ArchiveTable.read(file);
// ==>                                                     03-notebook-archive.csv
// ==>   topic    |  partition  |  offset  |         timestamp          |  key  |  value   |   reason    |        archived_at         |
// ==> --------------------------------------------------------------------------------------------------------------------------------
// ==>    orders  |          0  |       0  |  2024-05-01T11:30:00.000Z  |       |     cod  |  retention  |  2024-05-01T11:35:00.000Z  |
// ==>    orders  |          0  |       1  |  2024-05-01T11:31:00.000Z  |       |   chips  |  retention  |  2024-05-01T11:35:00.000Z  |
// ==>    orders  |          0  |       2  |  2024-05-01T11:32:00.000Z  |       |    peas  |  retention  |  2024-05-01T11:35:00.000Z  |
// ==>  specials  |          0  |       0  |  2024-05-01T11:35:00.000Z  |       |     cod  |  retention  |  2024-05-01T11:47:00.000Z  |
// ==>    orders  |          0  |       3  |  2024-05-01T11:33:00.000Z  |       |     pie  |    archive  |  2024-05-01T11:47:00.000Z  |
// ==>    orders  |          0  |       4  |  2024-05-01T11:34:00.000Z  |       |  plaice  |    archive  |  2024-05-01T11:47:00.000Z  |
table.rowCount()
// ==> 6
table.xTabCounts("reason")
// ==> 03-notebook-archive.csv summary
// ==>   reason    |  Count  |
// ==> -----------------------
// ==>  retention  |      4  |
// ==>    archive  |      2  |
table.where(table.stringColumn("topic").isEqualTo("orders")).longColumn("offset").asList()
// ==> [0, 1, 2, 3, 4]

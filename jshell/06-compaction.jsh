// Lesson 6: the compacted log.
// Step through with ./toykafka step 6, or open JShell here with jshell/start 6.
// Each snippet is followed by the value it shows; guess it before you look.
import java.time.*;
import java.nio.file.*;
import toykafka.common.*;
import toykafka.archive.*;
import toykafka.clock.ManualClock;
import toykafka.common.Record;
import toykafka.lesson06.*;

// A clock that moves only when told, and a list to collect what compaction removes.
var clock = new ManualClock(Instant.parse("2024-05-01T12:00:00Z"));
// ==> ManualClock[2024-05-01T12:00:00Z]
var removed = new java.util.ArrayList<ArchivedEvent>();
// ==> []

// Segments of 3 offsets. The segment holding the newest record is the head: compaction never touches it.
// The last argument is the archive: removed::addAll hands every removed record to the list.
var log = new TreeMapCompactedLog("stock", 0, CompactionConfig.segmentsOf(3), clock, removed::addAll);
// ==> TreeMapCompactedLog[]
log.append(Record.of("cod", "12 portions", clock.instant()))
// ==> 0
log.append(Record.of("haddock", "8 portions", clock.instant()))
// ==> 1
log.append(Record.of("cod", "11 portions", clock.instant()))
// ==> 2
log.append(Record.of("cod", "9 portions", clock.instant()))
// ==> 3
log
// ==> TreeMapCompactedLog[0:cod=12 portions, 1:haddock=8 portions, 2:cod=11 portions | head: 3:cod=9 portions]
log.activeSegmentStart()
// ==> 3

// Guess first: which offsets go? Only 0..2 may; the head keeps cod=9 even though it repeats a key.
log.compact()
// ==> Compaction[removed [0], clean up to offset 3]
log
// ==> TreeMapCompactedLog[1:haddock=8 portions, 2:cod=11 portions | head: 3:cod=9 portions]

// Offsets never change: there is now a gap at 0. size() counts records, endOffset() does not move.
log.size()
// ==> 3
log.endOffset()
// ==> 4

// Lesson 1's read keeps its promise for offsets the log holds, and says plainly when one is gone.
log.read(2).valueText()
// ==> "11 portions"
log.read(0)
// !! NoSuchElementException: offset 0 was removed by compaction; readFrom(0) returns the next record the log holds, at offset 1

// readFrom steps over the gap, as a Kafka fetch does.
log.readFrom(0).get().offset()
// ==> 1
log.fetch(0, 10).stream().map(r -> r.offset() + ":" + r.event().valueText()).toList()
// ==> [1:8 portions, 2:11 portions, 3:9 portions]

// No key, no latest value to keep: the record is refused.
log.append(Record.of(null, "plaice", clock.instant()))
// !! IllegalArgumentException: a compacted log keeps the latest record per key, so every record needs a key; this one has none (value 'plaice'): nothing was appended

// A tombstone (a key with no value) deletes a key. Three more appends start a new head at 6.
log.append(Record.of("haddock", null, clock.instant()))
// ==> 4
log.append(Record.of("plaice", "5 portions", clock.instant()))
// ==> 5
log.append(Record.of("cod", "7 portions", clock.instant()))
// ==> 6
log.dirtyRatio()
// ==> 0.6
log.compactIfDirty()
// ==> Optional[Compaction[removed [1, 2], clean up to offset 6]]

// cod=9 at 3 stays: cod's newer value is in the head, which the cleaner does not look at.
// The tombstone at 4 stays for delete.retention (a day by default) so readers that are behind still see the delete.
log
// ==> TreeMapCompactedLog[3:cod=9 portions, 4:haddock=null, 5:plaice=5 portions | head: 6:cod=7 portions]
clock.advance(Duration.ofDays(1));
log.compact()
// ==> Compaction[removed [4], clean up to offset 6]

// Table-stream duality: replaying the compacted log gives the table that replaying every change would.
Tables.replay(log)
// ==> {cod=7 portions, plaice=5 portions}

// Everything compaction removed went to the archive first, with its reason.
removed.size()
// ==> 4
removed.get(0)
// ==> ArchivedEvent[topic=stock, partition=0, offset=0, timestamp=2024-05-01T12:00:00Z, key=cod, value=12 portions, reason=COMPACTION, archivedAt=2024-05-01T12:00:00Z]

// A CsvArchive writes the same rows to a file, in lesson 3's format: one analysis reads them all.
// The file goes under data/generated (git ignores it); start it empty.
var file = Path.of("data/generated/06-notebook-archive.csv");
// ==> data/generated/06-notebook-archive.csv
if (Files.exists(file)) Files.delete(file);
new CsvArchive(file).append(removed);
Files.readAllLines(file).get(1)
// ==> "stock,0,0,2024-05-01T12:00:00Z,cod,\"12 portions\",compaction,2024-05-01T12:00:00Z"
ArchiveTable.read(file).rowCount()
// ==> 4

// Kafka keeps consumer groups' committed offsets in a compacted topic too: only the latest per key matters.
var commits = new TreeMapCompactedLog("__consumer_offsets", 0, CompactionConfig.segmentsOf(2), clock, Archive.discard());
// ==> TreeMapCompactedLog[]
for (long position : new long[] {3, 7, 12, 15, 19}) commits.append(Record.of("kitchen/orders/0", String.valueOf(position), clock.instant()));
commits.compact().removedOffsets()
// ==> [0, 1, 2]
Tables.replay(commits)
// ==> {kitchen/orders/0=19}

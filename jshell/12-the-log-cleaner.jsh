// Lesson 12: the log cleaner.
// Step through with ./toykafka step 12, or open JShell here with jshell/start 12.
// Each snippet is followed by the value it shows; guess it before you look.
import toykafka.lesson12.*;
import toykafka.lesson08.*;
import toykafka.lesson09.*;
import toykafka.archive.*;
import toykafka.clock.ManualClock;
import toykafka.common.Record;
import toykafka.common.TopicConfig;
import toykafka.common.Directories;
import java.nio.file.*;
import java.time.*;
import java.util.*;

// A compacted log on disk, with tiny segments so a few records fill several, in a directory emptied first.
var dir = Path.of("data", "generated", "12-notebook");
// ==> data/generated/12-notebook
Directories.deleteTree(dir);
var clock = new ManualClock(Instant.parse("2026-11-23T12:00:00Z"));
// ==> ManualClock[2026-11-23T12:00:00Z]
var archived = new ArrayList<ArchivedEvent>();
// ==> []
var config = TopicConfig.of(Map.of("cleanup.policy", "compact", "segment.bytes", "200", "delete.retention.ms", "0"));
// ==> TopicConfig{cleanup.policy=compact, delete.retention.ms=0, segment.bytes=200}
var log = FileLog.open(dir, "prices", 0, config, clock, archived::addAll);
// ==> FileLog[prices-0: no records, next offset 0, 1 segment(s)]

// Cod changes price four times, chips twice, and pie comes off the menu (a tombstone).
for (String[] change : new String[][] {{"cod", "450"}, {"chips", "120"}, {"cod", "460"}, {"pie", "390"}, {"cod", "470"}, {"chips", "130"}, {"pie", null}, {"cod", "480"}, {"peas", "90"}}) { log.append(Record.of(change[0], change[1], clock.instant())); clock.advance(Duration.ofMinutes(1)); }
log.segments().stream().map(s -> s.baseOffset() + ".." + (s.nextOffset() - 1)).toList()
// ==> [0..1, 2..3, 4..5, 6..7, 8..8]

// The plan: what is clean, what is dirty, and what the cleaner must leave alone (the active segment).
var plan = CleaningPlan.of(log.segments(), SegmentSwap.cleanedUpTo(log), clock.instant(), config);
// ==> CleaningPlan[firstDirty=0, firstUncleanable=8, cleanBytes=0, dirtyBytes=593]
plan.dirtyRatio()
// ==> 1.0

// The offset map: each key's latest offset, 24 bytes a key. Predict what cod maps to.
var map = new OffsetMap(1024);
// ==> OffsetMap[0 of 37 keys, latest offset -1]
map.maxKeys()
// ==> 37
map.put("cod".getBytes(), 0)
// ==> true
map.put("cod".getBytes(), 7)
// ==> true
map.get("cod".getBytes())
// ==> 7
map.get("haddock".getBytes())
// ==> -1

// Predict: after one pass, which offsets are left, and is pie still there? (delete.retention.ms is 0 here.)
var pass = new LogCleaner(new OffsetMap(1024), archived::addAll, clock).clean(log, "prices", 0, true);
// ==> Pass[cleaned=true, plan=CleaningPlan[firstDirty=0, firstUncleanable=8, cleanBytes=0, dirtyBytes=593], cleanedUpTo=8, recordsRead=8, recordsRemoved=6, bytesBefore=593, bytesAfter=272, keys=3]
pass.recordsRemoved()
// ==> 6
var kept = new ArrayList<String>();
// ==> []
for (long at = log.earliest(); at < log.endOffset(); ) { var next = log.readBatchWithOffsets(at, 100); next.forEach(r -> kept.add(r.offset() + ":" + r.record().keyText() + "=" + r.record().valueText())); at = next.get(next.size() - 1).offset() + 1; }
kept
// ==> [5:chips=130, 7:cod=480, 8:peas=90]

// Offsets kept their numbers; an offset the cleaner removed says where the next record is.
log.read(0)
// !! NoSuchElementException: offset 0 was removed by compaction; the next record the log holds is at offset 5

// Everything removed went to the archive first, with the reason compaction.
archived.stream().map(row -> row.offset() + ":" + row.key() + " " + row.reason()).toList()
// ==> [0:cod COMPACTION, 1:chips COMPACTION, 2:cod COMPACTION, 3:pie COMPACTION, 4:cod COMPACTION, 6:pie COMPACTION]

// The cleaner remembers where it got to, in Kafka's cleaner-offset-checkpoint file.
SegmentSwap.cleanedUpTo(log)
// ==> 8
log.close();

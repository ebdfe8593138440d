// Lesson 9: the durable log.
// Step through with ./toykafka step 9, or open JShell here with jshell/start 9.
// Each snippet is followed by the value it shows; guess it before you look.
import toykafka.common.*;
import toykafka.lesson08.*;
import toykafka.lesson09.*;
import toykafka.common.Record;
import java.nio.file.*;
import java.time.*;
import java.util.Comparator;
import java.util.List;

// Lesson 8's small segments, and an fsync before every append is acknowledged (flush.messages=1).
var config = TopicConfig.defaults().with(TopicConfig.SEGMENT_BYTES, 200).with(TopicConfig.INDEX_INTERVAL_BYTES, 60).with(TopicConfig.FLUSH_MESSAGES, 1);
// ==> TopicConfig{flush.messages=1, index.interval.bytes=60, segment.bytes=200}

// A FileLog opens (or creates) a partition's directory, here under a data directory emptied first.
var dataDir = Path.of("data", "generated", "09-notebook");
// ==> data/generated/09-notebook
Directories.deleteTree(dataDir);
var log = FileLog.open(dataDir, "orders", 0, config);
// ==> FileLog[orders-0: no records, next offset 0, 1 segment(s)]
var noon = Instant.parse("2024-03-01T12:00:00Z");
// ==> 2024-03-01T12:00:00Z
log.appendAll(List.of(Record.of("till-1", "cod", noon), Record.of("till-2", "chips", noon.plusSeconds(60)), Record.of("till-3", "haddock", noon.plusSeconds(120))))
// ==> 0
log.appendAll(List.of(Record.of("till-1", "mushy peas", noon.plusSeconds(180)), Record.of("till-2", "plaice", noon.plusSeconds(240)), Record.of("till-3", "pie", noon.plusSeconds(300)), Record.of("till-1", "scampi", noon.plusSeconds(360))))
// ==> 3
// Two appends, two fsyncs: each waited for its own.
log.fsyncs()
// ==> 2

// Beside lesson 8's files: the .lock, held while the log is open, and the recovery point, written at each roll.
Files.list(log.directory()).map(f -> f.getFileName().toString()).sorted().toList()
// ==> [.lock, 00000000000000000000.index, 00000000000000000000.log, 00000000000000000000.timeindex, 00000000000000000003.index, 00000000000000000003.log, 00000000000000000003.timeindex, recovery-point-offset-checkpoint]
Files.readString(log.directory().resolve("recovery-point-offset-checkpoint")).strip()
// ==> "3"

// A second log on the same directory is refused while the first holds the lock. (The message names the
// directory by its full path, so here it is cut to what follows the path.)
var refusal = new StringBuilder();
// ==> 
try { FileLog.open(dataDir, "orders", 0, config); } catch (IllegalStateException e) { refusal.append(e.getMessage().substring(e.getMessage().indexOf("is in use"))); }
refusal.toString()
// ==> "is in use: another owner, in this process or another, holds its .lock. Two writers on one directory would hand out the same offsets; close the other one (or stop its process) first"

// A crash: the process stops with no clean shutdown, and a torn write leaves part of a batch behind.
log.simulateCrash();
try (var torn = Files.newOutputStream(log.directory().resolve("00000000000000000003.log"), StandardOpenOption.APPEND)) { torn.write(new byte[] {0, 0, 0, 60, 0, 0, 0}); }
// Predict: what does opening the log do with those seven bytes, and what offset does the next append get?
var recovered = FileLog.open(dataDir, "orders", 0, config);
// ==> FileLog[orders-0: offsets 0..6, 2 segment(s)]
recovered.recoveryReport().truncated()
// ==> true
recovered.recoveryReport().problem().getMessage()
// ==> "00000000000000000003.log at byte 144: the last 7 bytes are not a whole batch: a torn write"
recovered.append(Record.of("till-2", "fishcake", noon.plusSeconds(600)))
// ==> 7

// A clean close leaves a marker: the next open trusts the files and reads no record.
recovered.close();
var reopened = FileLog.open(dataDir, "orders", 0, config);
// ==> FileLog[orders-0: offsets 0..7, 3 segment(s)]
reopened.recoveryReport()
// ==> clean shutdown: 3 segment(s) loaded from their indexes, no record read
reopened.read(-1).valueText()
// ==> "fishcake"

// Retention by size alone (no age limit): keep at least 150 bytes. Which of the three segments go?
reopened.reconfigure(config.with(TopicConfig.RETENTION_BYTES, 150).with(TopicConfig.RETENTION_MS, -1));
reopened.applyRetention()
// ==> [00000000000000000000.log (offsets 0..2, 119 bytes, 0 index entries)]
reopened.earliest()
// ==> 3
reopened.close();

// Tidy up: delete the data directory.
Directories.deleteTree(dataDir);
Files.exists(dataDir)
// ==> false

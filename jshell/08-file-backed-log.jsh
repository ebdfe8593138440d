// Lesson 8: the file-backed log.
// Step through with ./toykafka step 8, or open JShell here with jshell/start 8.
// Each snippet is followed by the value it shows; guess it before you look.
import toykafka.common.*;
import toykafka.lesson08.*;
import toykafka.tools.SegmentDump;
import toykafka.common.Record;
import java.nio.file.*;
import java.time.*;
import java.util.Comparator;
import java.util.List;

// Small segments (200 bytes) and an index entry every 60 bytes, so a few orders show every part.
var config = TopicConfig.defaults().with(TopicConfig.SEGMENT_BYTES, 200).with(TopicConfig.INDEX_INTERVAL_BYTES, 60);
// ==> TopicConfig{index.interval.bytes=60, segment.bytes=200}

// A partition's log lives in a directory of its own, orders-0, under a data directory: a fresh temporary
// one here, so its name differs from run to run. log.directory().getParent() finds it again.
var log = LocalLog.create(Files.createTempDirectory("toykafka-08-"), "orders", 0, config);
// ==> LocalLog[orders-0: no records, next offset 0, 1 segment(s)]

// Appending works as in lesson 1: each record gets the next offset. Each append is one record batch,
// Kafka's own format: a 61-byte header, then the records.
var noon = Instant.parse("2024-03-01T12:00:00Z");
// ==> 2024-03-01T12:00:00Z
log.append(Record.of("till-1", "cod", noon))
// ==> 0
log.appendAll(List.of(Record.of("till-2", "chips", noon.plusSeconds(60)), Record.of("till-3", "haddock", noon.plusSeconds(120))))
// ==> 1

// Predict: a segment holds 200 bytes, and these two batches took 178. Where does the next batch, of four
// orders (about 140 bytes), go?
log.appendAll(List.of(Record.of("till-1", "mushy peas", noon.plusSeconds(180)), Record.of("till-2", "plaice", noon.plusSeconds(240)), Record.of("till-3", "pie", noon.plusSeconds(300)), Record.of("till-1", "scampi", noon.plusSeconds(360))))
// ==> 3
log
// ==> LocalLog[orders-0: offsets 0..6, 2 segment(s)]

// The batch of four did not fit in the first segment, so the log rolled first: a batch stays together.
// Segments are named by their first offset; each is a .log with two sparse indexes.
Files.list(log.directory()).map(f -> f.getFileName().toString()).sorted().toList()
// ==> [00000000000000000000.index, 00000000000000000000.log, 00000000000000000000.timeindex, 00000000000000000003.index, 00000000000000000003.log, 00000000000000000003.timeindex]
log.segments()
// ==> [00000000000000000000.log (offsets 0..2, 178 bytes, 1 index entry), 00000000000000000003.log (offsets 3..6, 144 bytes, 0 index entries)]

// Finding an offset: the segment with the last base offset at or below it, the index, then a short scan.
log.locate(6)
// ==> offset 6 is in 00000000000000000003.log: the index says start at 3@0, and the batch holding it starts at byte 0
log.read(6).valueText()
// ==> "scampi"

// Finding a time: the first record stamped at or after it (Kafka's offsetsForTimes).
log.offsetForTime(noon.plusSeconds(90))
// ==> OptionalLong[2]
log.offsetForTime(noon.plusSeconds(3600))
// ==> OptionalLong.empty

// Every batch carries a CRC-32C. verify checks all of them, and every index entry.
SegmentDump.verify(log.directory().resolve("00000000000000000000.log"))
// ==> 00000000000000000000.log: ok, 3 records in 178 bytes, every CRC good, 1 index and 1 time index entries good

// Bad input is refused, and nothing is written: here a topic name that would lead out of the data directory.
LocalLog.create(log.directory().getParent(), "../../etc", 0, config)
// !! IllegalArgumentException: '../../etc' is not a legal topic name: use 1 to 249 letters, digits, '.', '_' or '-', and not '.' or '..' alone, so the name stays inside the data directory
log.endOffset()
// ==> 7

log.close();

// Tidy up: delete the temporary data directory.
try (var files = Files.walk(log.directory().getParent())) { files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete()); }
Files.exists(log.directory().getParent())
// ==> false

// Lesson 11: the archive, analysed.
// Step through with ./toykafka step 11, or open JShell here with jshell/start 11.
// Each snippet is followed by the value it shows; guess it before you look.
import toykafka.archive.*;
import toykafka.broker.*;
import toykafka.broker.config.*;
import toykafka.lesson11.*;
import toykafka.clock.ManualClock;
import toykafka.common.Record;
import toykafka.lesson04.OnDuplicate;
import toykafka.common.Directories;
import tech.tablesaw.api.*;
import static tech.tablesaw.aggregate.AggregateFunctions.*;
import java.nio.file.*;
import java.time.*;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

// A broker on a clock of our own, in a directory emptied so every run starts the same.
var dataDir = Path.of("data", "generated", "11-notebook");
// ==> data/generated/11-notebook
Directories.deleteTree(dataDir);
var clock = new ManualClock(Instant.parse("2026-11-23T12:00:00Z"));
// ==> ManualClock[2026-11-23T12:00:00Z]
var broker = Broker.start(BrokerConfig.of(Map.of("stats.interval.ms", "0")).with("data.dir", dataDir), clock, event -> { });
// ==> Broker[__broker_stats, __consumer_offsets]

// Orders keep an hour (retention.ms) in small segments; a till's orders share a key.
broker.createTopic("orders", 3, Map.of("retention.ms", "3600000", "segment.bytes", "200"), OnDuplicate.FAIL)
// ==> "orders"
for (int i = 0; i < 12; i++) { broker.partitions().appendRecords("orders", List.of(new Partitions.ProduceRecord(null, Record.of(i % 3 == 0 ? "till-2" : "till-1", "order " + i, clock.instant())))); clock.advance(Duration.ofMinutes(5)); }
broker.jobs().writeStats();

// Predict: two hours later retention runs. How many of the 12 orders go to the archive?
clock.advance(Duration.ofHours(2));
broker.jobs().applyRetention().size()
// ==> 6
broker.describeTopic("orders").partitions()
// ==> [PartitionInfo[partition=0, logStartOffset=0, endOffset=0], PartitionInfo[partition=1, logStartOffset=8, endOffset=8], PartitionInfo[partition=2, logStartOffset=4, endOffset=4]]
broker.close();

// The archive is a folder per topic, partition and day; each file is named by the offsets it holds.
var archiveDir = dataDir.resolve("archive");
// ==> data/generated/11-notebook/archive
Files.walk(archiveDir).filter(Files::isRegularFile).map(archiveDir::relativize).map(Path::toString).sorted().toList()
// ==> [topic=orders/partition=1/date=2026-11-23/00000000000000000000-00000000000000000001.csv, topic=orders/partition=1/date=2026-11-23/00000000000000000002-00000000000000000003.csv, topic=orders/partition=1/date=2026-11-23/00000000000000000004-00000000000000000005.csv, topic=orders/partition=1/date=2026-11-23/00000000000000000006-00000000000000000007.csv, topic=orders/partition=2/date=2026-11-23/00000000000000000000-00000000000000000001.csv, topic=orders/partition=2/date=2026-11-23/00000000000000000002-00000000000000000003.csv]

// Read back into one table, every column's type stated. bytes is the key's and value's size in UTF-8.
var table = ArchiveReader.of(archiveDir).read();
// ==>                                                             archive
// ==>  topic   |  partition  |  offset  |         timestamp          |   key    |  bytes  |   reason    |        archived_at         |
// ==> --------------------------------------------------------------------------------------------------------------------------------
// ==>  orders  |          1  |       0  |  2026-11-23T12:05:00.000Z  |  till-1  |     13  |  retention  |  2026-11-23T15:00:00.000Z  |
// ==>  orders  |          1  |       1  |  2026-11-23T12:10:00.000Z  |  till-1  |     13  |  retention  |  2026-11-23T15:00:00.000Z  |
// ==>  orders  |          1  |       2  |  2026-11-23T12:20:00.000Z  |  till-1  |     13  |  retention  |  2026-11-23T15:00:00.000Z  |
// ==>  orders  |          1  |       3  |  2026-11-23T12:25:00.000Z  |  till-1  |     13  |  retention  |  2026-11-23T15:00:00.000Z  |
// ==>  orders  |          1  |       4  |  2026-11-23T12:35:00.000Z  |  till-1  |     13  |  retention  |  2026-11-23T15:00:00.000Z  |
// ==>  orders  |          1  |       5  |  2026-11-23T12:40:00.000Z  |  till-1  |     13  |  retention  |  2026-11-23T15:00:00.000Z  |
// ==>  orders  |          1  |       6  |  2026-11-23T12:50:00.000Z  |  till-1  |     14  |  retention  |  2026-11-23T15:00:00.000Z  |
// ==>  orders  |          1  |       7  |  2026-11-23T12:55:00.000Z  |  till-1  |     14  |  retention  |  2026-11-23T15:00:00.000Z  |
// ==>  orders  |          2  |       0  |  2026-11-23T12:00:00.000Z  |  till-2  |     13  |  retention  |  2026-11-23T15:00:00.000Z  |
// ==>  orders  |          2  |       1  |  2026-11-23T12:15:00.000Z  |  till-2  |     13  |  retention  |  2026-11-23T15:00:00.000Z  |
// ==>  orders  |          2  |       2  |  2026-11-23T12:30:00.000Z  |  till-2  |     13  |  retention  |  2026-11-23T15:00:00.000Z  |
// ==>  orders  |          2  |       3  |  2026-11-23T12:45:00.000Z  |  till-2  |     13  |  retention  |  2026-11-23T15:00:00.000Z  |
table.columnNames()
// ==> [topic, partition, offset, timestamp, key, bytes, reason, archived_at]
table.rowCount()
// ==> 12

// Filter: a Selection picks rows, where() keeps them.
table.where(table.stringColumn("key").isEqualTo("till-2")).longColumn("offset").asList()
// ==> [0, 1, 2, 3]

// Summarize by group: SQL's GROUP BY. Predict which partition till-1's orders are in.
table.summarize("bytes", count, sum).by("partition", "key")
// ==>                      archive summary
// ==>  partition  |   key    |  Count [bytes]  |  Sum [bytes]  |
// ==> ----------------------------------------------------------
// ==>          1  |  till-1  |              8  |          106  |
// ==>          2  |  till-2  |              4  |           52  |

// A cross-tab counts rows for each pair of values.
table.xTabCounts("key", "reason")
// ==>    Crosstab Counts: key x reason
// ==>  [labels]  |  retention  |  total  |
// ==> ------------------------------------
// ==>    till-1  |          8  |      8  |
// ==>    till-2  |          4  |      4  |
// ==>     Total  |         12  |     12  |

// Time bucketing: Tablesaw numbers 20-minute windows from the first record, as a new column.
var window = table.instantColumn("timestamp").asLocalDateTimeColumn(ZoneOffset.UTC).timeWindow(ChronoUnit.MINUTES, 20).setName("window");
// ==> Long column: window
table.copy().addColumns(window).xTabCounts("window", "key")
// ==>        Crosstab Counts: window x key
// ==>  [labels]  |  till-1  |  till-2  |  total  |
// ==> --------------------------------------------
// ==>         0  |       2  |       2  |      4  |
// ==>         1  |       3  |       1  |      4  |
// ==>         2  |       3  |       1  |      4  |
// ==>            |       8  |       4  |     12  |

// The lesson's summaries do the same, with columns named for the reader.
var summaries = new TablesawSummaries();
// ==> TablesawSummaries
summaries.overTime(table, ChronoUnit.HOURS)
// ==>                        archive summary
// ==>  topic   |           bucket           |  records  |  bytes  |
// ==> -------------------------------------------------------------
// ==>  orders  |  2026-11-23T12:00:00.000Z  |       12  |    158  |
summaries.hotKeys(table, 1)
// ==>                      archive summary
// ==>  topic   |   key    |  partition  |  records  |  share  |
// ==> ---------------------------------------------------------
// ==>  orders  |  till-1  |          1  |        8  |  66.7%  |
summaries.ageAtArchive(table)
// ==>                                   archive summary
// ==>  topic   |   reason    |  records  |  min_age_ms  |  median_age_ms  |  max_age_ms  |
// ==> ------------------------------------------------------------------------------------
// ==>  orders  |  retention  |       12  |     7500000  |        9150000  |    10800000  |

// Join the archive with the broker's statistics: how much of what came in has left?
var stats = BrokerStatsTables.read(dataDir).topics();
// ==>                                                                          topic statistics
// ==>            time            |  topic   |  seconds  |  records_in  |  bytes_in  |  records_out  |  bytes_out  |  errors  |  records_in_per_s  |  records_out_per_s  |
// ==> -------------------------------------------------------------------------------------------------------------------------------------------------------------------
// ==>  2026-11-23T13:00:00.000Z  |  orders  |     3600  |          12  |       974  |            0  |          0  |       0  |             0.003  |              0.000  |
var came = stats.summarize("records_in", sum).by("topic");
// ==>    topic statistics summary
// ==>  topic   |  Sum [records_in]  |
// ==> -------------------------------
// ==>  orders  |                12  |
var left = table.summarize("offset", count).by("topic");
// ==>        archive summary
// ==>  topic   |  Count [offset]  |
// ==> -----------------------------
// ==>  orders  |              12  |
came.joinOn("topic").inner(left)
// ==>              topic statistics summary
// ==>  topic   |  Sum [records_in]  |  Count [offset]  |
// ==> --------------------------------------------------
// ==>  orders  |                12  |              12  |

// One chart, as a PNG file: 800 by 480 pixels.
var chart = Charts.volume(summaries.volume(table), dataDir.resolve("analysis"));
// ==> data/generated/11-notebook/analysis/volume.png
javax.imageio.ImageIO.read(chart.toFile()).getWidth()
// ==> 800

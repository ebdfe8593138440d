// Lesson 5: consumer groups.
// Step through with ./toykafka step 5, or open JShell here with jshell/start 5.
// Each snippet is followed by the value it shows; guess it before you look.
import toykafka.common.*;
import toykafka.lesson04.*;
import toykafka.lesson05.*;
// java.lang has a Record too; naming ours outright settles which one "Record" means.
import toykafka.common.Record;
import toykafka.common.OffsetReset;
import toykafka.clock.ManualClock;
import java.time.*;
import java.util.*;

// A shop with one topic of 3 partitions, and a clock that moves only when told.
var clock = new ManualClock(Instant.parse("2024-05-17T12:00:00Z"));
// ==> ManualClock[2024-05-17T12:00:00Z]
var topics = new TopicRegistry(BrokerSettings.STRICT, clock);
// ==> TopicRegistry[]
topics.createTopic("orders", 3)
// ==> "orders"

// The preparers' group: members silent for more than 10 s are removed; no commit means start at the beginning.
var settings = new GroupSettings(Duration.ofSeconds(10), OffsetReset.EARLIEST);
// ==> session.timeout.ms=10000, auto.offset.reset=earliest
var preparers = new GroupCoordinator("preparers", topics, new RangeAssignor(), settings, clock);
// ==> GroupCoordinator[preparers, generation 0, {}]

// Each join is a rebalance: the generation goes up, and the partitions are shared out again.
preparers.join("anna", Set.of("orders"))
preparers.assignment()
// ==> {anna=[orders-0, orders-1, orders-2]}
preparers.join("ben", Set.of("orders"))
preparers.assignment()
// ==> {anna=[orders-0, orders-1], ben=[orders-2]}
preparers.generation()
// ==> 2

// A member that does not own a partition may not commit it.
preparers.commit("anna", new TopicPartition("orders", 2), 0)
// !! CommitFailedException: member 'anna' of group 'preparers' cannot commit orders-2: in generation 2 it belongs to 'ben', and only a partition's owner may commit it

// Heartbeats keep a member in. ben keeps beating; anna goes quiet.
clock.advance(Duration.ofSeconds(6));
preparers.heartbeat("ben")
clock.advance(Duration.ofSeconds(4));
preparers.members()
// ==> [anna, ben]
clock.advance(Duration.ofMillis(1));
preparers.members()
// ==> [ben]
preparers.assignment()
// ==> {ben=[orders-0, orders-1, orders-2]}
preparers.heartbeat("anna")
// !! UnknownMemberIdException: there is no member 'anna' in group 'preparers': it never joined, it left, or it was silent for longer than session.timeout.ms and was removed; join again

// Some orders arrive: the three tills' keys land in three different partitions.
var tills = new TopicProducer(topics, new KeyHashPartitioner());
// ==> TopicProducer[KeyHashPartitioner[murmur2]]
for (int order = 271; order <= 276; order++) tills.send("orders", Record.of("till-" + (order % 3 + 1), "" + order, clock.instant()));

// The committed offset is the next offset to read. Lag is the end offset minus it.
var first = new TopicPartition("orders", 0);
// ==> orders-0
preparers.committed(first)
// ==> OptionalLong.empty
preparers.lag(first)
// ==> 2
preparers.commit("ben", first, 1)
preparers.committed(first)
// ==> OptionalLong[1]
preparers.lag(first)
// ==> 1
preparers.lag()
// ==> 5
preparers.commit("ben", first, 7)
// !! OffsetOutOfRangeException: cannot commit offset 7 for orders-0: a committed offset is the next offset to read, from the log start offset 0 to the end offset 2

// A reading member: GroupConsumer polls only its own partitions, and every poll is a heartbeat.
preparers.leave("ben")
var cleo = GroupConsumer.join(preparers, topics, "cleo", Set.of("orders"), 10);
// ==> GroupConsumer[cleo, positions {}]
cleo.poll()
// ==> [orders-0@1 275, orders-1@0 273, orders-1@1 276, orders-2@0 271, orders-2@1 274]
cleo.commitSync()
preparers.lag()
// ==> 0

// A second group reads the same topic on its own: its offsets are its own.
var auditors = new GroupCoordinator("auditors", topics, new RoundRobinAssignor(), settings, clock);
// ==> GroupCoordinator[auditors, generation 0, {}]
var audrey = GroupConsumer.join(auditors, topics, "audrey", Set.of("orders"), 3);
// ==> GroupConsumer[audrey, positions {}]
audrey.poll()
// ==> [orders-0@0 272, orders-0@1 275, orders-1@0 273]
auditors.lag()
// ==> 6
preparers.lag()
// ==> 0

// The assignors side by side: 2 members, two topics of 3 partitions each.
var twoTopics = new TreeMap<>(Map.of("orders", 3, "drinks", 3));
// ==> {drinks=3, orders=3}
Set<String> topics = new TreeSet<>(List.of("orders", "drinks"));
// ==> [drinks, orders]
Map<String, Set<String>> both = new TreeMap<>(Map.of("anna", topics, "ben", topics));
// ==> {anna=[drinks, orders], ben=[drinks, orders]}
new RangeAssignor().assign(twoTopics, both)
// ==> {anna=[drinks-0, drinks-1, orders-0, orders-1], ben=[drinks-2, orders-2]}
new RoundRobinAssignor().assign(twoTopics, both)
// ==> {anna=[drinks-0, drinks-2, orders-1], ben=[drinks-1, orders-0, orders-2]}

// Commit, then process; or process, then commit. A crash in between costs one or the other.
DeliveryDrill.run(Delivery.AT_MOST_ONCE)
// ==> at most once (commit, then process): 8 orders sent, 6 prepared, lost [275, 277], prepared twice []
DeliveryDrill.run(Delivery.AT_LEAST_ONCE)
// ==> at least once (process, then commit): 8 orders sent, 10 prepared, lost [], prepared twice [275, 277]

// Lesson 4: topics and partitions.
// Step through with ./toykafka step 4, or open JShell here with jshell/start 4.
// Each snippet is followed by the value it shows; guess it before you look.
import toykafka.common.*;
import toykafka.lesson04.*;
// java.lang has a Record too; naming ours outright settles which one "Record" means.
import toykafka.common.Record;
import toykafka.clock.ManualClock;
import java.time.*;
import java.util.*;

// A clock that moves only when told, so every timestamp below is the same on every run.
var clock = new ManualClock(Instant.parse("2024-05-17T11:30:00Z"));
// ==> ManualClock[2024-05-17T11:30:00Z]

// An event is a record: key, value, timestamp, headers. Key and value are bytes; Record.of takes text.
var order = Record.of("till-1", "{\"order\":271}", clock.instant());
// ==> Record[key=till-1, value={"order":271}, timestamp=2024-05-17T11:30:00Z]
order.key().length
// ==> 6
order.withHeaders(List.of(Header.of("till", "1"))).headers()
// ==> [till=1]

// A broker that creates topics only when asked.
var topics = new TopicRegistry(BrokerSettings.STRICT, clock);
// ==> TopicRegistry[]
topics.createTopic("orders", 3)
// ==> "orders"
topics.createTopic("ready", 1)
// ==> "ready"
topics.listTopics()
// ==> [orders, ready]
topics.describeTopic("orders")
// ==> orders: 3 partitions, default config

// Kafka's naming rule: 1 to 249 characters from a-z, A-Z, 0-9, '.', '_', '-'; never "." or "..".
topics.createTopic("fish.and_chips-2", 1)
// ==> "fish.and_chips-2"
topics.createTopic("fish & chips", 1)
// !! InvalidTopicException: the topic name 'fish & chips' has the character ' ' at index 4: a topic name has 1 to 249 characters, each an ASCII letter, a digit, '.', '_' or '-'
topics.createTopic("..", 1)
// !! InvalidTopicException: the topic name '..' is not allowed: '.' and '..' name folders on disk, and a partition's folder is named after its topic
topics.createTopic("x".repeat(250), 1)
// !! InvalidTopicException: the topic name 'xxxxxxxxxxxx...xxxxx' has 250 characters: the limit is 249

// The same name twice: Kafka refuses. Katar's way (lessons/origins.adoc), renaming, is there if you ask for it.
topics.createTopic("orders", 5)
// !! TopicExistsException: topic 'orders' already exists: delete it first, choose another name, or create with OnDuplicate.RENAME to get 'orders__0'
topics.createTopic("orders", 5, OnDuplicate.RENAME)
// ==> "orders__0"
topics.createTopic("orders", 5, OnDuplicate.RENAME)
// ==> "orders__1"
topics.deleteTopic("orders__0")
topics.deleteTopic("orders__1")
topics.deleteTopic("fish.and_chips-2")
topics.listTopics()
// ==> [orders, ready]

// Config, patched: only the keys given change.
topics.patchConfig("orders", Map.of("retention.ms", "86400000", "cleanup.policy", "compact"))
topics.describeTopic("orders").overrides()
// ==> {cleanup.policy=compact, retention.ms=86400000}
topics.patchConfig("orders", Map.of("retention.ms", "3600000"))
topics.describeTopic("orders").overrides()
// ==> {cleanup.policy=compact, retention.ms=3600000}

// Config, replaced: what is not given goes back to its default.
topics.replaceConfig("orders", Map.of("retention.ms", "60000"))
topics.describeTopic("orders").config("cleanup.policy")
// ==> "delete"
topics.describeTopic("orders")
// ==> orders: 3 partitions, overrides {retention.ms=60000}

// Unknown keys and bad values are refused, and change nothing.
topics.patchConfig("orders", Map.of("retention.hours", "1"))
// !! InvalidConfigurationException: unknown topic config 'retention.hours': the topic configs are cleanup.policy, compression.type, delete.retention.ms, errors.deadletterqueue.group.enable, flush.messages, flush.ms, index.interval.bytes, max.message.bytes, message.timestamp.after.max.ms, message.timestamp.before.max.ms, message.timestamp.type, min.cleanable.dirty.ratio, min.compaction.lag.ms, retention.bytes, retention.ms, segment.bytes, segment.ms
topics.patchConfig("orders", Map.of("retention.ms", "a week"))
// !! InvalidConfigurationException: invalid value 'a week' for retention.ms: it must be a whole number of milliseconds, or -1 to keep records forever
topics.describeTopic("orders").config("retention.ms")
// ==> "60000"

// Each partition is a log of lesson 1, with offsets of its own.
topics.append("orders", 0, order)
// ==> orders-0@0
topics.append("orders", 2, Record.of("till-2", "{\"order\":272}", clock.instant()))
// ==> orders-2@0
topics.append("orders", 0, Record.of("till-1", "{\"order\":273}", clock.instant()))
// ==> orders-0@1
topics.log("orders", 0).read(1).valueText()
// ==> "{\"order\":273}"
// The log handed out is for reading: a write must go through append, which applies the topic's config.
topics.log("orders", 0).append(order)
// !! IllegalStateException: the log of orders-0 is for reading: append through Topics.append(topic, partition, record), which applies the topic's config
topics.append("orders", 3, order)
// !! UnknownTopicOrPartitionException: topic 'orders' has no partition 3: its partitions are 0..2

// LogAppendTime: the broker's clock stamps the record, not the till's.
topics.patchConfig("orders", Map.of("message.timestamp.type", "LogAppendTime"))
clock.advance(Duration.ofMinutes(5));
topics.append("orders", 1, order).timestamp()
// ==> 2024-05-17T11:35:00Z

// A typo. This broker refuses it; a broker on Kafka's defaults makes a new topic of it.
topics.append("oders", 0, order)
// !! UnknownTopicOrPartitionException: there is no topic 'oders': the topics are orders, ready (auto.create.topics.enable=false: create it first)
var lenient = new TopicRegistry(BrokerSettings.KAFKA_DEFAULTS, clock);
// ==> TopicRegistry[]
lenient.append("oders", 0, order)
// ==> oders-0@0
lenient.describeTopic("oders")
// ==> oders: 1 partition, default config

// Partitioners. Round robin deals keyless records 0, 1, 2, 0, ...
var roundRobin = new RoundRobinPartitioner();
// ==> RoundRobinPartitioner{}
roundRobin.partition("orders", Record.of(null, "cod", clock.instant()), 3)
// ==> 0
roundRobin.partition("orders", Record.of(null, "chips", clock.instant()), 3)
// ==> 1
roundRobin.partition("orders", Record.of(null, "peas", clock.instant()), 3)
// ==> 2
roundRobin.partition("orders", Record.of(null, "pie", clock.instant()), 3)
// ==> 0

// Key hash, as Kafka does it: murmur2 of the key bytes, sign bit cleared, modulo the partition count.
Murmur2.hash("till-1".getBytes())
// ==> 243596455
Murmur2.toPositive(Integer.MIN_VALUE)
// ==> 0
var byKey = new KeyHashPartitioner();
// ==> KeyHashPartitioner[murmur2]
byKey.partition("orders", Record.of("till-1", "cod", clock.instant()), 3)
// ==> 1
byKey.partition("orders", Record.of("till-1", "haddock", clock.instant()), 3)
// ==> 1
byKey.partition("orders", Record.of("till-3", "cod", clock.instant()), 3)
// ==> 0
byKey.partition("orders", Record.of(null, "cod", clock.instant()), 3)
// !! IllegalArgumentException: the key-hash partitioner needs a key, and this record to topic 'orders' has none: give it a key, or use a round-robin partitioner

// A producer: the partition named, or the one its partitioner picks.
var till = new TopicProducer(topics, new DefaultPartitioner());
// ==> TopicProducer[DefaultPartitioner[key: murmur2, no key: round robin]]
till.send("orders", Record.of("till-3", "{\"order\":274}", clock.instant()))
// ==> orders-0@2
till.send("orders", 2, Record.of("till-3", "{\"order\":275}", clock.instant()))
// ==> orders-2@1

// Lesson 14: groups over Kafka's protocol.
// Step through with ./toykafka step 14, or open JShell here with jshell/start 14.
// Each snippet is followed by the value it shows; guess it before you look.
import toykafka.broker.*;
import toykafka.broker.config.*;
import toykafka.broker.group.*;
import toykafka.broker.group.base.*;
import toykafka.broker.group.classic.*;
import toykafka.broker.group.consumer.*;
import toykafka.broker.group.share.*;
import toykafka.broker.group.streams.*;
import toykafka.common.TopicPartition;
import toykafka.kafka.KafkaFrontEnd;
import toykafka.lesson04.OnDuplicate;
import toykafka.common.Directories;
import java.nio.ByteBuffer;
import java.nio.file.*;
import java.time.Duration;
import java.util.*;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

// A broker as in lesson 13, on an emptied directory, with its Kafka front end on a free port. An empty
// group's first rebalance waits group.initial.rebalance.delay.ms for more members: 0 here, so it does not.
var dataDir = Path.of("data", "generated", "14-notebook");
// ==> data/generated/14-notebook
Directories.deleteTree(dataDir);
var broker = Broker.start(BrokerConfig.of(Map.of("http.port", "0", "kafka.port", "0", "stats.interval.ms", "0", "group.initial.rebalance.delay.ms", "0")).with("data.dir", dataDir))
// ==> Broker[__broker_stats, __consumer_offsets]
var front = KafkaFrontEnd.start(broker, false, System.err)
// ==> KafkaFrontEnd[listening on 127.0.0.1]

// The topic orders, with six partitions, and one order in each from a till, a KafkaProducer.
broker.createTopic("orders", 6, Map.of(), OnDuplicate.FAIL)
// ==> "orders"
var sent = new ArrayList<Object>()
// ==> []
try (var till = new KafkaProducer<String, String>(Map.of("bootstrap.servers", front.bootstrapServers(), "client.id", "till-1"), new StringSerializer(), new StringSerializer())) { for (int p = 0; p < 6; p++) { sent.add(till.send(new ProducerRecord<>("orders", p, 1_700_000_000_000L, "order-" + (p + 1), "cod and chips")).get()); } }
sent
// ==> [orders-0@0, orders-1@0, orders-2@0, orders-3@0, orders-4@0, orders-5@0]

// The cooks are KafkaConsumers of the group kitchen, kept by name. A cook subscribes to orders and names no
// partition: the group decides. The range assignor is named outright (Kafka's default also offers the
// cooperative one), the cooks commit by hand, and a heartbeat every 100 ms hears of a rebalance soon.
var cooks = new TreeMap<String, KafkaConsumer<String, String>>()
// ==> {}
void hire(String name) {
    var cook = new KafkaConsumer<String, String>(Map.<String, Object>of("bootstrap.servers", front.bootstrapServers(),
            "group.id", "kitchen", "client.id", name, "enable.auto.commit", "false", "auto.offset.reset", "earliest",
            "partition.assignment.strategy", "org.apache.kafka.clients.consumer.RangeAssignor",
            "heartbeat.interval.ms", "100"), new StringDeserializer(), new StringDeserializer());
    cook.subscribe(List.of("orders"));
    cooks.put(name, cook);
}

// A consumer takes part in a rebalance only inside poll(): that is where it sends JoinGroup and SyncGroup.
// pollAll polls every cook once, putting what each reads on its plate (as partition@offset).
var plates = new TreeMap<String, SortedSet<String>>()
// ==> {}
void pollAll() {
    cooks.forEach((name, cook) -> cook.poll(Duration.ofMillis(50)).forEach(order -> plates
            .computeIfAbsent(name, n -> new TreeSet<>()).add(order.topic() + "-" + order.partition() + "@" + order.offset())));
}

// The coordinator's view of the group (what DescribeGroups answers), and each member's partitions, decoded
// from the opaque assignment bytes the leader sent in SyncGroup.
DescribedGroup kitchen() {
    return broker.groupCoordinator().describeGroup("kitchen");
}
SortedMap<String, List<TopicPartition>> assignments() {
    return kitchen().members().stream().collect(Collectors.toMap(DescribedGroup.Member::clientId,
            member -> ConsumerProtocol.CODEC.partitions(member.assignment()), (a, b) -> a, TreeMap::new));
}

// cookUntil polls until the cooks have read this many orders between them, then each commits (OffsetCommit).
void cookUntil(int orders) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (plates.values().stream().mapToInt(Set::size).sum() < orders && System.nanoTime() < deadline) {
        pollAll();
    }
    cooks.values().forEach(KafkaConsumer::commitSync);
}

// Settled: the group is Stable at the generation awaited, and every cook holds the partitions the coordinator
// handed it (assignment() is the consumer's own view, which it learns from SyncGroup's answer).
List<String> owns(KafkaConsumer<String, String> cook) {
    return cook.assignment().stream().map(Object::toString).sorted().toList();
}
boolean settled(int generation) {
    var group = kitchen();
    var owned = assignments();
    return group.state() == GroupState.STABLE && group.generation() == generation
            && owned.keySet().equals(cooks.keySet()) && cooks.entrySet().stream().allMatch(cook ->
                    owns(cook.getValue()).equals(owned.get(cook.getKey()).stream().map(Object::toString).toList()));
}
void pollUntilSettled(int generation) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!settled(generation)) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("no Stable generation " + generation + ": " + kitchen().state() + " "
                    + assignments());
        }
        pollAll();
    }
}

// cook-1 arrives. Its polls send FindCoordinator, then JoinGroup, which the coordinator answers with a member
// id and MEMBER_ID_REQUIRED; JoinGroup again with that id; the answer: generation 1, and you lead.
hire("cook-1");
pollUntilSettled(1);
kitchen().state()
// ==> Stable
kitchen().generation()
// ==> 1

// A member id is the client id and a random UUID. Hidden here, as it differs every run:
String masked(String memberId) {
    return memberId.replaceAll("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$", "<uuid>");
}
masked(kitchen().leader())
// ==> "cook-1-<uuid>"

// JoinGroup carried cook-1's protocols, each with metadata: its subscription, as bytes the coordinator keeps
// and never reads. kafka-clients writes version 3 of the consumer protocol: the version (0, 3), one topic
// (0, 0, 0, 1), "orders" (its length 6, then its letters), no user data (length -1), then what versions 1 to 3
// added: the partitions it owns (none), its generation (-1: none yet) and its rack (null: length -1).
var subscription = kitchen().members().get(0).metadata()
// ==> byte[28] { 0, 3, 0, 0, 0, 1, 0, 6, 111, 114, 100, 101, 114, 115, -1, -1, -1, -1, 0, 0, 0, 0, -1, -1, -1, -1, -1, -1 }
ByteBuffer.wrap(subscription).getShort()
// ==> 3
ConsumerProtocol.CODEC.topics(subscription)
// ==> [orders]

// The leader got every member's subscription in JoinGroup's answer, ran the range assignor, and sent the result
// in its SyncGroup. The coordinator handed each member its own bytes:
assignments()
// ==> {cook-1=[orders-0, orders-1, orders-2, orders-3, orders-4, orders-5]}

// Predict: cook-1 started with no committed offset and auto.offset.reset=earliest. What does it read?
cookUntil(6);
plates
// ==> {cook-1=[orders-0@0, orders-1@0, orders-2@0, orders-3@0, orders-4@0, orders-5@0]}
broker.groupCoordinator().fetchOffsets("kitchen", null).offsets()
// ==> {orders-0=1, orders-1=1, orders-2=1, orders-3=1, orders-4=1, orders-5=1}

// cook-2 arrives. Its JoinGroup moves the Stable group to PreparingRebalance; cook-1 learns it from its next
// Heartbeat's answer (REBALANCE_IN_PROGRESS), gives back every partition (an eager rebalance) and joins again
// from its next poll. Once both have joined: generation 2, and the leader assigns anew.
hire("cook-2");
pollUntilSettled(2);
kitchen().generation()
// ==> 2
masked(kitchen().leader())
// ==> "cook-1-<uuid>"

// Predict: the range assignor takes the members in the order of their member ids. Who gets orders-3?
assignments()
// ==> {cook-1=[orders-0, orders-1, orders-2], cook-2=[orders-3, orders-4, orders-5]}
owns(cooks.get("cook-2"))
// ==> [orders-3, orders-4, orders-5]

// Every heartbeat and commit carries the member id and the generation. One from generation 1, as a cook that
// slept through the rebalance would send, is refused; the same with generation 2 is taken.
broker.groupCoordinator().heartbeat(new HeartbeatRequest("kitchen", 1, kitchen().leader()))
// ==> ILLEGAL_GENERATION
broker.groupCoordinator().heartbeat(new HeartbeatRequest("kitchen", 2, kitchen().leader()))
// ==> NONE

// Six more orders; the cooks read them and commit.
try (var till = new KafkaProducer<String, String>(Map.of("bootstrap.servers", front.bootstrapServers(), "client.id", "till-1"), new StringSerializer(), new StringSerializer())) { for (int p = 0; p < 6; p++) { till.send(new ProducerRecord<>("orders", p, 1_700_000_000_001L, "order-" + (p + 7), "haddock and chips")).get(); } }
cookUntil(12);
plates
// ==> {cook-1=[orders-0@0, orders-0@1, orders-1@0, orders-1@1, orders-2@0, orders-2@1, orders-3@0, orders-4@0, orders-5@0], cook-2=[orders-3@1, orders-4@1, orders-5@1]}

// cook-2 goes home: close() sends LeaveGroup, and the coordinator rebalances at once, without waiting for its
// session to run out.
cooks.remove("cook-2").close();
pollUntilSettled(3);
kitchen().generation()
// ==> 3
assignments()
// ==> {cook-1=[orders-0, orders-1, orders-2, orders-3, orders-4, orders-5]}

// Predict: cook-1 owns orders-3 again, which it last read at offset 0. Where does it read it from now?
cooks.get("cook-1").position(new org.apache.kafka.common.TopicPartition("orders", 3))
// ==> 2
broker.groupCoordinator().fetchOffsets("kitchen", null).offsets()
// ==> {orders-0=2, orders-1=2, orders-2=2, orders-3=2, orders-4=2, orders-5=2}

// Each committed offset is where its partition ends: every order was read, and each by one cook.
IntStream.range(0, 6).mapToObj(p -> broker.partitions().listOffsets(new TopicPartition("orders", p), Partitions.LATEST).offset()).toList()
// ==> [2, 2, 2, 2, 2, 2]

// Static membership (KIP-345): cook-3 names itself with group.instance.id=grill. Its member id is made from that
// name, and it joins without the MEMBER_ID_REQUIRED detour: the name already says who it is. A long session
// lets it restart without losing its place.
void hireStatic(String name, String instance) {
    var cook = new KafkaConsumer<String, String>(Map.<String, Object>of("bootstrap.servers", front.bootstrapServers(),
            "group.id", "kitchen", "client.id", name, "group.instance.id", instance, "session.timeout.ms", "60000",
            "enable.auto.commit", "false", "auto.offset.reset", "earliest",
            "partition.assignment.strategy", "org.apache.kafka.clients.consumer.RangeAssignor",
            "heartbeat.interval.ms", "100"), new StringDeserializer(), new StringDeserializer());
    cook.subscribe(List.of("orders"));
    cooks.put(name, cook);
}
hireStatic("cook-3", "grill");
pollUntilSettled(4);

// Predict: the range assignor puts the members that have an instance id first, in the order of their names, and
// the others after them. Who gets orders-0 now?
assignments()
// ==> {cook-1=[orders-3, orders-4, orders-5], cook-3=[orders-0, orders-1, orders-2]}
String grill() {
    return kitchen().members().stream().filter(m -> "grill".equals(m.groupInstanceId())).findFirst().orElseThrow().memberId();
}
String grillBefore = "";
// ==> ""
{ grillBefore = grill(); }
masked(grillBefore)
// ==> "grill-<uuid>"

// cook-3's process restarts. A static member's close() sends no LeaveGroup: its place waits for it.
cooks.remove("cook-3").close();
kitchen().members().size()
// ==> 2

// Predict: the new process joins with no member id but the same group.instance.id. Which generation?
hireStatic("cook-3", "grill");
pollUntilSettled(4);
kitchen().generation()
// ==> 4
assignments()
// ==> {cook-1=[orders-3, orders-4, orders-5], cook-3=[orders-0, orders-1, orders-2]}
grill().equals(grillBefore)
// ==> false

// The old id is fenced: anything still speaking for the old process is told FENCED_INSTANCE_ID.
broker.groupCoordinator().heartbeat(new HeartbeatRequest("kitchen", 4, grillBefore, "grill"))
// ==> FENCED_INSTANCE_ID

// When you are done: close the cooks, the front end and the broker, which frees their ports and the data
// directory. (jshell/start --run stops before these lines, so the broker and the cooks are still there to
// experiment with; a cook takes part in a rebalance only while you call pollAll().)
cooks.values().forEach(KafkaConsumer::close);
front.close();
broker.close();

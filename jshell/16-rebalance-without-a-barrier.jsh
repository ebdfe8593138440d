// Lesson 16: the rebalance without a barrier.
// Step through with ./toykafka step 16, or open JShell here with jshell/start 16.
// Each snippet is followed by the value it shows; guess it before you look.
import toykafka.broker.*;
import toykafka.broker.config.*;
import toykafka.broker.group.*;
import toykafka.broker.group.base.*;
import toykafka.broker.group.classic.*;
import toykafka.broker.group.consumer.*;
import toykafka.broker.group.share.*;
import toykafka.broker.group.streams.*;
import toykafka.common.Errors;
import toykafka.common.TopicId;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.common.Directories;
import toykafka.lesson16.*;
import java.nio.file.*;
import java.util.*;
import java.util.stream.Collectors;

// A broker in this process. Its consumer groups' sessions last an hour here (Kafka's default is 45 s), so a
// member does not time out while you read between two steps.
var dataDir = Path.of("data", "generated", "16-notebook");
// ==> data/generated/16-notebook
Directories.deleteTree(dataDir);
var broker = Broker.start(BrokerConfig.of(Map.of("http.port", "0", "stats.interval.ms", "0", "group.consumer.session.timeout.ms", "3600000")).with("data.dir", dataDir))
// ==> Broker[__broker_stats, __consumer_offsets]
broker.createTopic("orders", 6, Map.of(), OnDuplicate.FAIL)
// ==> "orders"

// A heartbeat names partitions by topic id, which the topic was given when it was made: random, so hidden.
TopicId orders = null;
// ==> null
{ orders = broker.describeTopic("orders").id(); }

// The coordinator, called as the Kafka front end calls it for each ConsumerGroupHeartbeat. said() shows an
// answer short: the member's epoch, and the partitions it owns from now on, when the answer carries them.
var coordinator = broker.groupCoordinator()
// ==> GroupCoordinator[]
String said(ConsumerGroupHeartbeat.Response answer) {
    if (answer.error() != Errors.NONE) {
        return answer.error() + ": " + answer.errorMessage();
    }
    return "epoch " + answer.memberEpoch() + (answer.assignment() == null ? ", as before"
            : ", owns " + answer.assignment().values().stream().flatMap(Set::stream).sorted().toList());
}
// A join is epoch 0, with the topics it subscribes to and how long it may take to give partitions up.
String join(String member) {
    return said(coordinator.consumerGroupHeartbeat(new ConsumerGroupHeartbeat.Request("kitchen", member, 0, null,
            null, 60_000, List.of("orders"), null, Map.of(), member, "/127.0.0.1")));
}
// Any other heartbeat carries the member's epoch and the partitions it owns now; nothing else changed.
String beat(String member, int epoch, Integer... owned) {
    return said(coordinator.consumerGroupHeartbeat(new ConsumerGroupHeartbeat.Request("kitchen", member, epoch,
            null, null, -1, null, null, Map.of(orders, Set.of(owned)), member, "/127.0.0.1")));
}
// The group as ConsumerGroupDescribe shows it: each member's epoch, what it owns, and its target.
String group() {
    var described = coordinator.describeConsumerGroup("kitchen");
    return described.state() + " at group epoch " + described.groupEpoch() + ": " + described.members().stream()
            .map(m -> m.memberId() + " epoch " + m.memberEpoch() + " owns " + m.assignment().getOrDefault(orders,
                    new TreeSet<>()) + " target " + m.target().getOrDefault(orders, new TreeSet<>()))
            .collect(Collectors.joining("; "));
}

// anna joins. There is no leader and no barrier: the broker's assignor answers her first heartbeat.
join("anna")
// ==> "epoch 2, owns [0, 1, 2, 3, 4, 5]"

// Predict: ben joins. What does his first heartbeat give him?
join("ben")
// ==> "epoch 3, owns []"
group()
// ==> "Reconciling at group epoch 3: anna epoch 2 owns [0, 1, 2, 3, 4, 5] target [0, 1, 2]; ben epoch 3 owns [] target [3, 4, 5]"

// ben's half is still anna's. Her next heartbeat tells her to give it up: she owns three now, and her epoch
// waits at 2 until she says she let the others go.
beat("anna", 2, 0, 1, 2, 3, 4, 5)
// ==> "epoch 2, owns [0, 1, 2]"
beat("ben", 3)
// ==> "epoch 3, as before"

// Her consumer ran onPartitionsRevoked (and committed), then heartbeats what it owns: her epoch moves on.
beat("anna", 2, 0, 1, 2)
// ==> "epoch 3, as before"
beat("ben", 3)
// ==> "epoch 3, owns [3, 4, 5]"
group()
// ==> "Stable at group epoch 3: anna epoch 3 owns [0, 1, 2] target [0, 1, 2]; ben epoch 3 owns [3, 4, 5] target [3, 4, 5]"

// The epoch fences, partition by partition (Kafka 4.3 on): at her old epoch 2 anna may still commit orders-0,
// which she has held since then, but not orders-3, which she gave ben at epoch 3.
coordinator.commitOffsets(new OffsetCommitRequest("kitchen", 2, "anna", new TreeMap<>(Map.of(new TopicPartition("orders", 0), 1L))))
// ==> NONE
coordinator.commitOffsets(new OffsetCommitRequest("kitchen", 2, "anna", new TreeMap<>(Map.of(new TopicPartition("orders", 3), 1L))))
// ==> STALE_MEMBER_EPOCH
coordinator.commitOffsets(new OffsetCommitRequest("kitchen", 3, "anna", new TreeMap<>(Map.of(new TopicPartition("orders", 0), 1L))))
// ==> NONE
beat("anna", 7, 0, 1, 2)
// ==> "FENCED_MEMBER_EPOCH: The consumer group member has a greater member epoch (7) than the one known by the group coordinator (3). The member must abandon all its partitions and rejoin."

// The rule the coordinator took at each of anna's heartbeats, which the lesson's CurrentAssignment runs on one topic.
Reconciler rules = null;
// ==> null
{ rules = new CurrentAssignment(); }
var annaBefore = new Reconciler.Member(2, Set.of(0, 1, 2, 3, 4, 5), Set.of())
// ==> Member[epoch=2, owned=[0, 1, 2, 3, 4, 5], revoking=[]]
var giving = rules.next(annaBefore, Set.of(0, 1, 2, 3, 4, 5), Set.of(0, 1, 2), 3, Set.of())
// ==> Member[epoch=2, owned=[0, 1, 2], revoking=[3, 4, 5]]
rules.next(giving, Set.of(0, 1, 2), Set.of(0, 1, 2), 3, Set.of())
// ==> Member[epoch=3, owned=[0, 1, 2], revoking=[]]

// ben leaves (epoch -1): his partitions go back to anna at a new group epoch.
beat("ben", -1)
// ==> "epoch -1, as before"
beat("anna", 3, 0, 1, 2)
// ==> "epoch 4, owns [0, 1, 2, 3, 4, 5]"

broker.close();

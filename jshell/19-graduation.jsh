// Lesson 19: graduation.
// Step through with ./toykafka step 19, or open JShell here with jshell/start 19.
// Each snippet is followed by the value it shows; guess it before you look.
import toykafka.lesson19.*;
import toykafka.lesson19.ReplicatedPartition.Acks;
import java.util.*;

// One partition on three brokers, 1, 2 and 3, each replica a list in this JVM. Broker 1 leads; 2 and 3 follow
// by fetching. min.insync.replicas is 2, replica.lag.time.max.ms 30 s, unclean election off. Nothing moves by
// itself: each fetch and tick is a call, with the time (in ms) it happens at.
var orders = new ReplicatedPartition(List.of(1, 2, 3), 2, 30_000, false, new PartitionBookkeeping())
// ==> leader 1 (epoch 0), ISR [1, 2, 3], high watermark 0, log end offsets {1=0, 2=0, 3=0}

// A till writes with acks=all. The leader appends and gives the offset; the answer waits for the others.
orders.append("cod and chips", Acks.ALL)
// ==> 0
orders.acknowledged(0)
// ==> false

// Predict: the record is on the leader. Can a consumer read it?
orders.readable()
// ==> []

// Broker 2 fetches. The leader learns from the fetch how far 2 has copied.
orders.fetch(2, 100);
orders
// ==> leader 1 (epoch 0), ISR [1, 2, 3], high watermark 0, log end offsets {1=1, 2=1, 3=0}

// Broker 3 fetches. Now every in-sync replica has offset 0: the high watermark passes it.
orders.fetch(3, 200);
orders.highWatermark()
// ==> 1
orders.acknowledged(0)
// ==> true
orders.readable()
// ==> [cod and chips]

// The high watermark by hand, the toy's rule: the smallest log end offset in the ISR. Out of sync, a replica does
// not count. (Kafka 4.1 also holds it still below min.insync.replicas; the lesson says when.)
var rules = new PartitionBookkeeping()
// ==> the leader's bookkeeping: the high watermark and the ISR
rules.highWatermark(Map.of(1, 10L, 2, 7L, 3, 9L), Set.of(1, 2, 3))
// ==> 7
rules.highWatermark(Map.of(1, 10L, 2, 7L, 3, 9L), Set.of(1, 3))
// ==> 9

// Broker 3 stalls and stops fetching. Three more orders; broker 2 keeps up at 1 s.
for (String dish : List.of("haddock", "plaice", "scampi")) { orders.append(dish, Acks.ALL); }
orders.fetch(2, 1_000);
orders
// ==> leader 1 (epoch 0), ISR [1, 2, 3], high watermark 1, log end offsets {1=4, 2=4, 3=1}

// Predict: broker 3 last caught up at 200 ms. Is it in sync at 30,200 ms? At 30,201 ms?
rules.inSync(1, Map.of(2, 1_000L, 3, 200L), 30_200, 30_000)
// ==> [1, 2, 3]
rules.inSync(1, Map.of(2, 1_000L, 3, 200L), 30_201, 30_000)
// ==> [1, 2]

// The leader's clock ticks past that: 3 leaves the ISR and stops holding the high watermark back.
orders.tick(30_201);
orders
// ==> leader 1 (epoch 0), ISR [1, 2], high watermark 4, log end offsets {1=4, 2=4, 3=1}

// acks=1: the leader answers at once. Then it dies before broker 2 fetches.
orders.append("pie and curry sauce", Acks.ONE)
// ==> 4
orders.crash(1, 31_000)
// ==> Election[leader=2, epoch=1, unclean=false]
orders.readable()
// ==> [cod and chips, haddock, plaice, scampi]

// Predict: broker 2 is the whole ISR now. What does an acks=all write get?
orders.append("fishcake", Acks.ALL)
// !! NotEnoughReplicasException: acks=all needs 2 replicas in sync (min.insync.replicas); only [2] are

// Broker 3 wakes and catches up, so acks=all works again. The next order takes offset 4, the lost one's offset.
orders.fetch(3, 31_500);
orders.append("fishcake", Acks.ALL)
// ==> 4

// Broker 1 restarts with the log it had, and follows broker 2. Its offset 4 is the lost order, in epoch 0.
orders.restart(1, 32_000)
// ==> Election[leader=2, epoch=1, unclean=false]
orders.log(1).get(4)
// ==> 4 pie and curry sauce (epoch 0)

// Its first fetch asks where epoch 0 ended on the leader (at 4), cuts its log there, and copies from there.
orders.fetch(1, 33_000);
orders.log(1).get(4)
// ==> 4 fishcake (epoch 1)
orders
// ==> leader 2 (epoch 1), ISR [1, 2, 3], high watermark 4, log end offsets {1=5, 2=5, 3=4}

// Broker 1 is back in sync. Broker 3, in sync since 31.5 s, has not fetched fishcake yet: it holds the high
// watermark at 4 until it does.
orders.fetch(3, 33_500);
orders
// ==> leader 2 (epoch 1), ISR [1, 2, 3], high watermark 5, log end offsets {1=5, 2=5, 3=5}

// The same on Apache Kafka, three nodes on this machine: ./toykafka kafka start --nodes 3, then
// ./toykafka kafka status, kill 2, restart 2, stop. ./toykafka lesson 19 runs the shop's drill on its own cluster.

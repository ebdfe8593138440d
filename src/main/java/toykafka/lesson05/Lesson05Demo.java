package toykafka.lesson05;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import toykafka.clock.ManualClock;
import toykafka.narration.Narrator;
import toykafka.common.OffsetReset;
import toykafka.lesson04.BrokerSettings;
import toykafka.lesson04.KeyHashPartitioner;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.lesson04.TopicProducer;
import toykafka.lesson04.TopicRegistry;
import toykafka.common.CommitFailedException;
import toykafka.common.UnknownMemberIdException;

/** Lesson 5, narrated: preparers share a topic as a group; they come, go and crash; offsets are committed. */
public final class Lesson05Demo {

    public static void main(String[] args) {
        narrate(Narrator.toStandardOut());
    }

    public static void narrate(Narrator story) {
        story.title("Lesson 5: consumer groups");
        ManualClock clock = new ManualClock(Instant.parse("2024-05-17T12:00:00Z"));
        TopicRegistry topics = new TopicRegistry(BrokerSettings.STRICT, clock);
        topics.createTopic("orders", 3);
        story.say("Three tills send 9 orders, keyed by till, to \"orders\" (3 partitions).");
        TopicProducer tills = new TopicProducer(topics, new KeyHashPartitioner());
        for (int order = 271; order <= 279; order++) {
            tills.send("orders", Record.of("till-" + (order % 3 + 1), String.valueOf(order), clock.instant()));
        }
        GroupSettings settings = new GroupSettings(Duration.ofSeconds(10), OffsetReset.EARLIEST);
        ConsumerGroup preparers = new GroupCoordinator("preparers", topics, new RangeAssignor(), settings, clock);
        story.say("The preparers form a group (" + settings + "). Each join shares the partitions out again:"
                + " a rebalance, counted by the generation.");
        Map<String, GroupConsumer> members = new java.util.LinkedHashMap<>();
        for (String preparer : List.of("anna", "ben", "carl")) {
            members.put(preparer, GroupConsumer.join(preparers, topics, preparer, Set.of("orders"), 1));
            story.show(preparer + " joins; generation " + preparers.generation(), preparers.assignment());
        }
        GroupConsumer anna = members.get("anna");
        GroupConsumer ben = members.get("ben");

        story.say("In this toy every poll is also a heartbeat (Kafka's consumer heartbeats from a background thread,"
                + " and max.poll.interval.ms limits the time between polls). anna and ben poll every 4 s, prepare"
                + " one order and commit. carl never polls.");
        story.predict("when is carl removed, who reads orders-2 next, and from which offset?");
        for (int second = 4; second <= 12; second += 4) {
            clock.advance(Duration.ofSeconds(4));
            for (GroupConsumer preparer : List.of(anna, ben)) {
                story.show("t=" + second + "s " + preparer.memberId() + ".poll()", preparer.poll());
                preparer.commitSync();
            }
        }
        story.show("generation " + preparers.generation(), preparers.assignment());
        try {
            members.get("carl").poll();
        } catch (UnknownMemberIdException e) {
            story.showRefusal("carl.poll() at last", e);
        }
        story.say("orders-2 had no commit (carl prepared nothing), so ben started it at auto.offset.reset=earliest.");
        showLag(story, preparers, topics.partitionsFor("orders"));

        story.say("An auditor reads the same topic in a group of its own. Its offsets and lag are its own.");
        ConsumerGroup auditors = new GroupCoordinator("auditors", topics, new RangeAssignor(), settings, clock);
        GroupConsumer audrey = GroupConsumer.join(auditors, topics, "audrey", Set.of("orders"), 9);
        story.show("audrey.poll()", audrey.poll());
        audrey.commitSync();
        story.show("auditors lag", auditors.lag());
        story.show("preparers lag", preparers.lag());

        story.say("cleo joins the preparers. After the rebalance, no one may commit a partition they have lost.");
        GroupConsumer cleo = GroupConsumer.join(preparers, topics, "cleo", Set.of("orders"), 1);
        story.show("cleo joins; generation " + preparers.generation(), preparers.assignment());
        try {
            preparers.commit("anna", new TopicPartition("orders", 1), 3);
        } catch (CommitFailedException e) {
            story.showRefusal("anna commits orders-1 at 3", e);
        }
        try {
            anna.commitSync();
        } catch (CommitFailedException e) {
            story.showRefusal("anna.commitSync()", e);
        }
        story.show("anna.poll()", anna.poll());
        story.show("anna.assignment()", anna.assignment());
        story.show("cleo.poll()", cleo.poll());

        story.say("Commit first or process first? A fire drill: anna crashes between the two steps.");
        for (Delivery delivery : Delivery.values()) {
            story.predict(delivery.steps() + ": will an order be lost, or prepared twice?");
            DeliveryDrill.Result result = DeliveryDrill.run(delivery);
            result.story().forEach(line -> story.out().println("    " + line));
            story.show("result", result);
        }

        story.say("Which assignor moves least when carl joins anna and ben on 6 partitions?");
        Map<String, Integer> six = Map.of("orders", 6);
        Map<String, Set<String>> two = Map.of("anna", Set.of("orders"), "ben", Set.of("orders"));
        Map<String, Set<String>> three = new HashMap<>(two);
        three.put("carl", Set.of("orders"));
        for (PartitionAssignor assignor : List.of(new RangeAssignor(), new RoundRobinAssignor(), new StickyAssignor())) {
            SortedMap<String, List<TopicPartition>> before = assignor.assign(six, two);
            SortedMap<String, List<TopicPartition>> after = assignor.assign(six, three, before);
            story.show(assignor.name() + ": " + before + " -> " + after + "; partitions moved", moved(before, after));
        }
    }

    private static void showLag(Narrator story, ConsumerGroup group, int partitions) {
        for (int p = 0; p < partitions; p++) {
            TopicPartition partition = new TopicPartition("orders", p);
            story.show(group.groupId() + " " + partition + ": committed " + group.committed(partition).orElse(-1)
                    + ", lag", group.lag(partition));
        }
        story.show(group.groupId() + " lag", group.lag());
    }

    private static int moved(Map<String, List<TopicPartition>> before, Map<String, List<TopicPartition>> after) {
        int moved = 0;
        for (Map.Entry<String, List<TopicPartition>> owner : after.entrySet()) {
            for (TopicPartition partition : owner.getValue()) {
                if (!before.getOrDefault(owner.getKey(), List.of()).contains(partition)) {
                    moved++;
                }
            }
        }
        return moved;
    }

    private Lesson05Demo() {
    }
}

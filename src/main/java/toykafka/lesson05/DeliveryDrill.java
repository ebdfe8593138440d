package toykafka.lesson05;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import toykafka.clock.ManualClock;
import toykafka.common.OffsetReset;
import toykafka.lesson04.BrokerSettings;
import toykafka.common.Record;
import toykafka.lesson04.RoundRobinPartitioner;
import toykafka.lesson04.TopicProducer;
import toykafka.lesson04.TopicRegistry;

/**
 * A fire drill for delivery semantics. Two preparers share 8 orders on 2 partitions; anna crashes on her
 * second batch, between its two steps. Her silence outlasts the session timeout, the group rebalances,
 * and ben carries on from the committed offsets. Then we count what was lost and what was made twice.
 */
public final class DeliveryDrill {

    /** What the drill found. */
    public record Result(Delivery delivery, int sent, List<String> prepared, List<String> lost,
                         List<String> preparedTwice, List<String> story) {

        @Override
        public String toString() {
            return delivery + ": " + sent + " orders sent, " + prepared.size() + " prepared, lost " + lost
                    + ", prepared twice " + preparedTwice;
        }
    }

    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration BETWEEN_POLLS = Duration.ofSeconds(3);

    private DeliveryDrill() {
    }

    public static Result run(Delivery delivery) {
        ManualClock clock = new ManualClock(Instant.parse("2024-05-17T12:00:00Z"));
        TopicRegistry topics = new TopicRegistry(BrokerSettings.STRICT, clock);
        topics.createTopic("orders", 2);
        TopicProducer till = new TopicProducer(topics, new RoundRobinPartitioner());
        List<String> sent = new ArrayList<>();
        for (int order = 271; order <= 278; order++) {
            till.send("orders", Record.of(null, String.valueOf(order), clock.instant()));
            sent.add(String.valueOf(order));
        }
        ConsumerGroup group = new GroupCoordinator("preparers", topics, new RangeAssignor(),
                new GroupSettings(SESSION_TIMEOUT, OffsetReset.EARLIEST), clock);
        GroupConsumer anna = GroupConsumer.join(group, topics, "anna", Set.of("orders"), 2);
        GroupConsumer ben = GroupConsumer.join(group, topics, "ben", Set.of("orders"), 2);

        List<String> prepared = new ArrayList<>();
        List<String> story = new ArrayList<>();
        boolean annaAlive = true;
        int annasBatches = 0;
        int knownGeneration = group.generation();
        Instant annaLastPolled = clock.instant();
        for (int round = 1; round <= 12 && (group.lag() > 0 || group.members().contains("anna")); round++) {
            clock.advance(BETWEEN_POLLS);
            if (group.generation() != knownGeneration) { // asking is enough for the group to notice a silence
                knownGeneration = group.generation();
                story.add("t=" + seconds(clock) + "s  anna has been silent for "
                        + Duration.between(annaLastPolled, clock.instant()).toSeconds() + "s, longer than"
                        + " session.timeout.ms=" + SESSION_TIMEOUT.toMillis() + ": the group removes her and"
                        + " rebalances (generation " + knownGeneration + "): " + group.assignment());
            }
            List<GroupConsumer> preparers = annaAlive ? List.of(anna, ben) : List.of(ben);
            for (GroupConsumer preparer : preparers) {
                List<ConsumerRecord> batch = preparer.poll();
                if (preparer == anna) {
                    annaLastPolled = clock.instant();
                }
                if (batch.isEmpty()) {
                    continue;
                }
                boolean crash = preparer == anna && ++annasBatches == 2;
                String who = "t=" + seconds(clock) + "s  " + preparer.memberId() + " polls " + batch + "; ";
                // tag::steps[]
                if (delivery == Delivery.AT_MOST_ONCE) {
                    preparer.commitSync();
                    if (crash) {
                        story.add(who + "commits, then CRASHES before preparing them");
                        annaAlive = false;
                        continue;
                    }
                    prepare(batch, prepared);
                } else {
                    prepare(batch, prepared);
                    if (crash) {
                        story.add(who + "prepares them, then CRASHES before committing");
                        annaAlive = false;
                        continue;
                    }
                    preparer.commitSync();
                }
                // end::steps[]
                story.add(who + (delivery == Delivery.AT_MOST_ONCE ? "commits, prepares" : "prepares, commits"));
            }
        }
        List<String> lost = sent.stream().filter(order -> !prepared.contains(order)).toList();
        Set<String> seen = new LinkedHashSet<>();
        List<String> twice = prepared.stream().filter(order -> !seen.add(order)).toList();
        return new Result(delivery, sent.size(), List.copyOf(prepared), lost, twice, List.copyOf(story));
    }

    private static void prepare(List<ConsumerRecord> batch, List<String> prepared) {
        batch.forEach(order -> prepared.add(order.record().valueText()));
    }

    private static long seconds(ManualClock clock) {
        return clock.instant().getEpochSecond() - Instant.parse("2024-05-17T12:00:00Z").getEpochSecond();
    }
}

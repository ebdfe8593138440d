package toykafka.lesson14;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import toykafka.common.TopicPartition;

/**
 * The cooks, each a KafkaConsumer of the group, all polled in turn from the demo's one thread, and the group as
 * Kafka's Admin describes it: nothing here needs to be inside the broker, so the kitchen runs on any cluster.
 */
final class Kitchen implements AutoCloseable {

    /** The group as Admin describes it: its state, and each member's partitions and member id, by client id. */
    record Described(String state, SortedMap<String, List<TopicPartition>> owned, SortedMap<String, String> memberIds) {
    }

    /** Short, so that every cook in turn is heard from often while one thread polls them all. */
    private static final Duration POLL = Duration.ofMillis(50);

    private final String bootstrap;
    private final Admin admin;
    private final String group;
    private final String topic;
    /** How long a rebalance or a round of orders may take before the kitchen gives up and says what it saw. */
    private final Duration patience;
    private final Map<String, Cook> cooks = new TreeMap<>();
    /** Each cook's member id in the last settled generation, kept after it goes home. */
    final Map<String, String> memberIds = new TreeMap<>();
    /** Every order any cook has read, as partition@offset, and how many reads there were in all. */
    final TreeSet<String> cooked = new TreeSet<>();
    int cookings;
    int sent;

    Kitchen(String bootstrap, Admin admin, String group, String topic, Duration patience) {
        this.bootstrap = bootstrap;
        this.admin = admin;
        this.group = group;
        this.topic = topic;
        this.patience = patience;
    }

    void hire(String name) {
        cooks.put(name, new Cook(name, bootstrap, group, topic));
    }

    void sendHome(String name) {
        cooks.remove(name).close();
    }

    List<Cook> working() {
        return List.copyOf(cooks.values());
    }

    /** The generation the cooks last joined, as their consumers know it: after {@link #settle} they all agree. */
    int generation() {
        return cooks.values().iterator().next().generation();
    }

    /**
     * Polls every cook until each has joined this generation and holds what Admin says it was assigned, in a
     * Stable group of exactly these cooks; returns that description.
     */
    Described settle(int generation) throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + patience.toNanos();
        Described seen = null;
        while (true) {
            pollAll();
            if (cooks.values().stream().allMatch(cook -> cook.generation() == generation)) {
                seen = describe();
                if (settled(seen)) {
                    memberIds.putAll(seen.memberIds());
                    return seen;
                }
            }
            if (System.nanoTime() > deadline) {
                Map<String, Integer> generations = new TreeMap<>();
                cooks.values().forEach(cook -> generations.put(cook.name, cook.generation()));
                throw new IllegalStateException("the kitchen did not settle at generation " + generation + " within "
                        + patience.toSeconds() + " s: the cooks have joined generations " + generations
                        + (seen == null ? "" : ", and Admin last described the group as " + seen));
            }
        }
    }

    private boolean settled(Described seen) {
        return seen.state().equals("Stable") && seen.owned().size() == cooks.size() && cooks.values().stream()
                .allMatch(cook -> cook.assignment().equals(seen.owned().get(cook.name)));
    }

    /** The group through Admin's DescribeGroups: the assignment of each member, decoded from the leader's bytes. */
    private Described describe() throws InterruptedException, ExecutionException, TimeoutException {
        ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).describedGroups()
                .get(group).get(patience.toMillis(), TimeUnit.MILLISECONDS);
        SortedMap<String, List<TopicPartition>> owned = new TreeMap<>();
        SortedMap<String, String> memberIds = new TreeMap<>();
        for (MemberDescription member : description.members()) {
            owned.put(member.clientId(), Cook.sorted(member.assignment().topicPartitions()));
            memberIds.put(member.clientId(), member.consumerId());
        }
        return new Described(description.state().toString(), owned, memberIds);
    }

    /** Polls every cook until {@code orders} new orders have been read between them, then each commits. */
    void cookUntil(int orders) {
        long deadline = System.nanoTime() + patience.toNanos();
        int before = cookings;
        while (cookings - before < orders) {
            pollAll();
            if (System.nanoTime() > deadline) {
                Map<String, String> seen = new TreeMap<>();
                cooks.values().forEach(cook -> seen.put(cook.name, "generation " + cook.generation() + ", owns "
                        + cook.assignment() + ", read " + cook.plate.keySet()));
                throw new IllegalStateException("the kitchen cooked " + (cookings - before) + " of " + orders
                        + " orders within " + patience.toSeconds() + " s: " + seen);
            }
        }
        cooks.values().forEach(cook -> cook.consumer.commitSync(patience));
    }

    private void pollAll() {
        for (Cook cook : cooks.values()) {
            for (ConsumerRecord<String, String> record : cook.consumer.poll(POLL)) {
                // in partition order, whichever fetch brought the record
                cook.plate.put(record.partition() + "@" + record.offset(), "#" + record.key().substring(
                        "order-".length()) + " " + record.value() + " (" + record.topic() + "-" + record.partition()
                        + "@" + record.offset() + ")");
                cooked.add(record.partition() + "@" + record.offset());
                cookings++;
            }
        }
    }

    @Override
    public void close() {
        List<Cook> left = new ArrayList<>(cooks.values());
        cooks.clear();
        RuntimeException failed = null;
        for (Cook cook : left) {
            try {
                cook.close();
            } catch (RuntimeException e) {
                failed = failed == null ? e : failed;
            }
        }
        if (failed != null) {
            throw failed;
        }
    }
}

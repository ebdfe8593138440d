package toykafka.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * Kafka 4's consumer group protocol (KIP-848) as kafka-clients meets it: a member alone, a second one joining, the
 * first leaving, a static member closing and coming back, and a second live instance of it. What is written is what
 * both brokers must agree on: who owns how many partitions, the member epochs each consumer sees, the group's state,
 * type and assignor as Admin describes it, commits, and the exception a client gets.
 */
final class ConsumerProtocolProbe {

    private static final String TOPIC = "stalls";
    private static final int PARTITIONS = 4;
    private static final String GROUP = "stall-keepers";
    /**
     * The longest the second live instance polls: its refusal comes with its first heartbeat's answer, which ends the
     * step; a busy machine may take more than 20 s to send that first heartbeat, so it has the bound of every wait here.
     */
    private static final Duration TWIN_POLLS = ProbeSession.WAIT;
    /**
     * The longest a close may take: it returns once its leave is answered, and one cut short leaves the member in the
     * group, which the next description would show.
     */
    private static final Duration CLOSE = ProbeSession.WAIT;

    private final ProbeSession session;
    private final List<KafkaConsumer<String, String>> open = new ArrayList<>();

    private ConsumerProtocolProbe(ProbeSession session) {
        this.session = session;
    }

    static void run(ProbeSession session) {
        session.createTopic(TOPIC, PARTITIONS, Map.of());
        ConsumerProtocolProbe probe = new ConsumerProtocolProbe(session);
        try {
            probe.joinsAndALeave();
            probe.staticMembers();
        } finally {
            probe.open.forEach(consumer -> consumer.close(CLOSE));
        }
    }

    private KafkaConsumer<String, String> member(String clientId, String instanceId) {
        Map<String, Object> settings = session.consumerSettings(GROUP, "earliest");
        settings.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        if (instanceId != null) {
            settings.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        }
        KafkaConsumer<String, String> member = new KafkaConsumer<>(settings);
        member.subscribe(List.of(TOPIC));
        open.add(member);
        return member;
    }

    private void close(KafkaConsumer<String, String> member) {
        open.remove(member);
        member.close(CLOSE);
    }

    private void joinsAndALeave() {
        KafkaConsumer<String, String> anna = member("anna", null);
        if (!await(List.of(anna), () -> anna.assignment().size() == PARTITIONS)) {
            session.write("kip848: anna never owned the topic");
            return;
        }
        // epochs are written from anna's first: a cluster's coordinator may hear of a new topic a heartbeat late,
        // and move its group's epoch once more for it
        int first = epoch(anna);
        session.write("kip848: anna alone owns " + sizes(List.of(anna)));
        session.step("kip848: anna commits at her epoch", () -> {
            anna.commitSync(Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(0)));
            return null;
        });
        KafkaConsumer<String, String> ben = member("ben", null);
        boolean split = await(List.of(anna, ben), () -> anna.assignment().size() == PARTITIONS / 2
                && ben.assignment().size() == PARTITIONS / 2
                && epoch(anna) == epoch(ben));
        session.write("kip848: with ben, split " + split + ", owned " + sizes(List.of(anna, ben)) + ", epochs past"
                + " anna's first " + epochs(List.of(anna, ben)).stream().map(epoch -> epoch - first).toList()
                + ", disjoint " + disjoint(anna, ben));
        describe("with anna and ben");
        listed();
        if (split) {
            commitsAtAnOlderEpoch(anna, ben, first);
        }
        close(ben);
        boolean back = await(List.of(anna), () -> anna.assignment().size() == PARTITIONS);
        session.write("kip848: ben left; anna owns all again " + back + " at " + (epoch(anna) - first)
                + " epochs past her first");
        close(anna);
        describe("after both left");
    }

    /**
     * A commit at anna's epoch from before ben came, sent through a transactional producer (which, unlike a consumer,
     * lets the caller say the epoch): Kafka 4.3 on takes it for a partition she has held since, and refuses it for
     * one she gave ben.
     */
    private void commitsAtAnOlderEpoch(KafkaConsumer<String, String> anna, KafkaConsumer<String, String> ben,
                                       int olderEpoch) {
        ConsumerGroupMetadata older = new ConsumerGroupMetadata(GROUP, olderEpoch, anna.groupMetadata().memberId(),
                Optional.empty());
        Map<String, Object> settings = new HashMap<>(session.producerSettings());
        settings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "stall-till");
        try (KafkaProducer<String, String> till = new KafkaProducer<>(settings)) {
            session.step("kip848: a transactional producer starts", () -> {
                till.initTransactions();
                return null;
            });
            for (Map.Entry<String, Set<Integer>> whose : List.of(Map.entry("kept", partitions(anna)),
                    Map.entry("gave ben", partitions(ben)))) {
                TopicPartition partition = new TopicPartition(TOPIC, whose.getValue().iterator().next());
                session.step("kip848: anna commits at her epoch before ben's for a partition she " + whose.getKey(),
                        () -> {
                            till.beginTransaction();
                            try {
                                till.sendOffsetsToTransaction(Map.of(partition, new OffsetAndMetadata(1)), older);
                                till.commitTransaction();
                            } catch (KafkaException e) {
                                till.abortTransaction();
                                throw e;
                            }
                            return null;
                        });
            }
        }
    }

    private void staticMembers() {
        KafkaConsumer<String, String> grill = member("grill", "grill");
        KafkaConsumer<String, String> fryer = member("fryer", "fryer");
        if (!await(List.of(grill, fryer), () -> grill.assignment().size() == PARTITIONS / 2
                && fryer.assignment().size() == PARTITIONS / 2 && epoch(grill) == epoch(fryer))) {
            session.write("kip848: the static members never split the topic");
            return;
        }
        Set<Integer> grills = partitions(grill);
        int epoch = epoch(grill);
        close(grill); // epoch -2: its place waits for its next instance
        describe("after grill closed");
        KafkaConsumer<String, String> back = member("grill-again", "grill");
        boolean returned = await(List.of(back, fryer), () -> back.assignment().size() == PARTITIONS / 2);
        session.write("kip848: grill's next instance came back " + returned + " with its partitions "
                + partitions(back).equals(grills) + " at its epoch " + (epoch(back) == epoch)
                + "; fryer's epoch moved " + (epoch(fryer) != epoch));
        KafkaConsumer<String, String> twin = member("grill-twin", "grill");
        session.step("kip848: a second live grill polls", () -> {
            long deadline = System.nanoTime() + TWIN_POLLS.toNanos();
            while (System.nanoTime() < deadline) {
                twin.poll(Duration.ofMillis(100));
                back.poll(Duration.ofMillis(10));
            }
            return null;
        });
        open.remove(twin);
        twin.close(CLOSE);
        describe("with the twin refused");
    }

    /** The group as Admin describes it: state, type, assignor, members by client id and how many they own. */
    private void describe(String when) {
        try (Admin admin = session.admin()) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP),
                            new DescribeConsumerGroupsOptions().includeAuthorizedOperations(true)).all()
                    .get(ProbeSession.WAIT.toMillis(), TimeUnit.MILLISECONDS).get(GROUP);
            session.write("kip848: " + when + ", the group is " + group.state() + ", " + group.type() + ", assignor "
                    + group.partitionAssignor() + ", members " + group.members().stream().map(member ->
                    member.clientId() + ":" + member.assignment().topicPartitions().size()).sorted().toList()
                    + ", a caller may " + ProbeSession.operations(group.authorizedOperations()));
        } catch (Exception e) {
            session.write("kip848: " + when + ", describing the group failed: " + e.getClass().getSimpleName());
        }
    }

    private void listed() {
        try (Admin admin = session.admin()) {
            Collection<ConsumerGroupListing> groups = admin.listConsumerGroups(new ListConsumerGroupsOptions()
                    .withTypes(Set.of(GroupType.CONSUMER))).all().get(ProbeSession.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            session.write("kip848: groups of type consumer " + groups.stream().filter(g -> g.groupId().equals(GROUP))
                    .map(g -> g.groupId() + " " + g.state().orElse(null) + " " + g.type().orElse(null)).toList());
        } catch (Exception e) {
            session.write("kip848: listing failed: " + e.getClass().getSimpleName());
        }
    }

    /** Polls the members until {@code done} holds; false if it never does within the session's wait. */
    private static boolean await(List<KafkaConsumer<String, String>> members, BooleanSupplier done) {
        long deadline = System.nanoTime() + ProbeSession.WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            members.forEach(member -> member.poll(Duration.ofMillis(50)));
            if (done.getAsBoolean()) {
                return true;
            }
        }
        return false;
    }

    private static int epoch(KafkaConsumer<String, String> member) {
        return member.groupMetadata().generationId();
    }

    private static List<Integer> epochs(List<KafkaConsumer<String, String>> members) {
        return members.stream().map(ConsumerProtocolProbe::epoch).toList();
    }

    private static List<Integer> sizes(List<KafkaConsumer<String, String>> members) {
        return members.stream().map(member -> member.assignment().size()).toList();
    }

    private static Set<Integer> partitions(KafkaConsumer<String, String> member) {
        Set<Integer> owned = new TreeSet<>();
        member.assignment().forEach(partition -> owned.add(partition.partition()));
        return owned;
    }

    private static boolean disjoint(KafkaConsumer<String, String> a, KafkaConsumer<String, String> b) {
        Set<Integer> both = new TreeSet<>(partitions(a));
        both.retainAll(partitions(b));
        return both.isEmpty();
    }
}

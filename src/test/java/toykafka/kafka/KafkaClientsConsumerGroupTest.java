package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static toykafka.kafka.GroupConsumeOutput.assertEveryRecordReadOnce;
import static toykafka.kafka.GroupConsumeOutput.assertNoPartitionHasTwoOwners;
import static toykafka.kafka.GroupConsumeOutput.assignments;
import static toykafka.kafka.GroupConsumeOutput.memberId;
import static toykafka.kafka.GroupConsumeOutput.partitionsRead;
import static toykafka.kafka.GroupConsumeOutput.values;
import static toykafka.kafka.GroupConsumers.NEW_PROTOCOL;
import static toykafka.kafka.GroupConsumers.await;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import toykafka.kafka.GroupConsumeOutput.At;

/**
 * Apache kafka-clients 4.4 consumers with {@code group.protocol=consumer}, in Kafka 4's consumer groups (KIP-848)
 * that our broker coordinates with ConsumerGroupHeartbeat: no barrier, the broker's assignor, each member reconciled
 * towards its target. The same rules as the classic groups' hold: no partition has two owners at one member epoch,
 * every record is read, no commit goes back; and a regular expression the broker evaluates takes in a topic made later.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaClientsConsumerGroupTest {

    @RegisterExtension
    static final GroupConsumers consumers = new GroupConsumers();

    // tag::consumer-protocol[]
    @Test
    void on_kip_848s_protocol_three_members_share_a_topic_and_after_a_leave_a_kill_and_a_late_join_every_record_is_read_and_a_restart_resumes() {
        GroupOnATopic group = consumers.groupOnANewTopic(KafkaClients.V4_4_CHILD_JVM, "counters", "counter-staff");

        // three members, each joining on its own: no barrier, the broker's uniform assignor gives two partitions each
        GroupConsumeChild a = group.start("A", NEW_PROTOCOL);
        GroupConsumeChild b = group.start("B", NEW_PROTOCOL);
        GroupConsumeChild c = group.start("C", NEW_PROTOCOL);
        Map<String, Set<Integer>> shares = group.awaitStable(3, a, b, c);
        shares.values().forEach(owned -> assertEquals(2, owned.size(), "two partitions each: " + shares));
        Map<At, String> produced = new TreeMap<>(group.produce("first", 10));
        group.awaitCommittedToTheEnd(a, b, c);
        for (GroupConsumeChild each : List.of(a, b, c)) {
            assertEquals(shares.get(memberId(each)), partitionsRead(each), each.name + " read the partitions it owns, all of them");
        }

        // B dies without a word (its session runs out), A leaves with close(), D joins late
        b.kill();
        a.stop();
        GroupConsumeChild d = group.start("D", NEW_PROTOCOL);
        produced.putAll(group.produce("during-the-reconciliation", 5));
        Map<String, Set<Integer>> takenOver = group.awaitStable(2, a, b, c, d); // once B's 6 s session has run out
        assertEquals(Set.of(memberId(c), memberId(d)), takenOver.keySet());
        takenOver.values().forEach(owned -> assertEquals(3, owned.size(), "three partitions each: " + takenOver));
        produced.putAll(group.produce("after-it", 5));
        group.awaitCommittedToTheEnd(a, b, c, d);

        assertNoPartitionHasTwoOwners(assignments(a, b, c, d)); // at any one member epoch
        assertEveryRecordReadOnce(produced, a, b, c, d);
        assertTrue(consumers.brokerAnswered("ConsumerGroupHeartbeat", "epoch -1") && consumers.heartbeatSent(memberId(a), -1),
                "A's close() left with epoch -1:\n" + consumers.broker().log());
        assertFalse(consumers.broker().log().lines().anyMatch(line -> line.contains(memberId(b) + " at epoch -1")),
                "B was killed: it never said goodbye");

        // everyone leaves; more records; a consumer that comes back reads those and nothing committed before
        c.stop();
        d.stop();
        group.assertAReturningConsumerResumes(List.of(a, b, c, d), NEW_PROTOCOL);
    }
    // end::consumer-protocol[]

    // tag::consumer-regex[]
    @Test
    void on_kip_848s_protocol_a_regular_expression_the_broker_evaluates_takes_in_a_topic_made_later() {
        for (String topic : List.of("menu-fish", "menu-pies", "old-menu-fish")) {
            consumers.createTopic(topic);
        }
        Set<String> expected = new TreeSet<>(consumers.writeTo("menu-fish", "menu-pies"));
        consumers.writeTo("old-menu-fish"); // the whole name must match, as RE2/J's matches() has it: this one does not
        GroupConsumeChild reader = consumers.start(KafkaClients.V4_4_CHILD_JVM, "R", "menu-.*", "menu-readers",
                NEW_PROTOCOL, "pattern=true");
        await("R reads both menus", () -> values(reader).equals(expected), reader);
        consumers.createTopic("menu-drinks"); // matched at the member's next heartbeat, which moves the group's epoch on
        expected.addAll(consumers.writeTo("menu-drinks"));
        await("R reads the menu made later too", () -> values(reader).equals(expected), reader);
        reader.stop();
    }
    // end::consumer-regex[]
}

package toykafka.broker.group.classic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import toykafka.check.MessageFacts;
import toykafka.common.InvalidRequestException;
import toykafka.common.TopicPartition;

/**
 * What every codec of a consumer group's opaque bytes promises; lesson 14's exercise is checked against it too,
 * plainest first. The expected bytes are what kafka-clients 3.9.1's own {@code ConsumerProtocol} wrote for the same
 * subscriptions and assignments ({@code ConsumerProtocolOracleTest} checks the reference against that class itself).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class ConsumerProtocolCodecContract {

    protected abstract ConsumerProtocolCodec newCodec();

    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    /** Kafka's version 0 subscription to drinks and orders: version, 2 topics, "drinks", "orders", null user data. */
    static final byte[] SUBSCRIPTION_V0 = HEX.parseHex("00 00 00 00 00 02 00 06 64 72 69 6e 6b 73 00 06 6f 72 64 65 72 73"
            + " ff ff ff ff");
    /** Kafka's version 3: the same, then owned partitions (drinks-1, orders-0), generation 4 and rack "rack-a". */
    static final byte[] SUBSCRIPTION_V3 = HEX.parseHex("00 03 00 00 00 02 00 06 64 72 69 6e 6b 73 00 06 6f 72 64 65 72 73"
            + " ff ff ff ff 00 00 00 02 00 06 64 72 69 6e 6b 73 00 00 00 01 00 00 00 01 00 06 6f 72 64 65 72 73 00 00 00"
            + " 01 00 00 00 00 00 00 00 04 00 06 72 61 63 6b 2d 61");
    /** Kafka's version 0 assignment of drinks-1, orders-0 and orders-2, with null user data. */
    static final byte[] ASSIGNMENT_V0 = HEX.parseHex("00 00 00 00 00 02 00 06 64 72 69 6e 6b 73 00 00 00 01 00 00 00 01"
            + " 00 06 6f 72 64 65 72 73 00 00 00 02 00 00 00 00 00 00 00 02 ff ff ff ff");
    /** Kafka's version 3 assignment of the same partitions, with one byte of user data. */
    static final byte[] ASSIGNMENT_V3 = HEX.parseHex("00 03 00 00 00 02 00 06 64 72 69 6e 6b 73 00 00 00 01 00 00 00 01"
            + " 00 06 6f 72 64 65 72 73 00 00 00 02 00 00 00 00 00 00 00 02 00 00 00 01 07");
    private static final List<TopicPartition> PARTITIONS = List.of(new TopicPartition("drinks", 1),
            new TopicPartition("orders", 0), new TopicPartition("orders", 2));

    @Test
    @Order(1)

    @DisplayName("a subscription is written as Kafka's consumers write version 0")
    void a_subscription_is_written_as_kafkas_consumers_write_version_0() {
        assertArrayEquals(SUBSCRIPTION_V0, newCodec().subscription(List.of("orders", "drinks")),
                "version 0, the topics in name order, user data -1 (null): the bytes a Java consumer sends");
    }

    @Test
    @Order(2)
    void a_subscription_is_read_back() {
        assertEquals(List.of("drinks", "orders"), newCodec().topics(SUBSCRIPTION_V0));
        assertEquals(List.of(), newCodec().topics(newCodec().subscription(List.of())), "no topics is a subscription too");
    }

    @Test
    @Order(3)
    @DisplayName("a later version's subscription is read by its version 0 fields")
    void a_later_versions_subscription_is_read_by_its_version_0_fields() {
        assertEquals(List.of("drinks", "orders"), newCodec().topics(SUBSCRIPTION_V3),
                "a Java consumer of today joins with version 3: owned partitions, generation and rack follow the topics");
    }

    @Test
    @Order(4)

    @DisplayName("an assignment is written as Kafka's leaders write version 0")
    void an_assignment_is_written_as_kafkas_leaders_write_version_0() {
        List<TopicPartition> shuffled = List.of(PARTITIONS.get(2), PARTITIONS.get(0), PARTITIONS.get(1));
        assertArrayEquals(ASSIGNMENT_V0, newCodec().assignment(shuffled),
                "version 0, topics in name order, each with its partitions in order, user data -1 (null)");
    }

    @Test
    @Order(5)
    void an_assignment_of_any_version_is_read_back_sorted() {
        assertEquals(PARTITIONS, newCodec().partitions(ASSIGNMENT_V0));
        assertEquals(PARTITIONS, newCodec().partitions(ASSIGNMENT_V3), "version 3 adds nothing before the user data");
        assertEquals(List.of(), newCodec().partitions(new byte[0]), "a member the leader gave nothing gets no bytes");
    }

    @Test
    @Order(6)
    void bytes_cut_short_are_refused_saying_how_many_there_were() {
        byte[] cut = java.util.Arrays.copyOf(SUBSCRIPTION_V0, 9); // inside "drinks"
        InvalidRequestException refused = assertThrows(InvalidRequestException.class, () -> newCodec().topics(cut));
        MessageFacts.assertMentions(refused, 9);
        byte[] cutAssignment = java.util.Arrays.copyOf(ASSIGNMENT_V0, 20); // inside drinks' partitions
        refused = assertThrows(InvalidRequestException.class, () -> newCodec().partitions(cutAssignment));
        MessageFacts.assertMentions(refused, 20);
    }

    @Test
    @Order(7)
    void a_count_that_lies_is_refused_before_anything_is_made_for_it() {
        // version 0, then 2,147,483,647 topics in six bytes: a codec that trusts the count runs out of memory
        byte[] lying = HEX.parseHex("00 00 7f ff ff ff");
        InvalidRequestException refused = assertThrows(InvalidRequestException.class, () -> newCodec().topics(lying));
        MessageFacts.assertMentions(refused, 6);
        byte[] negativeLength = HEX.parseHex("00 00 00 00 00 01 ff fe 61");
        assertThrows(InvalidRequestException.class, () -> newCodec().topics(negativeLength),
                "a string length of -2 is no string");
    }
}

package toykafka.broker.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.share.partition.SharePartitionException;
import toykafka.common.Errors;
import toykafka.common.TopicPartition;

/** Share sessions as Kafka's ShareSessionCache keeps them: open at 0, each request the next epoch, closed at -1. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ShareSessionsTest {

    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition ORDERS_1 = new TopicPartition("orders", 1);
    private final ShareSessions sessions = new ShareSessions(2);

    private static Errors refusal(Runnable call) {
        return assertThrows(SharePartitionException.class, call::run).error();
    }

    @Test
    void a_session_opens_at_0_goes_on_one_epoch_at_a_time_adding_and_forgetting_and_closes_at_minus_1() {
        assertEquals(List.of(ORDERS_0), sessions.fetch("line", "m1", 0, List.of(ORDERS_0), List.of(), false, "c1"));
        assertEquals(List.of(ORDERS_0, ORDERS_1), sessions.fetch("line", "m1", 1, List.of(ORDERS_1), List.of(), false, "c1"),
                "a later fetch names only what it adds");
        assertEquals(Errors.INVALID_SHARE_SESSION_EPOCH, refusal(() -> sessions.fetch("line", "m1", 1, List.of(),
                List.of(), false, "c1")), "epoch 1 was used: the next is 2");
        sessions.acknowledge("line", "m1", 2);
        assertEquals(List.of(ORDERS_1), sessions.fetch("line", "m1", 3, List.of(), List.of(ORDERS_0), false, "c1"));
        assertEquals(List.of(), sessions.fetch("line", "m1", ShareSessions.FINAL, List.of(), List.of(), true, "c1"),
                "a closing fetch reads nothing");
        assertTrue(sessions.close("line", "m1"));
        assertEquals(Errors.SHARE_SESSION_NOT_FOUND, refusal(() -> sessions.fetch("line", "m1", 4, List.of(),
                List.of(), false, "c1")));
    }

    @Test
    void what_may_not_open_a_session_is_refused_with_kafkas_errors() {
        assertEquals(Errors.INVALID_REQUEST, refusal(() -> sessions.fetch("line", "m1", 0, List.of(ORDERS_0),
                List.of(), true, "c1")), "no acknowledgements before a session is open");
        assertEquals(Errors.INVALID_SHARE_SESSION_EPOCH, refusal(() -> sessions.acknowledge("line", "m1", 0)));
        assertEquals(Errors.SHARE_SESSION_NOT_FOUND, refusal(() -> sessions.acknowledge("line", "m1", 1)));
        assertEquals(Errors.SHARE_SESSION_NOT_FOUND, refusal(() -> sessions.acknowledge("line", "m1", -1)));
    }

    @Test
    void opening_again_replaces_the_members_session_and_the_limit_counts_sessions() {
        sessions.fetch("line", "m1", 0, List.of(ORDERS_0), List.of(), false, "c1");
        sessions.fetch("line", "m1", 0, List.of(ORDERS_1), List.of(), false, "c1");
        assertEquals(List.of(ORDERS_1), sessions.fetch("line", "m1", 1, List.of(), List.of(), false, "c1"));
        sessions.fetch("line", "m2", 0, List.of(ORDERS_0), List.of(), false, "c1");
        SharePartitionException full = assertThrows(SharePartitionException.class,
                () -> sessions.fetch("line", "m3", 0, List.of(ORDERS_0), List.of(), false, "c1"));
        assertEquals(Errors.SHARE_SESSION_LIMIT_REACHED, full.error());
        assertTrue(full.getMessage().contains("group.share.max.share.sessions"), full.getMessage());
        assertEquals(List.of("m1", "m2"), sessions.members("line").stream().sorted().toList());
    }

    @Test
    void the_sessions_a_connection_opened_end_with_it_and_no_others() {
        sessions.fetch("line", "m1", 0, List.of(ORDERS_0), List.of(), false, "c1");
        sessions.fetch("dock", "m2", 0, List.of(ORDERS_1), List.of(), false, "c1");
        assertEquals(Errors.SHARE_SESSION_LIMIT_REACHED, refusal(() -> sessions.fetch("line", "m3", 0, List.of(),
                List.of(), false, "c2")));

        assertEquals(List.of(new ShareSessions.Key("line", "m1"), new ShareSessions.Key("dock", "m2")),
                sessions.connectionClosed("c1"), "every session it opened, not only the last as in Kafka");
        assertEquals(Errors.SHARE_SESSION_NOT_FOUND, refusal(() -> sessions.acknowledge("line", "m1", 1)));
        sessions.fetch("line", "m3", 0, List.of(), List.of(), false, "c2");
        assertEquals(List.of(), sessions.connectionClosed("c1"), "closed once");

        sessions.fetch("line", "m4", 0, List.of(), List.of(), false, "c3");
        assertTrue(sessions.close("line", "m4"), "closed at -1 before its connection");
        sessions.fetch("line", "m4", 0, List.of(), List.of(), false, "c4");
        assertEquals(List.of(), sessions.connectionClosed("c3"), "the member's new session is another connection's");
        assertEquals(List.of("m3", "m4"), sessions.members("line").stream().sorted().toList());
    }

    @Test
    void after_the_largest_epoch_comes_1() {
        assertEquals(1, ShareSessions.nextEpoch(Integer.MAX_VALUE));
        assertEquals(0, ShareSessions.nextEpoch(-1));
        assertEquals(8, ShareSessions.nextEpoch(7));
    }
}

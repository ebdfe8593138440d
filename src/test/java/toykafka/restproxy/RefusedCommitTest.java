package toykafka.restproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.Broker;
import toykafka.broker.Partitions;
import toykafka.check.MessageFacts;
import toykafka.common.OffsetOutOfRangeException;
import toykafka.common.OffsetReset;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * A commit is all or nothing: when one of its offsets is refused, none of the others is in force, in memory
 * or on disk, even for partitions the group had never committed before.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RefusedCommitTest extends InstancesPerTest {

    private static final String GROUP = "kitchen";
    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition ORDERS_1 = new TopicPartition("orders", 1);

    @StartedBroker
    RunningBroker running;

    @BeforeEach
    void start() {
        Broker broker = running.broker();
        broker.createTopic("orders", 2, Map.of(), OnDuplicate.FAIL);
        broker.partitions().appendRecords("orders", List.of(new Partitions.ProduceRecord(0, Record.of(null, "cod", Instant.EPOCH))));
        instances.create(GROUP, "cook", OffsetReset.EARLIEST);
        instances.subscribe(GROUP, "cook", Set.of("orders"));
    }

    @Test
    void a_commit_refused_for_one_partition_leaves_no_partition_committed() {
        OffsetOutOfRangeException refused = assertThrows(OffsetOutOfRangeException.class,
                () -> instances.commit(GROUP, "cook", Map.of(ORDERS_0, 0L, ORDERS_1, 5L)));
        MessageFacts.assertMentions(refused, 5, ORDERS_1.toString());
        assertEquals(Map.of(), instances.committed(GROUP), "orders-0 had no commit before, and has none now");

        instances.close();
        running.restart();
        instances = ConsumerInstances.start(running.broker());
        assertEquals(Map.of(), instances.committed(GROUP), "nor after a restart");
    }

    @Test
    void a_refused_commit_leaves_an_earlier_commit_as_it_was() {
        instances.commit(GROUP, "cook", Map.of(ORDERS_0, 1L));
        assertThrows(OffsetOutOfRangeException.class, () -> instances.commit(GROUP, "cook", Map.of(ORDERS_0, 0L, ORDERS_1, 5L)));
        assertEquals(Map.of(ORDERS_0, 1L), instances.committed(GROUP));
    }
}

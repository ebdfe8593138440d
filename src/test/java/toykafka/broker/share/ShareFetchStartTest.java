package toykafka.broker.share;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.Partitions;
import toykafka.broker.share.partition.AcquiredRecords;
import toykafka.broker.share.partition.ShareFetchLimits;
import toykafka.common.Record;
import toykafka.common.TopicPartition;

/**
 * A share fetch that starts its group's share partitions answers with the first of them that has records, as Kafka's
 * does while each loads its state from the share coordinator: the others' records wait for the next fetch. Share
 * partitions already started all answer together.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ShareFetchStartTest extends TicketDeskTest {

    private static final TopicPartition FIRST = new TopicPartition("tickets", 0);
    private static final TopicPartition SECOND = new TopicPartition("tickets", 1);

    ShareFetchStartTest() {
        super(2);
    }

    @Test
    void the_first_fetch_answers_with_one_partition_and_the_next_with_the_other() throws Exception {
        append(FIRST, 5);
        append(SECOND, 5);

        Map<TopicPartition, List<AcquiredRecords>> first = fetch(FIRST, SECOND);
        assertEquals(List.of(new AcquiredRecords(0, 4, 1)), first.get(FIRST));
        assertEquals(List.of(), first.get(SECOND), "started, its records left for the next fetch");

        Map<TopicPartition, List<AcquiredRecords>> next = fetch(FIRST, SECOND);
        assertEquals(List.of(), next.get(FIRST));
        assertEquals(List.of(new AcquiredRecords(0, 4, 1)), next.get(SECOND));
    }

    @Test
    void partitions_already_started_answer_together() throws Exception {
        fetch(FIRST, SECOND); // starts both, with nothing to acquire
        append(FIRST, 2);
        append(SECOND, 3);

        Map<TopicPartition, List<AcquiredRecords>> both = fetch(FIRST, SECOND);
        assertEquals(List.of(new AcquiredRecords(0, 1, 1)), both.get(FIRST));
        assertEquals(List.of(new AcquiredRecords(0, 2, 1)), both.get(SECOND));
    }

    @Test
    void a_starting_partition_with_nothing_lets_the_next_one_answer() throws Exception {
        append(SECOND, 3);

        Map<TopicPartition, List<AcquiredRecords>> first = fetch(FIRST, SECOND);
        assertEquals(List.of(), first.get(FIRST));
        assertEquals(List.of(new AcquiredRecords(0, 2, 1)), first.get(SECOND));
    }

    @Test
    void a_started_partition_with_records_answers_before_a_starting_one() throws Exception {
        fetch(SECOND); // starts the second only
        append(FIRST, 2);
        append(SECOND, 3);

        Map<TopicPartition, List<AcquiredRecords>> answer = fetch(FIRST, SECOND);
        assertEquals(List.of(), answer.get(FIRST), "still starting when the second answered");
        assertEquals(List.of(new AcquiredRecords(0, 2, 1)), answer.get(SECOND));
        assertEquals(List.of(new AcquiredRecords(0, 1, 1)), fetch(FIRST, SECOND).get(FIRST));
    }

    private void append(TopicPartition partition, int records) {
        for (int i = 0; i < records; i++) {
            broker.partitions().appendRecords(partition.topic(), List.of(new Partitions.ProduceRecord(
                    partition.partition(), Record.of("t" + i, "ticket " + i, clock.instant()))));
        }
    }

    private Map<TopicPartition, List<AcquiredRecords>> fetch(TopicPartition... partitions) throws Exception {
        Map<TopicPartition, SharePartitions.Fetched> answer = shares.fetch("desk", "ann", List.of(partitions),
                ShareFetchLimits.defaults(), 1 << 20, Duration.ZERO).get();
        return Map.copyOf(answer.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                entry -> entry.getValue().acquired())));
    }
}

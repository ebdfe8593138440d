package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.Partitions.Acks;
import toykafka.broker.txn.Transaction;
import toykafka.broker.txn.TransactionState;
import toykafka.common.Errors;
import toykafka.common.ProducerBatches;
import toykafka.common.Record;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * librdkafka's transactional producer against our broker, driven by Confluent's Python client (kcat cannot):
 * transactions committed and aborted across three partitions, a consume-transform-produce transaction that
 * carries its group's offsets, and a second producer with the same transactional id fencing the first. kcat,
 * librdkafka's consumer, then reads the topic at each isolation level.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LibrdkafkaTransactionsTest {

    private static final String ORDERS = "orders";
    private static final String INCOMING = "incoming";
    private static final String GROUP = "kitchen";

    @StartedBroker(FrontEnd.KAFKA)
    RunningBroker broker;

    @Test
    void librdkafka_commits_aborts_forwards_with_its_groups_offsets_and_is_fenced_by_its_successor() throws Exception {
        ConfluentKafkaPython client = ConfluentKafkaPython.require();
        broker.broker().createTopic(ORDERS, 3, Map.of(), OnDuplicate.FAIL);
        broker.broker().createTopic(INCOMING, 1, Map.of(), OnDuplicate.FAIL);
        TopicPartition incoming = new TopicPartition(INCOMING, 0);
        Record[] dishes = Stream.of("cod", "chips", "peas").map(dish -> Record.of(null, dish, Instant.now()))
                .toArray(Record[]::new);
        assertEquals(Errors.NONE, broker.broker().partitions().append(
                Map.of(incoming, ProducerBatches.plain(dishes)), Acks.ALL).get(incoming).error());

        Path script = Path.of(getClass().getResource("/librdkafka/transactions.py").toURI());
        ChildProcess.Result run = client.run(script, broker.bootstrapServers(), ORDERS, "3", INCOMING, GROUP)
                .assertSucceeded();

        assertEquals(List.of("committed 6", "aborted 3", "committed 3", "forwarded 3 offsets " + GROUP,
                "fenced _FENCED fatal=True", "committed 2"), run.lines(), run.describe());
        List<String> committed = Stream.of(numbered("paid", 6), numbered("paid-again", 3),
                List.of("cooked-cod", "cooked-chips", "cooked-peas"), numbered("successor", 2))
                .flatMap(List::stream).sorted().toList();
        assertEquals(committed, kcat("read_committed"), "exactly the committed records, on every partition");
        assertEquals(Stream.concat(committed.stream(), numbered("void", 3).stream()).sorted().toList(),
                kcat("read_uncommitted"), "the aborted records are in the log all the same, and nothing of the fenced zombie's");
        assertEquals(3L, broker.broker().groupCoordinator().fetchOffsets(GROUP, List.of(incoming)).offsets().get(incoming),
                "the group's offsets came in with the transaction that forwarded the dishes");
        Transaction till = broker.broker().transactionCoordinator().transactions().stream()
                .filter(transaction -> transaction.transactionalId().equals("till")).findFirst().orElseThrow();
        assertEquals(TransactionState.COMPLETE_COMMIT, till.state(), till.toString());
        assertTrue(till.epoch() >= 1, "the successor's InitProducerId bumped the epoch: " + till);
    }

    private static List<String> numbered(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).toList();
    }

    /** Every value on the topic's partitions as kcat reads them at this isolation level, sorted. */
    private List<String> kcat(String isolation) {
        return Kcat.require().run(null, "-C", "-b", broker.bootstrapServers(), "-t", ORDERS, "-X",
                "isolation.level=" + isolation, "-e", "-q", "-f", "%s\\n").assertSucceeded().lines().stream().sorted().toList();
    }
}

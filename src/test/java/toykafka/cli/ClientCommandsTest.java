package toykafka.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.Broker;
import toykafka.broker.config.BrokerConfig;
import toykafka.http.HttpFrontEnd;

/** topics, produce and consume: the command-line clients against a broker started here. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ClientCommandsTest {

    @TempDir
    Path dataDir;
    private Broker broker;
    private HttpFrontEnd front;

    @BeforeEach
    void startBroker() throws Exception {
        broker = Broker.start(BrokerConfig.of(Map.of(BrokerConfig.HTTP_PORT, "0", BrokerConfig.STATS_INTERVAL_MS, "0"))
                .with(BrokerConfig.DATA_DIR, dataDir));
        front = HttpFrontEnd.start(broker, System.err);
    }

    @AfterEach
    void stopBroker() {
        front.close();
        broker.close();
    }

    /** Runs a command against the broker started here, with this standard input. */
    private CommandRun run(String input, String... args) {
        String[] withBroker = Arrays.copyOf(args, args.length + 2);
        withBroker[args.length] = "--broker";
        withBroker[args.length + 1] = front.address();
        return CommandRun.withInput(input, withBroker);
    }

    @Test
    void topics_are_created_listed_described_altered_and_deleted() {
        CommandRun create = run("", "topics", "create", "orders", "--partitions", "3", "--config",
                "retention.ms=60000");
        assertEquals(0, create.exitCode());
        assertEquals("created topic orders with 3 partition(s)\n", create.out());
        CommandRun list = run("", "topics");
        assertEquals(0, list.exitCode());
        assertTrue(list.out().contains("orders  3 partition(s)\n"), list.out());
        assertTrue(list.out().contains("__consumer_offsets  1 partition(s)  (the broker's own)"), list.out());
        assertEquals(0, run("", "topics", "alter", "orders", "--config", "segment.bytes=1048576").exitCode());
        CommandRun describe = run("", "topics", "describe", "orders");
        assertEquals(0, describe.exitCode());
        assertTrue(describe.out().contains("  partition 2: no records; the next offset is 0\n"), describe.out());
        assertTrue(describe.out().contains("  retention.ms=60000  (set)"), describe.out());
        assertTrue(describe.out().contains("  segment.bytes=1048576  (set)"), describe.out());
        assertTrue(describe.out().contains("  cleanup.policy=delete\n"), describe.out());
        assertEquals(0, run("", "topics", "delete", "orders").exitCode());
        CommandRun deleted = run("", "topics", "describe", "orders");
        assertEquals(2, deleted.exitCode());
        assertTrue(deleted.errors().contains("UNKNOWN_TOPIC_OR_PARTITION: there is no topic 'orders'"),
                deleted.errors());
    }

    @Test
    void a_partitions_end_offset_is_named_as_the_next_offset_not_the_last_record() {
        assertEquals("5 records, offsets 8 to 12; the next is 13", TopicsCommand.Describe.span(8, 13, false));
        assertEquals("1 record, offsets 8 to 8; the next is 9", TopicsCommand.Describe.span(8, 9, false));
        assertEquals("no records; the next offset is 13", TopicsCommand.Describe.span(13, 13, false));
    }

    @Test
    void a_compacted_topics_offsets_only_bound_how_many_records_it_holds() {
        run("", "topics", "create", "prices", "--partitions", "1", "--config", "cleanup.policy=compact");
        run("cod:4.50\ncod:4.60\n", "produce", "prices", "--key-separator", ":");
        CommandRun describe = run("", "topics", "describe", "prices");
        assertTrue(describe.out().contains("  partition 0: at most 2 records, offsets 0 to 1; the next is 2\n"), describe.out());
    }

    @Test
    void each_line_becomes_a_record_and_a_key_separator_splits_key_from_value() {
        run("", "topics", "create", "orders", "--partitions", "2");
        CommandRun produce = run("till-1:cod\ntill-2:chips\ntill-1:haddock\n", "produce", "orders", "--key-separator",
                ":");
        assertEquals(0, produce.exitCode());
        assertTrue(produce.reported().contains("sent 3 records to orders"), produce.reported());

        CommandRun consume = run("", "consume", "orders", "--from", "earliest", "--max-records", "3", "--print-key");
        assertEquals(0, consume.exitCode());
        List<String> lines = consume.out().lines().sorted().toList();
        assertEquals(List.of("till-1\tcod", "till-1\thaddock", "till-2\tchips"), lines);
    }

    @Test
    void a_large_input_goes_in_batches_and_arrives_whole_and_in_order() {
        run("", "topics", "create", "numbers", "--partitions", "1");
        String input = IntStream.rangeClosed(1, 20_000).mapToObj(String::valueOf).collect(Collectors.joining("\n"));
        CommandRun produce = run(input, "produce", "numbers");
        assertEquals(0, produce.exitCode());
        assertTrue(produce.reported().contains("sent 20,000 records to numbers"), produce.reported());
        assertTrue(produce.reported().contains("numbers-0: offsets 0 to 19999"), produce.reported());
        CommandRun consume = run("", "consume", "numbers", "--from", "earliest", "--max-records", "20000");
        assertEquals(0, consume.exitCode());
        assertEquals(IntStream.rangeClosed(1, 20_000).mapToObj(String::valueOf).toList(),
                consume.out().lines().toList());
    }

    @Test
    void a_group_member_commits_what_it_printed_so_the_next_run_goes_on_from_there() {
        run("", "topics", "create", "orders", "--partitions", "1");
        run("order 1\norder 2\norder 3\norder 4\n", "produce", "orders");
        CommandRun first = run("", "consume", "orders", "--group", "kitchen", "--from", "earliest", "--max-records",
                "2");
        assertEquals(0, first.exitCode());
        assertEquals(List.of("order 1", "order 2"), first.out().lines().toList());
        CommandRun next = run("", "consume", "orders", "--group", "kitchen", "--from", "earliest", "--timeout-ms",
                "1000");
        assertEquals(0, next.exitCode());
        assertEquals(List.of("order 3", "order 4"), next.out().lines().toList(),
                "the group committed 2 and goes on at 2");
    }

    @Test
    void consuming_with_print_offset_shows_where_each_record_lies_and_latest_waits_for_new_records() {
        run("", "topics", "create", "orders", "--partitions", "1");
        run("old\n", "produce", "orders");
        CommandRun fromZero = run("", "consume", "orders", "--from", "0", "--print-offset", "--max-records", "1");
        assertEquals(0, fromZero.exitCode());
        assertEquals("orders-0@0 old\n", fromZero.out());
        CommandRun fromLatest = run("", "consume", "orders", "--timeout-ms", "300");
        assertEquals(0, fromLatest.exitCode());
        assertEquals("", fromLatest.out(), "--from latest (the default) prints only what comes after it started");
    }

    @Test
    void mistakes_get_one_line_that_names_them() {
        CommandRun produce = run("no separator here\n", "produce", "orders", "--key-separator", ":");
        assertEquals(2, produce.exitCode());
        assertTrue(produce.errors().contains("line 1 has no key separator ':'"), produce.errors());
        CommandRun consume = run("", "consume", "orders", "--group", "kitchen", "--from", "7");
        assertEquals(2, consume.exitCode());
        assertTrue(consume.errors().contains("--from may be earliest or latest"), consume.errors());
        CommandRun create = run("", "topics", "create", "bad/name");
        assertEquals(2, create.exitCode());
        assertTrue(create.errors().contains("INVALID_TOPIC_EXCEPTION"), create.errors());
        assertTrue(!create.errors().contains("\tat "), "no stack trace: " + create.errors());

        front.close();
        CommandRun unanswered = run("", "topics");
        assertEquals(2, unanswered.exitCode());
        assertTrue(unanswered.errors().contains("no broker answers at " + "http://"), unanswered.errors());
    }
}

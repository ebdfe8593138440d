package toykafka.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
import picocli.CommandLine;
import toykafka.broker.Broker;
import toykafka.broker.BrokerConfig;
import toykafka.http.HttpFrontEnd;

/** topics, produce and consume: the command-line clients against a broker started here. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ClientCommandsTest {

    @TempDir
    Path dataDir;
    private Broker broker;
    private HttpFrontEnd front;
    private final PrintStream realOut = System.out;
    private final PrintStream realErr = System.err;
    private final InputStream realIn = System.in;
    private ByteArrayOutputStream printed;
    private ByteArrayOutputStream reported;
    private StringWriter errors;

    @BeforeEach
    void startBroker() throws Exception {
        broker = Broker.start(BrokerConfig.of(Map.of(BrokerConfig.HTTP_PORT, "0", BrokerConfig.STATS_INTERVAL_MS, "0"))
                .with(BrokerConfig.DATA_DIR, dataDir));
        front = HttpFrontEnd.start(broker, realErr);
    }

    @AfterEach
    void stopBroker() {
        System.setOut(realOut);
        System.setErr(realErr);
        System.setIn(realIn);
        front.close();
        broker.close();
    }

    /** Runs a command against the broker with this standard input; returns its exit code. */
    private int run(String input, String... args) {
        printed = new ByteArrayOutputStream();
        reported = new ByteArrayOutputStream();
        errors = new StringWriter();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(reported, true, StandardCharsets.UTF_8));
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        CommandLine commandLine = Main.commandLine();
        commandLine.setErr(new PrintWriter(errors, true));
        String[] withBroker = new String[args.length + 2];
        System.arraycopy(args, 0, withBroker, 0, args.length);
        withBroker[args.length] = "--broker";
        withBroker[args.length + 1] = front.address();
        try {
            return commandLine.execute(withBroker);
        } finally {
            System.setOut(realOut);
            System.setErr(realErr);
        }
    }

    private String out() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void topics_are_created_listed_described_altered_and_deleted() {
        assertEquals(0, run("", "topics", "create", "orders", "--partitions", "3", "--config", "retention.ms=60000"));
        assertEquals("created topic orders with 3 partition(s)\n", out());
        assertEquals(0, run("", "topics"));
        assertTrue(out().contains("orders  3 partition(s)\n"), out());
        assertTrue(out().contains("__consumer_offsets  1 partition(s)  (the broker's own)"), out());
        assertEquals(0, run("", "topics", "alter", "orders", "--config", "segment.bytes=1048576"));
        assertEquals(0, run("", "topics", "describe", "orders"));
        assertTrue(out().contains("  partition 2: offsets 0 to 0 (0 records)"), out());
        assertTrue(out().contains("  retention.ms=60000  (set)"), out());
        assertTrue(out().contains("  segment.bytes=1048576  (set)"), out());
        assertTrue(out().contains("  cleanup.policy=delete\n"), out());
        assertEquals(0, run("", "topics", "delete", "orders"));
        assertEquals(2, run("", "topics", "describe", "orders"));
        assertTrue(errors.toString().contains("UNKNOWN_TOPIC_OR_PARTITION: there is no topic 'orders'"), errors.toString());
    }

    @Test
    void each_line_becomes_a_record_and_a_key_separator_splits_key_from_value() {
        run("", "topics", "create", "orders", "--partitions", "2");
        assertEquals(0, run("till-1:cod\ntill-2:chips\ntill-1:haddock\n", "produce", "orders", "--key-separator", ":"));
        assertTrue(reported.toString(StandardCharsets.UTF_8).contains("sent 3 records to orders"), reported.toString());

        assertEquals(0, run("", "consume", "orders", "--from", "earliest", "--max-records", "3", "--print-key"));
        List<String> lines = out().lines().sorted().toList();
        assertEquals(List.of("till-1\tcod", "till-1\thaddock", "till-2\tchips"), lines);
    }

    @Test
    void a_large_input_goes_in_batches_and_arrives_whole_and_in_order() {
        run("", "topics", "create", "numbers", "--partitions", "1");
        String input = IntStream.rangeClosed(1, 20_000).mapToObj(String::valueOf).collect(Collectors.joining("\n"));
        assertEquals(0, run(input, "produce", "numbers"));
        assertTrue(reported.toString(StandardCharsets.UTF_8).contains("sent 20,000 records to numbers"), reported.toString());
        assertTrue(reported.toString(StandardCharsets.UTF_8).contains("numbers-0: offsets 0 to 19999"), reported.toString());
        assertEquals(0, run("", "consume", "numbers", "--from", "earliest", "--max-records", "20000"));
        assertEquals(IntStream.rangeClosed(1, 20_000).mapToObj(String::valueOf).toList(), out().lines().toList());
    }

    @Test
    void a_group_member_commits_what_it_printed_so_the_next_run_goes_on_from_there() {
        run("", "topics", "create", "orders", "--partitions", "1");
        run("order 1\norder 2\norder 3\norder 4\n", "produce", "orders");
        assertEquals(0, run("", "consume", "orders", "--group", "kitchen", "--from", "earliest", "--max-records", "2"));
        assertEquals(List.of("order 1", "order 2"), out().lines().toList());
        assertEquals(0, run("", "consume", "orders", "--group", "kitchen", "--from", "earliest", "--timeout-ms", "1000"));
        assertEquals(List.of("order 3", "order 4"), out().lines().toList(), "the group committed 2 and goes on at 2");
    }

    @Test
    void consuming_with_print_offset_shows_where_each_record_lies_and_latest_waits_for_new_records() {
        run("", "topics", "create", "orders", "--partitions", "1");
        run("old\n", "produce", "orders");
        assertEquals(0, run("", "consume", "orders", "--from", "0", "--print-offset", "--max-records", "1"));
        assertEquals("orders-0@0 old\n", out());
        assertEquals(0, run("", "consume", "orders", "--timeout-ms", "300"));
        assertEquals("", out(), "--from latest (the default) prints only what comes after it started");
    }

    @Test
    void mistakes_get_one_line_that_names_them() {
        assertEquals(2, run("no separator here\n", "produce", "orders", "--key-separator", ":"));
        assertTrue(errors.toString().contains("line 1 has no key separator ':'"), errors.toString());
        assertEquals(2, run("", "consume", "orders", "--group", "kitchen", "--from", "7"));
        assertTrue(errors.toString().contains("--from may be earliest or latest"), errors.toString());
        assertEquals(2, run("", "topics", "create", "bad/name"));
        assertTrue(errors.toString().contains("INVALID_TOPIC_EXCEPTION"), errors.toString());
        assertTrue(!errors.toString().contains("\tat "), "no stack trace: " + errors);

        front.close();
        assertEquals(2, run("", "topics"));
        assertTrue(errors.toString().contains("no broker answers at " + "http://"), errors.toString());
    }
}

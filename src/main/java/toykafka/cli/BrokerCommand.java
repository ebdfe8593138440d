package toykafka.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import toykafka.broker.Broker;
import toykafka.broker.config.BrokerConfig;
import toykafka.broker.config.Setting;
import toykafka.console.ConsoleRoutes;
import toykafka.http.HttpFrontEnd;
import toykafka.kafka.KafkaFrontEnd;

/**
 * {@code toykafka broker}: starts the broker, over HTTP and Kafka's own protocol, and runs until Ctrl-C or SIGTERM, then closes
 * every log cleanly. Its flags are the broker's settings, added from {@link BrokerConfig#settings()}.
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = {"Starts the broker: topics on disk, served over HTTP and Kafka's protocol, until Ctrl-C.",
                "Each setting comes from its flag, else its environment variable, else the properties file, else"
                        + " its default."})
final class BrokerCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE",
            description = "a properties file of settings (or the environment variable TOYKAFKA_CONFIG)")
    Path configFile;

    @Option(names = "--trace", description = "print each Kafka request and response as a line: api, version,"
            + " correlation id, topics, partitions, sizes, errors")
    boolean trace;

    @Spec
    CommandSpec spec;

    /** Adds one flag per broker setting, each described with its Kafka name, environment variable and default. */
    static void addSettings(CommandLine broker) {
        for (Setting setting : BrokerConfig.settings()) {
            broker.getCommandSpec().addOption(OptionSpec.builder(setting.flag()).paramLabel("VALUE").type(String.class)
                    .description(setting.meaning() + ". Kafka: " + setting.kafkaName() + "; env "
                            + setting.environment() + "; default "
                            + (setting.defaultValue().isEmpty() ? "empty" : setting.defaultValue()) + ".")
                    .build());
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = Main.out();
        Map<String, String> flags = new TreeMap<>();
        for (Setting setting : BrokerConfig.settings()) {
            Object value = spec.findOption(setting.flag()).getValue();
            if (value != null) {
                flags.put(setting.name(), value.toString());
            }
        }
        Map<String, String> environment = System.getenv();
        Path file = configFile != null ? configFile
                : environment.containsKey("TOYKAFKA_CONFIG") ? Path.of(environment.get("TOYKAFKA_CONFIG")) : null;
        Properties properties = file == null ? new Properties() : BrokerConfig.readFile(DumpCommand.typed(file));
        BrokerConfig config = BrokerConfig.resolve(flags, environment, properties);
        config = config.with(BrokerConfig.DATA_DIR, DumpCommand.typed(config.dataDir()).normalize());

        Broker broker = Broker.start(config, java.time.Clock.systemUTC(),
                event -> out.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + event));
        HttpFrontEnd http;
        try {
            http = HttpFrontEnd.start(broker, System.err, new ConsoleRoutes(broker));
        } catch (Exception e) {
            broker.close();
            throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.httpPort() + ": "
                    + e.getMessage() + " (choose another with --http-port, or 0 for any free port)", e);
        }
        KafkaFrontEnd kafka;
        try {
            kafka = KafkaFrontEnd.start(broker, trace, System.err);
        } catch (Exception e) {
            http.close();
            broker.close();
            throw new IllegalStateException(e.getMessage() + (e.getMessage().startsWith("cannot listen")
                    ? " (choose another with --kafka-port, or 0 for any free port)" : ""), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean closing = new AtomicBoolean();
        Runnable stop = () -> {
            if (closing.compareAndSet(false, true)) {
                out.println("toykafka broker: stopping (closing every log cleanly)");
                kafka.close();
                http.close();
                broker.close();
                out.println("toykafka broker: stopped");
                out.flush();
            }
            stopped.countDown();
        };
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "toykafka-broker-shutdown"));
        // A broker that answers HTTP with its Kafka listener gone looks healthy to a supervisor: stop it instead.
        AtomicReference<Throwable> listenerLost = new AtomicReference<>();
        kafka.stoppedListening().thenAcceptAsync(reason -> {
            listenerLost.set(reason);
            out.println("toykafka broker: the Kafka listener stopped (" + reason + "); stopping the broker, so"
                    + " whatever supervises it can start it again");
            stop.run();
        }, task -> new Thread(task, "toykafka-broker-listener-lost").start()); // not on the dying selector thread
        out.println("toykafka broker listening on " + http.address() + " (GET / lists the routes)");
        out.println("console: " + http.address() + "/console (open it in a browser to watch the logs move)");
        out.println("Kafka's protocol on " + kafka.bootstrapServers() + " (try: kcat -b " + kafka.bootstrapServers()
                + " -L)");
        for (String listener : kafka.listenerNames().subList(1, kafka.listenerNames().size())) {
            out.println("Kafka's protocol, listener " + listener + ", on " + kafka.bootstrapServers(listener));
        }
        out.println("cluster id " + broker.clusterId() + ", node id " + broker.nodeId());
        if (config.storageInMemory()) {
            out.println("storage=memory: topics, records and committed offsets live in this process only; nothing is"
                    + " written to disk and nothing survives a restart (retention and deleteRecords archive nothing)");
        } else {
            out.println("data directory: " + broker.dataDir());
            out.println("archive: " + broker.archiveDirectory());
        }
        broker.config().describe().forEach(line -> out.println("  " + line));
        out.println("Ctrl-C stops it.");
        out.flush();
        stopped.await();
        return listenerLost.get() == null ? 0 : 70; // 70: EX_SOFTWARE, an internal error
    }
}

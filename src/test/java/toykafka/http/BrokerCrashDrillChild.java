package toykafka.http;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import toykafka.broker.Broker;
import toykafka.broker.config.BrokerConfig;

/**
 * The process {@link BrokerCrashDrillTest} kills: the broker and its HTTP front end, as {@code toykafka
 * broker} starts them, in fsync-before-ack mode on the data directory given, on a free port. It prints
 * {@code listening <port>} once it serves, and its faults (if any) on standard error, then runs until killed.
 */
public final class BrokerCrashDrillChild {

    private BrokerCrashDrillChild() {
    }

    /** The broker's settings for the drill: every topic it creates fsyncs before each produce is acknowledged. */
    static BrokerConfig config(Path dataDir) {
        return BrokerConfig.of(Map.of(
                BrokerConfig.HTTP_PORT, "0",
                BrokerConfig.FLUSH_MESSAGES, "1",
                BrokerConfig.AUTO_CREATE_TOPICS, "false",
                BrokerConfig.STATS_INTERVAL_MS, "0")).with(BrokerConfig.DATA_DIR, dataDir);
    }

    public static void main(String[] args) throws Exception {
        Broker broker = Broker.start(config(Path.of(args[0])), Clock.systemUTC(), event -> { });
        HttpFrontEnd http = HttpFrontEnd.start(broker, System.err);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        out.println("listening " + http.port());
        new CountDownLatch(1).await(); // until SIGKILL: no shutdown hook, no clean close
    }
}

package toykafka.kafka;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

/**
 * What the Kafka Streams apps the tests run in JVMs of their own share ({@link StreamsWordCount},
 * {@link StreamsOrderTotals}): their settings, and a run that prints each state as Kafka Streams reaches it
 * ({@code state RUNNING} is what a test waits for) until SIGTERM, which closes the app, or SIGKILL.
 */
final class StreamsApp {

    private StreamsApp() {
    }

    /**
     * The settings: no cache, so every update goes out and the output shows a doubled one too; a commit every 100 ms;
     * on the classic protocol a killed instance noticed after 6 s, not 45 s (on the streams protocol the session is
     * the broker's to give, {@code group.streams.session.timeout.ms}, which the tests set to 6 s too); an open
     * transaction aborted after 5 s, not 10 s.
     *
     * @param groupProtocol {@code classic} or {@code streams}
     */
    static Properties settings(String bootstrap, String guarantee, String applicationId, String clientId,
                               String stateDir, String groupProtocol) {
        Properties settings = new Properties();
        settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        settings.put(StreamsConfig.CLIENT_ID_CONFIG, clientId);
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        settings.put(StreamsConfig.GROUP_PROTOCOL_CONFIG, groupProtocol);
        settings.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        settings.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        settings.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6000);
        settings.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1000);
        settings.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), 5000);
        return settings;
    }

    /**
     * Runs the topology until SIGTERM (a hook closes it) or SIGKILL; an uncaught error stops the client, and the
     * JVM with it, so a test sees the app gone rather than waiting on one that does nothing.
     */
    static void run(Topology topology, Properties settings) throws InterruptedException {
        KafkaStreams streams = new KafkaStreams(topology, settings);
        streams.setStateListener((now, before) -> {
            System.out.println("state " + now);
            if (now == KafkaStreams.State.ERROR) {
                System.out.flush();
                System.err.flush();
                Runtime.getRuntime().halt(1);
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            e.printStackTrace();
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> streams.close(Duration.ofSeconds(20))));
        streams.start();
        Thread.currentThread().join();
    }
}

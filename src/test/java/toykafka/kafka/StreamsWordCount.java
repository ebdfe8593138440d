package toykafka.kafka;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * A Kafka Streams word count, run in a JVM of its own with Kafka Streams 4.4 (so that a test can kill it): each
 * record of the input topic is one word; every new count of a word goes to the output topic, keyed by the word.
 * The words are regrouped through a repartition topic and counted in a store backed by a changelog topic, so a
 * commit spans the output, the repartition and changelog topics and the group's offsets.
 *
 * <p>Arguments: bootstrap servers, processing guarantee ({@code exactly_once_v2} or {@code at_least_once}),
 * application id, client id (its clients' ids begin with it), state directory, input topic, output topic, and
 * optionally the group protocol ({@code classic}, the default, or {@code streams} for KIP-1071's streams groups). It
 * prints {@code state RUNNING} (and each other state) as Kafka Streams reaches it, and runs until SIGTERM, which
 * closes it, or SIGKILL.
 */
public final class StreamsWordCount {

    private StreamsWordCount() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 7 && args.length != 8) {
            System.err.println("usage: StreamsWordCount BOOTSTRAP GUARANTEE APPLICATION_ID CLIENT_ID STATE_DIR INPUT"
                    + " OUTPUT [GROUP_PROTOCOL]");
            System.exit(2);
        }
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(args[5], Consumed.with(Serdes.String(), Serdes.String()))
                .groupBy((key, word) -> word, Grouped.with(Serdes.String(), Serdes.String()))
                .count(Materialized.<String, Long>as(Stores.inMemoryKeyValueStore("counts"))
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
                .toStream()
                .to(args[6], Produced.with(Serdes.String(), Serdes.Long()));

        KafkaStreams streams = new KafkaStreams(builder.build(), settings(args));
        streams.setStateListener((now, before) -> System.out.println("state " + now));
        streams.setUncaughtExceptionHandler(e -> {
            e.printStackTrace();
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                    .SHUTDOWN_CLIENT;
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> streams.close(Duration.ofSeconds(20))));
        streams.start();
        Thread.currentThread().join(); // until SIGTERM (the hook closes it) or SIGKILL
    }

    private static Properties settings(String[] args) {
        Properties settings = new Properties();
        settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        settings.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, args[1]);
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, args[2]);
        settings.put(StreamsConfig.CLIENT_ID_CONFIG, args[3]);
        settings.put(StreamsConfig.STATE_DIR_CONFIG, args[4]);
        // classic or streams; with streams the session timeout is the group's (streams.session.timeout.ms)
        settings.put(StreamsConfig.GROUP_PROTOCOL_CONFIG, args.length == 8 ? args[7] : "classic");
        // No cache: every count goes out, so the output shows each update, a doubled one too.
        settings.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        settings.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        // A killed instance is noticed after 6 s (the broker's shortest session), not the default 45 s, and its
        // open transaction aborted after 5 s, not 10 s.
        settings.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6000);
        settings.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1000);
        settings.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), 5000);
        return settings;
    }
}

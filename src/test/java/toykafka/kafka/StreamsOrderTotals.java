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
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * A Kafka Streams 4.4 app of a stream–table join and an aggregation in a state store, run in a JVM of
 * its own so that a test can kill it: each order (key: customer id, value: an amount in cents) is joined with its
 * customer's region from a table of customers, regrouped by region through a repartition topic, and summed; every
 * new total goes to the output topic keyed by region. The table, the regrouping and the store each bring topics the
 * broker must create, and a survivor of a kill rebuilds the store from its changelog (in memory, as RocksDB's native
 * code is left out of the tests' class path).
 *
 * <p>Arguments: bootstrap servers, processing guarantee, group protocol ({@code classic} or {@code streams}),
 * application id, client id, state directory, customers topic, orders topic, output topic. It prints
 * {@code state RUNNING} (and each other state) as Kafka Streams reaches it, and runs until SIGTERM or SIGKILL.
 */
public final class StreamsOrderTotals {

    private StreamsOrderTotals() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 9) {
            System.err.println("usage: StreamsOrderTotals BOOTSTRAP GUARANTEE GROUP_PROTOCOL APPLICATION_ID CLIENT_ID"
                    + " STATE_DIR CUSTOMERS ORDERS OUTPUT");
            System.exit(2);
        }
        StreamsBuilder builder = new StreamsBuilder();
        KTable<String, String> regions = builder.table(args[6], Consumed.with(Serdes.String(), Serdes.String()),
                Materialized.<String, String>as(Stores.inMemoryKeyValueStore("regions"))
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.String()));
        builder.stream(args[7], Consumed.with(Serdes.String(), Serdes.Long()))
                .join(regions, (cents, region) -> region + "=" + cents)
                .groupBy((customer, regionAndCents) -> regionAndCents.substring(0, regionAndCents.indexOf('=')),
                        Grouped.with(Serdes.String(), Serdes.String()))
                .aggregate(() -> 0L,
                        (region, regionAndCents, total) -> total
                                + Long.parseLong(regionAndCents.substring(regionAndCents.indexOf('=') + 1)),
                        Materialized.<String, Long>as(Stores.inMemoryKeyValueStore("totals"))
                                .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
                .toStream()
                .to(args[8], Produced.with(Serdes.String(), Serdes.Long()));

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
        settings.put(StreamsConfig.GROUP_PROTOCOL_CONFIG, args[2]);
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, args[3]);
        settings.put(StreamsConfig.CLIENT_ID_CONFIG, args[4]);
        settings.put(StreamsConfig.STATE_DIR_CONFIG, args[5]);
        // No cache: every total goes out, so the output shows each step of the sum, a doubled one too.
        settings.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        settings.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        // A killed instance of the classic protocol is noticed after 6 s, not 45 s (a streams group takes its
        // session timeout from the group's config instead), and its open transaction is aborted after 5 s.
        settings.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6000);
        settings.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1000);
        settings.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), 5000);
        return settings;
    }
}

package toykafka.kafka;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
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
 * broker must create, and a survivor of a kill rebuilds the store, kept in memory, from its changelog.
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

        StreamsApp.run(builder.build(), StreamsApp.settings(args[0], args[1], args[3], args[4], args[5], args[2]));
    }
}

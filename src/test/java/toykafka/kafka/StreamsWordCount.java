package toykafka.kafka;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KTable;
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
 * optionally the group protocol ({@code classic}, the default, or {@code streams} for KIP-1071's streams groups) and
 * the store ({@code in-memory}, the default, or {@code default}: the DSL's own, RocksDB on disk). It
 * prints {@code state RUNNING} (and each other state) as Kafka Streams reaches it, and runs until SIGTERM, which
 * closes it, or SIGKILL.
 */
public final class StreamsWordCount {

    private StreamsWordCount() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 7 || args.length > 9) {
            System.err.println("usage: StreamsWordCount BOOTSTRAP GUARANTEE APPLICATION_ID CLIENT_ID STATE_DIR INPUT"
                    + " OUTPUT [GROUP_PROTOCOL [in-memory|default]]");
            System.exit(2);
        }
        boolean inMemory = args.length < 9 || args[8].equals("in-memory");
        StreamsBuilder builder = new StreamsBuilder();
        KGroupedStream<String, String> words = builder.stream(args[5], Consumed.with(Serdes.String(), Serdes.String()))
                .groupBy((key, word) -> word, Grouped.with(Serdes.String(), Serdes.String()));
        KTable<String, Long> counts = inMemory
                ? words.count(Materialized.<String, Long>as(Stores.inMemoryKeyValueStore("counts"))
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
                : words.count(); // what a learner's own app gets: RocksDB, which needs rocksdbjni on the class path
        counts.toStream()
                .to(args[6], Produced.with(Serdes.String(), Serdes.Long()));

        StreamsApp.run(builder.build(), StreamsApp.settings(args[0], args[1], args[2], args[3], args[4],
                args.length >= 8 ? args[7] : "classic"));
    }
}

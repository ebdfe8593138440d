package toykafka.headtohead;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * What TLS and SASL cost: the produce and consume of the plaintext row of 1 partition, 1 KiB, acks=1, again over
 * each broker's SSL listener and its SASL_SSL one with a SCRAM-SHA-512 user ({@link SecuredListeners}), the same
 * clients with the same settings but for the listener's. The rows follow the plaintext row in the report, so a reader
 * sees each broker's cost beside it. Every client opens its own connections, so each run pays its TLS handshakes and
 * SCRAM logins, as a client that starts does; they are off the clock, which starts at the first send or poll.
 */
final class SecuredRows {

    private static final int VALUE_BYTES = 1024;
    private static final String SHAPE = "1 partition, 1 KiB, acks=1";

    private final Alternation rows;
    private final SecuredListeners secured;
    private final int records;
    private final AtomicInteger topics = new AtomicInteger();

    SecuredRows(Alternation rows, SecuredListeners secured, int megabytes) {
        this.rows = rows;
        this.secured = secured;
        this.records = (int) Math.max(1, (long) megabytes * 1_000_000 / VALUE_BYTES);
    }

    /**
     * A produce and a consume of a row's records over each secured listener of each broker, measured by nobody, so
     * the first row and broker measured do not pay alone for the JIT's work on the client's TLS and SCRAM code.
     */
    void warmUp(ContenderBroker broker) {
        for (String protocol : List.of(SecuredListeners.SSL, SecuredListeners.SASL_SSL)) {
            run(broker, protocol, (topic, load) -> {
                load.produce(topic, 1, records, VALUE_BYTES, "1", 1);
                load.consume(topic, 1);
            });
        }
    }

    void measure(ContenderBroker ours, ContenderBroker kafka, BrokerCpu cpu) {
        for (String protocol : List.of(SecuredListeners.SSL, SecuredListeners.SASL_SSL)) {
            String name = "over " + SecuredListeners.label(protocol) + ", " + SHAPE;
            List<HeadToHeadLoad.Figures[]> runs = rows.compare(ours, kafka, broker -> {
                HeadToHeadLoad.Figures[] figures = new HeadToHeadLoad.Figures[2];
                run(broker, protocol, (topic, load) -> {
                    figures[0] = cpu.timed("produce " + name, broker,
                            () -> load.produce(topic, 1, records, VALUE_BYTES, "1", 1));
                    figures[1] = cpu.timed("consume " + name, broker, () -> load.consume(topic, 1));
                });
                return figures;
            });
            rows.addThroughput("produce " + name, Alternation.pick(runs, 0), true);
            rows.addThroughput("consume " + name, Alternation.pick(runs, 1), false);
        }
    }

    /** Makes a topic of one partition over the listener, hands it to {@code work}, and deletes it after. */
    private void run(ContenderBroker broker, String protocol, BiConsumer<String, HeadToHeadLoad> work) {
        Map<String, Object> client = secured.client(protocol, broker.bootstrapServers(protocol));
        HeadToHeadLoad load = new HeadToHeadLoad(client);
        String topic = "secured-" + protocol.toLowerCase(Locale.ROOT) + "-" + topics.incrementAndGet();
        load.createTopic(topic, 1, Map.of());
        work.accept(topic, load);
        load.deleteTopic(topic);
    }
}

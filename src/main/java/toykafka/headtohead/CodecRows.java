package toykafka.headtohead;

import java.util.List;
import java.util.Map;

/**
 * The rows where the broker's processor matters most: batches compressed by the producer with each of Kafka's
 * codecs (the topic keeps {@code compression.type=producer}, so neither broker compresses again, but both open
 * every batch to check its records), then read back by a consumer that decompresses them; and one record a
 * request, where what a broker spends per request is the whole cost.
 */
final class CodecRows {

    private static final List<String> CODECS = List.of("lz4", "zstd", "snappy", "gzip");
    private static final int PARTITIONS = 8;
    private static final int VALUE_BYTES = 1024;

    private final Alternation rows;
    private final int megabytes;
    private final int oneAtATime;
    private int topics;

    /**
     * @param megabytes  of values each codec's produce run sends
     * @param oneAtATime how many records the run of one record a request sends
     */
    CodecRows(Alternation rows, int megabytes, int oneAtATime) {
        this.rows = rows;
        this.megabytes = megabytes;
        this.oneAtATime = oneAtATime;
    }

    void measure(ContenderBroker ours, ContenderBroker kafka, BrokerCpu cpu) {
        int records = (int) Math.max(1, (long) megabytes * 1_000_000 / VALUE_BYTES);
        for (String codec : CODECS) {
            for (ContenderBroker broker : List.of(ours, kafka)) { // off the clock: the client's codec compiled first
                HeadToHeadLoad load = new HeadToHeadLoad(broker.bootstrapServers()).compressedWith(codec);
                String topic = "codec-warm-up-" + (++topics);
                load.createTopic(topic, PARTITIONS, Map.of());
                load.produce(topic, PARTITIONS, Math.max(1, records / 5), VALUE_BYTES, "1", 1);
                load.consume(topic, PARTITIONS);
                load.deleteTopic(topic);
            }
            List<HeadToHeadLoad.Figures[]> runs = rows.compare(ours, kafka, broker -> {
                HeadToHeadLoad load = new HeadToHeadLoad(broker.bootstrapServers()).compressedWith(codec);
                String topic = "codec-" + (++topics);
                load.createTopic(topic, PARTITIONS, Map.of());
                HeadToHeadLoad.Figures produced = cpu.timed("produce " + name(codec), broker,
                        () -> load.produce(topic, PARTITIONS, records, VALUE_BYTES, "1", 1));
                HeadToHeadLoad.Figures consumed = cpu.timed("consume " + name(codec), broker,
                        () -> load.consume(topic, PARTITIONS));
                load.deleteTopic(topic);
                return new HeadToHeadLoad.Figures[] {produced, consumed};
            });
            rows.addThroughput("produce " + name(codec), Alternation.pick(runs, 0), true);
            rows.addThroughput("consume " + name(codec), Alternation.pick(runs, 1), false);
        }
        List<HeadToHeadLoad.Figures[]> runs = rows.compare(ours, kafka, broker -> {
            HeadToHeadLoad load = new HeadToHeadLoad(broker.bootstrapServers());
            String topic = "one-at-a-time-" + (++topics);
            load.createTopic(topic, 1, Map.of());
            HeadToHeadLoad.Figures produced = load.produceOneAtATime(topic, oneAtATime, 100);
            load.deleteTopic(topic);
            return new HeadToHeadLoad.Figures[] {produced};
        });
        rows.addThroughput("produce one record a request (linger.ms=0, each send waited for), 100 B, acks=1",
                Alternation.pick(runs, 0), true);
    }

    private static String name(String codec) {
        return codec + ", " + PARTITIONS + " partitions, 1 KiB orders as JSON, acks=1";
    }
}

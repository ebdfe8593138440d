package toykafka.headtohead;

import java.util.List;
import java.util.Map;

/**
 * Share groups (KIP-932) on both brokers: one partition of 100 B records read by a share group of 1, 4 and 8 Kafka
 * share consumers, each record accepted one by one, where a consumer group could give the partition to one member
 * only; and beside them a consumer group of one reading the same records, the cost of handing out records rather
 * than a partition.
 */
final class ShareGroupRows {

    private static final List<Integer> MEMBERS = List.of(1, 4, 8);
    private static final int VALUE_BYTES = 100;

    private final Alternation rows;
    private final int records;
    private int topics;

    /** @param megabytes the run's size setting: a share group reads 2,000 records a megabyte, at most 200,000 */
    ShareGroupRows(Alternation rows, int megabytes) {
        this.rows = rows;
        this.records = (int) Math.min(200_000, Math.max(1_000, 2_000L * megabytes));
    }

    void measure(ContenderBroker ours, ContenderBroker kafka) {
        List<HeadToHeadLoad.Figures[]> runs = rows.compare(ours, kafka, broker -> {
            HeadToHeadLoad load = new HeadToHeadLoad(broker.bootstrapServers());
            String topic = "share-" + (++topics);
            load.createTopic(topic, 1, Map.of());
            load.produce(topic, 1, records, VALUE_BYTES, "1", 1);
            HeadToHeadLoad.Figures[] figures = new HeadToHeadLoad.Figures[MEMBERS.size() + 1];
            for (int i = 0; i < MEMBERS.size(); i++) {
                figures[i] = new ShareConsumerLoad(broker.bootstrapServers()).read(topic, topic + "-share-" + i,
                        MEMBERS.get(i), records);
            }
            figures[MEMBERS.size()] = load.consumeAsGroup(topic, 1, 1);
            load.deleteTopic(topic);
            return figures;
        });
        for (int i = 0; i < MEMBERS.size(); i++) {
            rows.addThroughput("share group of " + MEMBERS.get(i) + ", 1 partition, 100 B, each record accepted",
                    Alternation.pick(runs, i), false);
        }
        rows.addThroughput("beside them: a consumer group of 1 reading the same partition", Alternation.pick(runs,
                MEMBERS.size()), false);
    }
}

package toykafka.lesson04;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import toykafka.clock.ManualClock;
import toykafka.narration.Narrator;
import toykafka.lesson02.EventAt;
import toykafka.common.OffsetReset;
import toykafka.lesson02.PollingConsumer;
import toykafka.common.Header;
import toykafka.common.Record;
import toykafka.common.RecordMetadata;

/** Lesson 4, narrated: records, named topics with config, partitions, partitioners, and where order holds. */
public final class Lesson04Demo {

    private static final Instant OPENING = Instant.parse("2024-05-17T11:30:00Z");

    public static void main(String[] args) {
        narrate(Narrator.toStandardOut());
    }

    public static void narrate(Narrator story) {
        story.title("Lesson 4: topics and partitions");
        ManualClock clock = new ManualClock(OPENING);

        story.say("An event is now a record: a key, a value, a timestamp and headers. Key and value are bytes;"
                + " this value happens to be JSON text.");
        Record order = Record.of("till-1", "{\"order\":271,\"parts\":[[\"cod\",\"chips\"],[\"chips\",\"chips\"]]}",
                clock.instant()).withHeaders(List.of(Header.of("till", "1")));
        story.show("record", order);
        story.show("record.sizeInBytes()", order.sizeInBytes());

        story.say("Topics are named streams. This broker creates topics only when asked (auto.create.topics.enable=false).");
        TopicRegistry topics = new TopicRegistry(BrokerSettings.STRICT, clock);
        story.show("createTopic(\"orders\", 3)", topics.createTopic("orders", 3));
        story.show("createTopic(\"ready\", 1)", topics.createTopic("ready", 1));
        story.show("listTopics()", topics.listTopics());
        story.show("describeTopic(\"orders\")", topics.describeTopic("orders"));

        story.say("Names follow Kafka's rule: 1 to 249 of a-z, A-Z, 0-9, '.', '_' and '-'.");
        refuse(story, "createTopic(\"fish & chips\", 1)", () -> topics.createTopic("fish & chips", 1));
        refuse(story, "createTopic(\"..\", 1)", () -> topics.createTopic("..", 1));
        story.predict("someone creates \"orders\" again. A second topic, a merge, or an error?");
        refuse(story, "createTopic(\"orders\", 3)", () -> topics.createTopic("orders", 3));
        story.show("createTopic(\"orders\", 3, RENAME)", topics.createTopic("orders", 3, OnDuplicate.RENAME));
        topics.deleteTopic("orders__0");
        story.show("after deleteTopic(\"orders__0\"): listTopics()", topics.listTopics());

        story.say("Config comes in two shapes. A patch changes only the keys it names.");
        topics.patchConfig("orders", Map.of("retention.ms", "86400000", "cleanup.policy", "delete"));
        story.show("patchConfig(orders, retention.ms=86400000, cleanup.policy=delete)", topics.describeTopic("orders"));
        story.predict("a replace that names only message.timestamp.type. What is retention.ms afterwards?");
        topics.replaceConfig("orders", Map.of("message.timestamp.type", "LogAppendTime"));
        story.show("replaceConfig(orders, message.timestamp.type=LogAppendTime)", topics.describeTopic("orders"));
        story.show("retention.ms", topics.describeTopic("orders").config("retention.ms"));
        refuse(story, "patchConfig(orders, retention.hours=24)",
                () -> topics.patchConfig("orders", Map.of("retention.hours", "24")));
        refuse(story, "patchConfig(orders, retention.ms=a week)",
                () -> topics.patchConfig("orders", Map.of("retention.ms", "a week")));
        topics.replaceConfig("orders", Map.of());

        story.say("A till with a typo writes to \"oders\". This broker refuses; one on Kafka's defaults creates it.");
        refuse(story, "append(\"oders\", 0, record)", () -> topics.append("oders", 0, order));
        TopicRegistry lenient = new TopicRegistry(BrokerSettings.KAFKA_DEFAULTS, clock);
        lenient.createTopic("orders", 3);
        story.show("on Kafka's defaults: append(\"oders\", 0, record)", lenient.append("oders", 0, order));
        story.show("listTopics()", lenient.listTopics());

        story.say("A producer with no key to go by deals records round-robin over the partitions.");
        TopicProducer dealer = new TopicProducer(topics, new RoundRobinPartitioner());
        List<RecordMetadata> dealt = new ArrayList<>();
        for (String food : List.of("cod", "chips", "peas", "pie", "plaice", "gravy")) {
            dealt.add(dealer.send("orders", Record.of(null, food, clock.instant())));
        }
        story.show("six keyless sends went to", dealt);
        story.say("With a key, Kafka's partitioner hashes it: murmur2(key), sign bit cleared, modulo the partition"
                + " count. The same key always lands in the same partition, the one real Kafka would choose.");
        for (String till : List.of("till-1", "till-2", "till-3")) {
            byte[] key = till.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            story.show("murmur2(\"" + till + "\") = " + Murmur2.hash(key) + "; partition of 3",
                    KeyHashPartitioner.partitionForKey(key, 3));
        }

        story.say("Three tills, three partitions, one preparer. Orders 271 to 279 are keyed by till.");
        topics.deleteTopic("orders");
        topics.createTopic("orders", 3);
        TopicProducer tills = new TopicProducer(topics, new KeyHashPartitioner());
        String[] placedBy = {"till-1", "till-2", "till-1", "till-3", "till-2", "till-1", "till-3", "till-3", "till-2"};
        List<String> placed = new ArrayList<>();
        for (int i = 0; i < placedBy.length; i++) {
            clock.advance(Duration.ofSeconds(20));
            String name = (271 + i) + "/" + placedBy[i];
            tills.send("orders", Record.of(placedBy[i], name, clock.instant()));
            placed.add(name);
        }
        story.show("placed", placed);
        for (int p = 0; p < 3; p++) {
            story.show("orders-" + p, texts(topics, p));
        }
        story.predict("the preparer takes up to 2 orders from each partition in turn. In what order does it"
                + " prepare them?");
        story.show("prepared", prepareInTurn(topics));
        story.say("Each till's orders came out in the order that till placed them. Across tills they did not:"
                + " 274 was prepared before 271. Order holds within a partition, never across partitions.");
    }

    // tag::preparer[]
    /** One reader of all partitions: lesson 2's consumer on each, polled in turn until all are drained. */
    static List<String> prepareInTurn(Topics topics) {
        int partitions = topics.partitionsFor("orders");
        List<PollingConsumer<Record>> readers = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            readers.add(new PollingConsumer<>(topics.log("orders", p), OffsetReset.EARLIEST, 2));
        }
        List<String> prepared = new ArrayList<>();
        boolean anything = true;
        while (anything) {
            anything = false;
            for (PollingConsumer<Record> reader : readers) {
                for (EventAt<Record> event : reader.poll()) {
                    prepared.add(event.event().valueText());
                    anything = true;
                }
            }
        }
        return prepared;
    }
    // end::preparer[]

    private static List<String> texts(Topics topics, int partition) {
        var log = topics.log("orders", partition);
        List<String> texts = new ArrayList<>();
        for (long offset = log.earliest(); offset < log.endOffset(); offset++) {
            texts.add(log.read(offset).valueText());
        }
        return texts;
    }

    private static void refuse(Narrator story, String what, Runnable action) {
        try {
            action.run();
            story.show(what, "(accepted)");
        } catch (RuntimeException refusal) {
            story.showRefusal(what, refusal);
        }
    }

    private Lesson04Demo() {
    }
}

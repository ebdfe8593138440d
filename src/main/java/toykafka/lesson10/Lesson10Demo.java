package toykafka.lesson10;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import toykafka.broker.Broker;
import toykafka.broker.config.BrokerConfig;
import toykafka.client.HttpConsumer;
import toykafka.client.HttpProducer;
import toykafka.common.OffsetReset;
import toykafka.common.Record;
import toykafka.http.HttpFrontEnd;
import toykafka.lesson04.KeyHashPartitioner;
import toykafka.lesson05.ConsumerRecord;
import toykafka.narration.Narrator;
import toykafka.narration.Telling;

/**
 * Lesson 10, narrated: a fish-and-chips shop on the broker. Three tills send orders with the client
 * library's producer, the kitchen reads them as a consumer group of two, and the broker is stopped and
 * started again mid-service. The topic is made, and the refusals shown, with plain HTTP: under the
 * client library, that is all there is.
 */
public final class Lesson10Demo {

    private static final Path DATA = Path.of("data", "generated", "10-broker");
    private static final String TOPICS = "/v3/clusters/toykafka/topics";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[][] ORDERS = {
            {"cod", "chips"}, {"haddock", "mushy peas"}, {"plaice", "chips"}, {"pie", "curry sauce"},
            {"scampi", "chips"}, {"cod", "chips"}, {"fishcake", "peas"}, {"saveloy", "chips"}, {"cod", "curry sauce"}};

    private Lesson10Demo() {
    }

    public static void main(String[] args) {
        narrate(Narrator.toStandardOut());
    }

    public static void narrate(Narrator story) {
        Telling.runAfresh(story, 10, "the broker", DATA, () -> tell(story));
    }

    private static void tell(Narrator story) throws IOException {
        // fsync before every acknowledgement, so the story is the same every run, and a fixed cluster id,
        // which every v3 reply names (a new data directory otherwise gets a random one)
        BrokerConfig config = DemoBroker.config(DATA, Map.of(BrokerConfig.FLUSH_MESSAGES, "1",
                BrokerConfig.CLUSTER_ID, "toykafka-lesson-9-kitA"));
        Running shop = Running.start(config);

        story.say("One process keeps every topic in " + DATA + " and answers HTTP. First, a topic for the"
                + " orders, with a partition for each of the three tills, made with a plain request as curl sends it:");
        show(story, "POST " + TOPICS, shop.http().post(TOPICS, "{\"topic_name\":\"orders\",\"partitions_count\":3}"));

        story.say("Each till is a producer, the client library's HttpProducer. It keys each order by the till and"
                + " picks the partition from the key (murmur2, as Kafka's producer does), so a till's orders stay in"
                + " order in one partition.");
        Map<String, HttpProducer> tills = openTills(shop.address());
        for (int order = 271; order < 277; order++) {
            sendOrder(story, tills, order);
        }

        story.say("The kitchen is a consumer group of two, the fryer and the counter, each an HttpConsumer. They"
                + " join, and the broker shares the partitions between them.");
        HttpConsumer fryer = join(shop.address(), "fryer");
        HttpConsumer counter = join(shop.address(), "counter");
        story.show("fryer owns", fryer.assignment());
        story.show("counter owns", counter.assignment());

        List<String> prepared = new ArrayList<>();
        prepare(story, "fryer", fryer, prepared);
        fryer.commitSync();
        // what commitSync wrote, read back with a plain GET
        show(story, "fryer commits", shop.http().get("/consumers/kitchen/instances/fryer/offsets"));
        prepare(story, "counter", counter, prepared);
        story.say("The counter has prepared its orders but not yet committed them when the broker stops.");

        story.predict("the broker restarts. Which orders does the kitchen see again, and is any order lost?");
        shop.close();
        closeAll(tills.values(), List.of(fryer, counter)); // their broker is gone: they only stop their threads
        shop = Running.start(config);
        story.say("The broker started again on the same directory: the topics, every record and the committed"
                + " offsets were on disk (it replayed __consumer_offsets). The members were not: they join again."
                + " (It listens on a new port here, so the tills connect again too.)");
        fryer = join(shop.address(), "fryer");
        counter = join(shop.address(), "counter");
        tills = openTills(shop.address());
        for (int order = 277; order < 280; order++) {
            sendOrder(story, tills, order);
        }
        prepare(story, "fryer", fryer, prepared);
        prepare(story, "counter", counter, prepared);
        fryer.commitSync();
        counter.commitSync();

        TreeMap<String, Integer> times = new TreeMap<>();
        prepared.forEach(order -> times.merge(order, 1, Integer::sum));
        story.show("orders prepared", times.keySet());
        story.show("prepared twice", times.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList());
        story.say("Every order reached the kitchen; the counter's uncommitted ones came again after the restart."
                + " That is at-least-once delivery: commit after the work, and a crash repeats the work, never skips it.");

        story.say("A bad request changes nothing and says what is wrong, with Kafka's name for it. Plain requests"
                + " show the broker's answers as the client library receives them:");
        show(story, "partition 7", shop.http().post(TOPICS + "/orders/records", "{\"partition_id\":7,\"value\":\"chips\"}"));
        show(story, "offset 99", shop.http().get("/topics/orders/partitions/0/records?offset=99"));

        story.show("data directory", listing(DATA));
        closeAll(tills.values(), List.of(fryer, counter));
        shop.close();
    }

    /** A producer for each till; each waits for no other order to share its request. */
    private static Map<String, HttpProducer> openTills(String address) {
        Map<String, HttpProducer> tills = new TreeMap<>();
        for (int till = 1; till <= 3; till++) {
            tills.put("till-" + till, new HttpProducer(address, "orders", 100, Duration.ZERO));
        }
        return tills;
    }

    private static void sendOrder(Narrator story, Map<String, HttpProducer> tills, int order) {
        String till = "till-" + (order % 3 + 1);
        String[] parts = ORDERS[order - 271];
        Record record = Record.of(till, "{\"order\":" + order + ",\"parts\":[[\"" + parts[0] + "\",\"" + parts[1] + "\"]]}",
                Instant.ofEpochMilli(1_700_000_000_000L + order));
        HttpProducer producer = tills.get(till);
        int partition = KeyHashPartitioner.partitionForKey(record.key(), producer.partitions());
        long offset = producer.send(partition, record).join(); // acknowledged: on disk, with flush.messages=1
        story.show(till + " order " + order, "orders-" + partition + " offset " + offset);
    }

    /** A member of the kitchen group that starts at the earliest order, with heartbeats while it cooks. */
    private static HttpConsumer join(String address, String name) {
        return new HttpConsumer(address, "kitchen", name, OffsetReset.EARLIEST, Set.of("orders"), Duration.ofSeconds(1));
    }

    private static void prepare(Narrator story, String who, HttpConsumer member, List<String> prepared) throws IOException {
        List<String> orders = new ArrayList<>();
        for (ConsumerRecord record : member.poll(Duration.ZERO)) {
            String order = JSON.readTree(record.record().valueText()).get("order").asText();
            orders.add(order + " (" + record.partition() + "@" + record.offset() + ")");
            prepared.add(order);
        }
        story.show(who + " prepares", orders);
    }

    private static void closeAll(Iterable<HttpProducer> tills, List<HttpConsumer> kitchen) {
        tills.forEach(HttpProducer::close);
        kitchen.forEach(HttpConsumer::close);
    }

    private static void show(Narrator story, String what, Http.Reply reply) {
        story.show(what, reply);
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName() + (Files.isDirectory(file) ? "/" : "")).sorted().toList();
        }
    }

    /** The broker and its HTTP front end, started together and stopped together. */
    private record Running(Broker broker, HttpFrontEnd front, Http http) implements AutoCloseable {
        static Running start(BrokerConfig config) throws IOException {
            Broker broker = Broker.start(config);
            HttpFrontEnd front = HttpFrontEnd.start(broker, new PrintStream(System.err, true));
            return new Running(broker, front, new Http(front.address()));
        }

        String address() {
            return front.address();
        }

        @Override
        public void close() {
            front.close();
            broker.close();
        }
    }
}

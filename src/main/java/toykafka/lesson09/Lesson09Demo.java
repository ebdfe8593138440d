package toykafka.lesson09;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import toykafka.broker.Broker;
import toykafka.broker.BrokerConfig;
import toykafka.http.HttpFrontEnd;
import toykafka.narration.Narrator;

/**
 * Lesson 9, narrated: a fish-and-chips shop on the broker. Three tills send orders over HTTP, the kitchen
 * reads them as a consumer group, and the broker is stopped and started again mid-service.
 */
public final class Lesson09Demo {

    private static final Path DATA = Path.of("data", "generated", "09-broker");
    private static final String TOPICS = "/v3/clusters/toykafka/topics";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[][] ORDERS = {
            {"cod", "chips"}, {"haddock", "mushy peas"}, {"plaice", "chips"}, {"pie", "curry sauce"},
            {"scampi", "chips"}, {"cod", "chips"}, {"fishcake", "peas"}, {"saveloy", "chips"}, {"cod", "curry sauce"}};

    private Lesson09Demo() {
    }

    public static void main(String[] args) {
        narrate(Narrator.toStandardOut());
    }

    public static void narrate(Narrator story) {
        try {
            tell(story);
        } catch (IOException e) {
            throw new UncheckedIOException("the lesson 9 demo could not use " + DATA + ": " + e.getMessage(), e);
        }
    }

    private static void tell(Narrator story) throws IOException {
        story.title("Lesson 9: the broker");
        deleteTree(DATA);
        // fsync before every acknowledgement, and no statistics timer, so the story is the same every run
        BrokerConfig config = BrokerConfig.of(Map.of(BrokerConfig.HTTP_PORT, "0", BrokerConfig.FLUSH_MESSAGES, "1",
                BrokerConfig.STATS_INTERVAL_MS, "0")).with(BrokerConfig.DATA_DIR, DATA.toAbsolutePath());
        Running shop = Running.start(config);
        Http http = shop.http;

        story.say("One process keeps every topic in " + DATA + " and answers HTTP. First, a topic for the"
                + " orders, with a partition for each of the three tills:");
        show(story, "POST " + TOPICS, http.post(TOPICS, "{\"topic_name\":\"orders\",\"partitions_count\":3}"));

        story.say("Each till sends its orders keyed by the till, so a till's orders stay in order in one"
                + " partition (murmur2 of the key, as Kafka's default partitioner).");
        for (int order = 271; order < 277; order++) {
            sendOrder(story, http, order);
        }

        story.say("The kitchen is a consumer group of two: the fryer and the counter. They join, and the broker"
                + " shares the partitions between them.");
        String fryer = join(http, "fryer");
        String counter = join(http, "counter");
        show(story, "fryer owns", http.get(fryer + "/assignments"));
        show(story, "counter owns", http.get(counter + "/assignments"));

        List<String> prepared = new ArrayList<>();
        prepare(story, http, "fryer", fryer, prepared);
        show(story, "fryer commits", http.post(fryer + "/offsets", ""));
        prepare(story, http, "counter", counter, prepared);
        story.say("The counter has prepared its orders but not yet committed them when the broker stops.");

        story.predict("the broker restarts. Which orders does the kitchen see again, and is any order lost?");
        shop.close();
        shop = Running.start(config);
        http = shop.http;
        story.say("The broker started again on the same directory: the topics, every record and the committed"
                + " offsets were on disk (it replayed __consumer_offsets). The members were not: they join again.");
        fryer = join(http, "fryer");
        counter = join(http, "counter");
        for (int order = 277; order < 280; order++) {
            sendOrder(story, http, order);
        }
        prepare(story, http, "fryer", fryer, prepared);
        prepare(story, http, "counter", counter, prepared);
        http.post(fryer + "/offsets", "");
        http.post(counter + "/offsets", "");

        TreeMap<String, Integer> times = new TreeMap<>();
        prepared.forEach(order -> times.merge(order, 1, Integer::sum));
        story.show("orders prepared", times.keySet());
        story.show("prepared twice", times.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList());
        story.say("Every order reached the kitchen; the counter's uncommitted ones came again after the restart."
                + " That is at-least-once delivery: commit after the work, and a crash repeats the work, never skips it.");

        story.say("A bad request changes nothing and says what is wrong, with Kafka's name for it:");
        show(story, "partition 7", http.post(TOPICS + "/orders/records", "{\"partition_id\":7,\"value\":\"chips\"}"));
        show(story, "offset 99", http.get("/topics/orders/partitions/0/records?offset=99"));

        story.show("data directory", listing(DATA));
        shop.close();
    }

    private static void sendOrder(Narrator story, Http http, int order) throws IOException {
        String till = "till-" + (order % 3 + 1);
        String[] parts = ORDERS[order - 271];
        String body = "{\"key\":\"" + till + "\",\"value\":{\"type\":\"JSON\",\"data\":{\"order\":" + order
                + ",\"parts\":[[\"" + parts[0] + "\",\"" + parts[1] + "\"]]}},\"timestamp\":" + (1_700_000_000_000L + order) + "}";
        JsonNode reply = JSON.readTree(http.post(TOPICS + "/orders/records", body).body());
        story.show(till + " order " + order, "orders-" + reply.get("partition_id").asInt() + " offset " + reply.get("offset").asLong());
    }

    /** Creates a kitchen member that starts at the earliest order, subscribes it, and returns its path. */
    private static String join(Http http, String name) {
        http.post("/consumers/kitchen", "{\"name\":\"" + name + "\",\"auto.offset.reset\":\"earliest\"}");
        String member = "/consumers/kitchen/instances/" + name;
        http.post(member + "/subscription", "{\"topics\":[\"orders\"]}");
        return member;
    }

    private static void prepare(Narrator story, Http http, String who, String member, List<String> prepared) throws IOException {
        JsonNode records = JSON.readTree(http.get(member + "/records?timeout=0&max_records=100").body());
        List<String> orders = new ArrayList<>();
        for (JsonNode record : records) {
            String order = JSON.readTree(record.get("value").asText()).get("order").asText();
            orders.add(order + " (" + record.get("topic").asText() + "-" + record.get("partition").asInt() + "@"
                    + record.get("offset").asLong() + ")");
            prepared.add(order);
        }
        story.show(who + " prepares", orders);
    }

    private static void show(Narrator story, String what, Http.Reply reply) {
        story.show(what, reply);
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName() + (Files.isDirectory(file) ? "/" : "")).sorted().toList();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** The broker and its HTTP front end, started together and stopped together. */
    private record Running(Broker broker, HttpFrontEnd front, Http http) implements AutoCloseable {
        static Running start(BrokerConfig config) throws IOException {
            Broker broker = Broker.start(config);
            HttpFrontEnd front = HttpFrontEnd.start(broker, new PrintStream(System.err, true));
            return new Running(broker, front, new Http(front.address()));
        }

        @Override
        public void close() {
            front.close();
            broker.close();
        }
    }
}

package toykafka.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code toykafka topics}: what Kafka's kafka-topics.sh does, against the broker over HTTP. */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Lists the broker's topics; create, describe, alter and delete them with the subcommands.",
        subcommands = {TopicsCommand.Create.class, TopicsCommand.Describe.class, TopicsCommand.Alter.class,
                TopicsCommand.Delete.class})
final class TopicsCommand implements Runnable {

    @Mixin
    BrokerOption broker;

    @Override
    public void run() {
        PrintStream out = Main.out();
        for (JsonNode topic : broker.connect().get(BrokerHttp.TOPICS).get("data")) {
            out.println(topic.get("topic_name").asText() + "  " + topic.get("partitions_count").asInt() + " partition(s)"
                    + (topic.get("is_internal").asBoolean() ? "  (the broker's own)" : ""));
        }
    }

    /** "k=v" pairs as the JSON list the broker takes. */
    static String configs(List<String> pairs) {
        List<String> entries = new ArrayList<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--config takes name=value, such as retention.ms=60000; was " + pair);
            }
            entries.add("{\"name\":" + BrokerHttp.quote(pair.substring(0, eq)) + ",\"value\":"
                    + BrokerHttp.quote(pair.substring(eq + 1)) + "}");
        }
        return "[" + String.join(",", entries) + "]";
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates a topic.")
    static final class Create implements Runnable {
        @Mixin
        BrokerOption broker;

        @Parameters(paramLabel = "TOPIC")
        String topic;

        @Option(names = "--partitions", paramLabel = "N", description = "partitions (default: the broker's num.partitions)")
        Integer partitions;

        @Option(names = "--config", paramLabel = "NAME=VALUE", description = "a topic config, e.g. retention.ms=60000; repeatable")
        List<String> config = new ArrayList<>();

        @Override
        public void run() {
            String body = "{\"topic_name\":" + BrokerHttp.quote(topic)
                    + (partitions == null ? "" : ",\"partitions_count\":" + partitions)
                    + ",\"configs\":" + configs(config) + "}";
            JsonNode created = broker.connect().post(BrokerHttp.TOPICS, body);
            Main.out().println("created topic " + created.get("topic_name").asText() + " with "
                    + created.get("partitions_count").asInt() + " partition(s)");
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true,
            description = "A topic's partitions with their log start and end offsets, and its config.")
    static final class Describe implements Runnable {
        @Mixin
        BrokerOption broker;

        @Parameters(paramLabel = "TOPIC")
        String topic;

        @Override
        public void run() {
            BrokerHttp http = broker.connect();
            JsonNode described = http.get(BrokerHttp.TOPICS + "/" + topic);
            PrintStream out = Main.out();
            out.println("topic " + described.get("topic_name").asText());
            for (JsonNode partition : described.get("partitions")) {
                long start = partition.get("log_start_offset").asLong();
                long end = partition.get("log_end_offset").asLong();
                out.println("  partition " + partition.get("partition_id").asInt() + ": offsets " + start + " to " + end
                        + " (" + (end - start) + " records)");
            }
            Map<String, Boolean> isDefault = new LinkedHashMap<>();
            http.get(BrokerHttp.TOPICS + "/" + topic + "/configs").get("data")
                    .forEach(entry -> isDefault.put(entry.get("name").asText(), entry.get("is_default").asBoolean()));
            described.get("configs").fields().forEachRemaining(entry -> out.println("  " + entry.getKey() + "="
                    + entry.getValue().asText() + (Boolean.TRUE.equals(isDefault.get(entry.getKey())) ? "" : "  (set)")));
        }
    }

    @Command(name = "alter", mixinStandardHelpOptions = true,
            description = "Changes a topic's config: only the keys given, or with --replace the whole config.")
    static final class Alter implements Runnable {
        @Mixin
        BrokerOption broker;

        @Parameters(paramLabel = "TOPIC")
        String topic;

        @Option(names = "--config", paramLabel = "NAME=VALUE", required = true, description = "a topic config; repeatable")
        List<String> config = new ArrayList<>();

        @Option(names = "--replace", description = "keys not given go back to their defaults")
        boolean replace;

        @Override
        public void run() {
            broker.connect().send(replace ? "PUT" : "PATCH", BrokerHttp.TOPICS + "/" + topic + "/configs",
                    "{\"data\":" + configs(config) + "}");
            Main.out().println((replace ? "replaced the config of " : "changed the config of ") + topic);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes a topic and all its records.")
    static final class Delete implements Runnable {
        @Mixin
        BrokerOption broker;

        @Parameters(paramLabel = "TOPIC")
        String topic;

        @Override
        public void run() {
            broker.connect().send("DELETE", BrokerHttp.TOPICS + "/" + topic, null);
            Main.out().println("deleted topic " + topic);
        }
    }
}

package toykafka.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import toykafka.client.BrokerConnection;
import toykafka.client.HttpTopics;
import toykafka.lesson04.TopicDescription;

/** {@code toykafka topics}: what Kafka's kafka-topics.sh does, against the broker over HTTP. */
@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Lists the broker's topics; create, describe, alter and delete them with the subcommands.",
        subcommands = {TopicsCommand.Create.class, TopicsCommand.Describe.class, TopicsCommand.Alter.class,
                TopicsCommand.Delete.class})
final class TopicsCommand extends ClientCommand {

    @Override
    void talkTo(String address) {
        PrintStream out = Main.out();
        for (HttpTopics.Listing topic : new HttpTopics(address).listAllTopics()) {
            out.println(topic.name() + "  " + topic.partitions() + " partition(s)"
                    + (topic.internal() ? "  (the broker's own)" : ""));
        }
    }

    /** "k=v" pairs as a config, in the order given. */
    static Map<String, String> config(List<String> pairs) {
        Map<String, String> config = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--config takes name=value, such as retention.ms=60000; was " + pair);
            }
            config.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return config;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates a topic.")
    static final class Create extends ClientCommand.WithTopic {
        @Option(names = "--partitions", paramLabel = "N", description = "partitions (default: the broker's num.partitions)")
        Integer partitions;

        @Option(names = "--config", paramLabel = "NAME=VALUE", description = "a topic config, e.g. retention.ms=60000; repeatable")
        List<String> config = new ArrayList<>();

        @Override
        void talkTo(String address) {
            int created = new HttpTopics(address).createTopic(topic, partitions, config(config));
            Main.out().println("created topic " + topic + " with " + created + " partition(s)");
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true,
            description = "A topic's partitions with their log start and end offsets, and its config.")
    static final class Describe extends ClientCommand.WithTopic {
        @Override
        void talkTo(String address) {
            HttpTopics topics = new HttpTopics(address);
            TopicDescription described = topics.describeTopic(topic);
            List<BrokerConnection.Offsets> partitions = topics.offsets(topic);
            PrintStream out = Main.out();
            out.println("topic " + described.name());
            // the cleaner leaves gaps, so on a compacted topic the offsets only bound how many records it holds
            boolean compacted = described.config().getOrDefault("cleanup.policy", "delete").contains("compact");
            for (int p = 0; p < partitions.size(); p++) {
                long start = partitions.get(p).logStart();
                long end = partitions.get(p).end();
                out.println("  partition " + p + ": " + span(start, end, compacted));
            }
            described.config().forEach((name, value) -> out.println("  " + name + "=" + value
                    + (described.overrides().containsKey(name) ? "  (set)" : "")));
        }

        /**
         * The records between the log start offset and the log end offset, which is exclusive: the end is the
         * offset the next record gets, not the last one written.
         */
        static String span(long start, long end, boolean compacted) {
            if (start == end) {
                return "no records; the next offset is " + end;
            }
            return (compacted ? "at most " : "") + (end - start) + " record" + (end - start == 1 ? "" : "s")
                    + ", offsets " + start + " to " + (end - 1) + "; the next is " + end;
        }
    }

    @Command(name = "alter", mixinStandardHelpOptions = true,
            description = "Changes a topic's config: only the keys given, or with --replace the whole config.")
    static final class Alter extends ClientCommand.WithTopic {
        @Option(names = "--config", paramLabel = "NAME=VALUE", required = true, description = "a topic config; repeatable")
        List<String> config = new ArrayList<>();

        @Option(names = "--replace", description = "keys not given go back to their defaults")
        boolean replace;

        @Override
        void talkTo(String address) {
            HttpTopics topics = new HttpTopics(address);
            if (replace) {
                topics.replaceConfig(topic, config(config));
                Main.out().println("replaced the config of " + topic);
            } else {
                topics.patchConfig(topic, config(config));
                Main.out().println("changed the config of " + topic);
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes a topic and all its records.")
    static final class Delete extends ClientCommand.WithTopic {
        @Override
        void talkTo(String address) {
            new HttpTopics(address).deleteTopic(topic);
            Main.out().println("deleted topic " + topic);
        }
    }
}

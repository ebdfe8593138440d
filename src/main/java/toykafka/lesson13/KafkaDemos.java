package toykafka.lesson13;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import toykafka.narration.Narrator;

/**
 * What the demos from this lesson on share as Kafka programs, which run on our broker started in-process or,
 * given a bootstrap address, unchanged on any cluster: the command line that chooses, the manager's Admin client
 * and the topics each story starts from.
 */
public final class KafkaDemos {

    /** When the tills say each order was taken: a fixed time, the same every run, and years in the past. */
    public static final long OPENING = 1_700_000_000_000L;
    /**
     * How long a read, a rebalance or a round of orders may take on our broker before a demo gives up and says
     * what it saw. A demo goes on as soon as it sees what it waits for, so this is only a cap, and a generous one:
     * a busy laptop is slow, not broken.
     */
    public static final Duration PATIENCE = Duration.ofMinutes(2);
    /**
     * The same on another cluster: its group.initial.rebalance.delay.ms is 3 s by default, so a new group's first
     * generation forms only then, and three nodes replicating an internal topic answer more slowly than one.
     */
    public static final Duration PATIENCE_ON_A_CLUSTER = Duration.ofMinutes(3);

    private KafkaDemos() {
    }

    /** With no argument, on our broker started in-process; with a bootstrap address, on that cluster. */
    public static void main(String[] args, Consumer<Narrator> onOurBroker, BiConsumer<Narrator, String> onACluster) {
        if (args.length == 0) {
            onOurBroker.accept(Narrator.toStandardOut());
        } else {
            onACluster.accept(Narrator.toStandardOut(), args[0]);
        }
    }

    /** The shop manager's Admin client: it makes the topics and reads the books. */
    public static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "manager"));
    }

    /**
     * Makes a story's topics, new, at the cluster's own replication factor (one copy on the course's broker, three
     * on Apache Kafka's) and kept for ever. Retention deletes a segment once its newest record's timestamp is older
     * than retention.ms, the active segment too, and the tills stamp their records with the shop's opening time,
     * years ago: at the default seven days, whichever retention check came first (Apache Kafka's runs 30 s after a
     * node starts) would delete records not read yet. A story starts from empty topics, so where one exists already
     * the refusal says what to delete: {@code deleteFirst}.
     */
    public static void createKeptForever(Admin admin, String bootstrap, List<String> topics, int partitions,
                                         Duration patience, String deleteFirst)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<NewTopic> created = new ArrayList<>();
        for (String topic : topics) {
            created.add(new NewTopic(topic, Optional.of(partitions), Optional.empty())
                    .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")));
        }
        try {
            admin.createTopics(created).all().get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                throw new IllegalStateException("the cluster at " + bootstrap + " already has " + String.join(" or ",
                        topics) + ": the demo's story starts from empty topics, so delete first " + deleteFirst, e);
            }
            throw e;
        }
    }
}

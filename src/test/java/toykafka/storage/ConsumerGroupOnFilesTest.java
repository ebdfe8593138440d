package toykafka.storage;

import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;
import toykafka.archive.Archive;
import toykafka.lesson04.BrokerSettings;
import toykafka.lesson04.TopicRegistry;
import toykafka.lesson04.Topics;
import toykafka.lesson05.ConsumerGroup;
import toykafka.lesson05.ConsumerGroupContract;
import toykafka.lesson05.GroupCoordinator;
import toykafka.lesson05.GroupSettings;
import toykafka.lesson05.PartitionAssignor;

/** Lesson 5's consumer-group contract, over topics whose partitions are file logs. */
class ConsumerGroupOnFilesTest extends ConsumerGroupContract {

    @TempDir
    Path dataDir;

    @Override
    protected Topics newTopics(BrokerSettings settings, Clock clock) {
        return new TopicRegistry(settings, clock, new FileLogStorage(dataDir, clock, Archive.discard()));
    }

    @Override
    protected ConsumerGroup newGroup(String groupId, Topics topics, PartitionAssignor assignor, GroupSettings settings,
                                     Clock clock) {
        return new GroupCoordinator(groupId, topics, assignor, settings, clock);
    }
}

package toykafka.storage;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import toykafka.archive.Archive;
import toykafka.lesson04.BrokerSettings;
import toykafka.lesson04.TopicRegistry;
import toykafka.lesson04.Topics;
import toykafka.lesson04.TopicsContract;

/** Lesson 4's topics contract, with every partition a file log: one suite, every store. */
class TopicsOnFilesTest extends TopicsContract {

    @TempDir
    Path dataDirs;
    private final List<TopicRegistry> opened = new ArrayList<>();

    @Override
    protected Topics newTopics(BrokerSettings settings, Clock clock) {
        Path dataDir = dataDirs.resolve("broker-" + opened.size());
        TopicRegistry topics = new TopicRegistry(settings, clock, new FileLogStorage(dataDir, clock, Archive.discard()));
        opened.add(topics);
        return topics;
    }

    @AfterEach
    void closeTopics() {
        opened.forEach(TopicRegistry::close);
    }
}

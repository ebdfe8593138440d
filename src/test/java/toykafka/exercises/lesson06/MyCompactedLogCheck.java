package toykafka.exercises.lesson06;

import java.time.Clock;
import toykafka.archive.Archive;
import toykafka.lesson06.CompactedLog;
import toykafka.lesson06.CompactedLogContract;
import toykafka.lesson06.CompactionConfig;

/** The compacted-log contract run against the learner's class: `./toykafka check 6`. */
public class MyCompactedLogCheck extends CompactedLogContract {

    @Override
    protected CompactedLog newLog(String topic, int partition, CompactionConfig config, Clock clock, Archive archive) {
        return new MyCompactedLog(topic, partition, config, clock, archive);
    }
}

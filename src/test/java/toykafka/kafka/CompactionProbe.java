package toykafka.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A compacted topic after its cleaner has run: keys written with several values and one with a tombstone,
 * then, past segment.ms, one more record that rolls the segment (a cleaner never touches the active one).
 * The probe reads from earliest until each key appears once (bounded), then writes what it read with each
 * record's offset: Kafka promises the latest value of every key at the offset it was written, and a tombstone
 * kept for delete.retention.ms (a day, by default), so both brokers must hold the same records at the same
 * offsets. The offsets are compared in full, the active segment's too: it holds only the record that rolled
 * the segment, and both brokers number records alike, so nothing legitimately differs there. How long the
 * cleaner took differs by nature and is written only to be normalised away.
 */
final class CompactionProbe {

    private static final String TOPIC = "pantry";
    private static final long SEGMENT_MS = 300;
    private static final List<String[]> WRITES = List.of(new String[] {"flour", "1 kg"}, new String[] {"sugar", "2 kg"},
            new String[] {"flour", "3 kg"}, new String[] {"eggs", "12"}, new String[] {"sugar", "1 kg"},
            new String[] {"flour", "2 kg"}, new String[] {"eggs", null}, new String[] {"salt", "1 kg"});

    private CompactionProbe() {
    }

    static void run(ProbeSession session) throws Exception {
        session.createTopic(TOPIC, 1, Map.of("cleanup.policy", "compact", "segment.ms", String.valueOf(SEGMENT_MS),
                "min.cleanable.dirty.ratio", "0.01", "min.compaction.lag.ms", "0"));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(session.producerSettings())) {
            for (String[] write : WRITES) {
                producer.send(new ProducerRecord<>(TOPIC, 0, write[0], write[1])).get(ProbeSession.WAIT.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
            Thread.sleep(2 * SEGMENT_MS); // the next record's timestamp is past segment.ms: it starts a new segment
            producer.send(new ProducerRecord<>(TOPIC, 0, "yeast", "7 g")).get(ProbeSession.WAIT.toMillis(),
                    TimeUnit.MILLISECONDS);
        }

        long started = System.nanoTime();
        long deadline = started + ProbeSession.WAIT.toNanos();
        List<ConsumerRecord<String, String>> read = readFromEarliest(session);
        while (!eachKeyOnce(read) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            read = readFromEarliest(session);
        }
        if (eachKeyOnce(read)) {
            session.write(TOPIC + " cleaned, each key once from earliest, after "
                    + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
        } else {
            session.write(TOPIC + " not cleaned within " + ProbeSession.WAIT.toSeconds() + " s");
        }
        for (ConsumerRecord<String, String> record : read) {
            session.write(TOPIC + " holds @" + record.offset() + " " + record.key() + "="
                    + (record.value() == null ? "(tombstone)" : record.value()));
        }
    }

    /** Every record from earliest to the end of the log, in offset order. */
    private static List<ConsumerRecord<String, String>> readFromEarliest(ProbeSession session) {
        TopicPartition partition = new TopicPartition(TOPIC, 0);
        List<ConsumerRecord<String, String>> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(session.consumerSettings(null, "earliest"))) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + ProbeSession.WAIT.toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
        }
        return read;
    }

    private static boolean eachKeyOnce(List<ConsumerRecord<String, String>> read) {
        Set<String> keys = new HashSet<>();
        return !read.isEmpty() && read.stream().allMatch(record -> keys.add(record.key()));
    }
}

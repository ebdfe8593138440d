package toykafka.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.StreamsGroupDescription;
import org.apache.kafka.clients.admin.StreamsGroupMemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import toykafka.broker.config.BrokerConfig;
import toykafka.lesson04.OnDuplicate;
import toykafka.testing.FrontEnd;
import toykafka.testing.RunningBroker;
import toykafka.testing.StartedBroker;

/**
 * A Kafka Streams 4.4 application ({@code group.protocol=streams}) outlives a restart of the broker, as on Kafka,
 * which keeps each part of a streams group in {@code __consumer_offsets} and loads it back: its thread heartbeats on
 * at the member epoch it had, no thread dies of "is not a streams group", and the group is as it was, with no
 * rebalance.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StreamsGroupAcrossRestartTest {

    private static final String APP = "shouters";
    private static final String INPUT = "restart-lines";
    private static final String OUTPUT = "restart-shouts";
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** {@code group.streams.heartbeat.interval.ms}, Kafka's default. */
    private static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(5);

    @StartedBroker(FrontEnd.KAFKA)
    RunningBroker broker;

    @TempDir
    Path stateDir;

    @Test
    void a_streams_application_carries_on_through_a_broker_restart_at_the_member_epoch_it_had() throws Exception {
        broker.broker().createTopic(INPUT, 2, Map.of(), OnDuplicate.FAIL);
        broker.broker().createTopic(OUTPUT, 2, Map.of(), OnDuplicate.FAIL);
        List<Throwable> died = Collections.synchronizedList(new ArrayList<>());
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(INPUT, Consumed.with(Serdes.String(), Serdes.String())).mapValues(line -> line.toUpperCase())
                .to(OUTPUT, Produced.with(Serdes.String(), Serdes.String()));
        try (KafkaStreams streams = new KafkaStreams(builder.build(), streamsSettings());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                     broker.bootstrapServers()));
             KafkaConsumer<String, String> reader = reader()) {
            streams.setUncaughtExceptionHandler(exception -> {
                died.add(exception);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            streams.start();
            produce("before");
            assertEquals(List.of("BEFORE", "BEFORE"), readUpTo(reader, 2));
            StreamsGroupDescription before = describe(admin);

            broker.restartWith(Map.of(BrokerConfig.KAFKA_PORT, String.valueOf(broker.port())));

            produce("after");
            assertEquals(List.of("AFTER", "AFTER"), readUpTo(reader, 2), "the application carried on");
            Thread.sleep(HEARTBEAT_INTERVAL.plusSeconds(1).toMillis()); // its heartbeats after the restart answered
            assertEquals(List.of(), died, "no stream thread died");
            assertEquals(KafkaStreams.State.RUNNING, streams.state());
            StreamsGroupDescription after = describe(admin);
            assertEquals(before.groupEpoch(), after.groupEpoch(), "no rebalance for the restart");
            assertEquals(epochs(before), epochs(after), "the same members, at the epochs they had");
        }
    }

    private Properties streamsSettings() {
        Properties settings = new Properties();
        settings.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        settings.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
        settings.put(StreamsConfig.GROUP_PROTOCOL_CONFIG, "streams");
        settings.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        settings.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        return settings;
    }

    /** One line to each input partition. */
    private void produce(String line) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            for (int partition = 0; partition < 2; partition++) {
                producer.send(new ProducerRecord<>(INPUT, partition, "k", line)).get(WAIT.toSeconds(),
                        TimeUnit.SECONDS);
            }
        }
    }

    private KafkaConsumer<String, String> reader() {
        KafkaConsumer<String, String> reader = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
        reader.assign(List.of(new TopicPartition(OUTPUT, 0), new TopicPartition(OUTPUT, 1)));
        return reader;
    }

    private static List<String> readUpTo(KafkaConsumer<String, String> reader, int count) {
        List<String> read = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (read.size() < count && System.nanoTime() < deadline) {
            reader.poll(Duration.ofMillis(200)).forEach(record -> read.add(record.value()));
        }
        return read;
    }

    private static StreamsGroupDescription describe(Admin admin) throws Exception {
        return admin.describeStreamsGroups(List.of(APP)).all().get(WAIT.toSeconds(), TimeUnit.SECONDS).get(APP);
    }

    private static Map<String, Integer> epochs(StreamsGroupDescription group) {
        Map<String, Integer> epochs = new TreeMap<>();
        for (StreamsGroupMemberDescription member : group.members()) {
            epochs.put(member.memberId(), member.memberEpoch());
        }
        return epochs;
    }
}

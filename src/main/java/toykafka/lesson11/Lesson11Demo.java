package toykafka.lesson11;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import toykafka.broker.Broker;
import toykafka.broker.Partitions;
import toykafka.broker.Partitions.ProduceRecord;
import toykafka.broker.config.BrokerConfig;
import toykafka.clock.ManualClock;
import toykafka.common.OffsetReset;
import toykafka.common.Record;
import toykafka.common.TopicConfig;
import toykafka.common.TopicPartition;
import toykafka.lesson04.OnDuplicate;
import toykafka.lesson05.ConsumerRecord;
import toykafka.lesson10.DemoBroker;
import toykafka.narration.Narrator;
import toykafka.narration.Telling;
import toykafka.restproxy.ConsumerInstances;

/**
 * Lesson 11, narrated: a day of service at the fish-and-chip shop, on a broker whose clock runs a day in
 * seconds. Retention archives the old orders and payments, the manager archives the morning's payments by
 * hand, the broker writes its statistics every ten minutes; then the archive is analysed.
 */
public final class Lesson11Demo {

    /** Where the day's broker keeps its data, archive and statistics: {@code ./toykafka analyse} reads it. */
    public static final Path BROKER_DATA = Path.of("data", "generated", "11-archive", "broker");
    /** Where the analysis writes its charts and page. */
    public static final Path ANALYSIS = Path.of("data", "generated", "11-archive", "analysis");

    private static final Instant OPENING = Instant.parse("2026-11-23T11:00:00Z");
    private static final int MINUTES_OPEN = 10 * 60;
    private static final int KITCHEN_PER_MINUTE = 6;
    private static final String[] TILLS = {"till-1", "till-1", "till-1", "till-1", "till-1", "till-2", "till-2",
        "till-2", "till-3", "till-3"};
    private static final String[] DISHES = {"cod and chips", "haddock and chips", "pie and mash", "scampi",
        "fishcake", "saveloy", "plaice and chips"};

    private Lesson11Demo() {
    }

    public static void main(String[] args) {
        narrate(Narrator.toStandardOut());
    }

    public static void narrate(Narrator story) {
        Telling.runAfresh(story, 11, "the archive, analysed", BROKER_DATA.getParent(), () -> tell(story));
    }

    private static void tell(Narrator story) {
        ManualClock clock = new ManualClock(OPENING);
        // No timers of its own (a demo's broker has no statistics timer): the story runs retention and statistics
        // at the shop's times, not the machine's.
        BrokerConfig config = DemoBroker.config(BROKER_DATA, Map.of(
                BrokerConfig.RETENTION_CHECK_INTERVAL_MS, String.valueOf(Duration.ofDays(1).toMillis()),
                BrokerConfig.SESSION_TIMEOUT_MS, String.valueOf(Duration.ofDays(1).toMillis()),
                BrokerConfig.CONSUMER_INSTANCE_TIMEOUT_MS, String.valueOf(Duration.ofDays(1).toMillis())));
        long orders;
        try (Broker broker = Broker.start(config, clock, event -> { });
             ConsumerInstances kitchens = ConsumerInstances.start(broker)) {
            orders = serveADay(story, broker, kitchens, clock);
        }
        story.show("orders taken", orders);

        story.say("Retention moved every order older than two hours, and every payment older than four, into"
                + " the archive before deleting its segment. The archive is a folder laid out as a data lake lays"
                + " out a table: a folder per topic, partition and day, each file named by the offsets it holds.");
        story.show("one archive file", firstArchiveFile(BROKER_DATA.resolve("archive")));

        story.predict("till-1, by the door, takes half the orders. Does its partition hold half the archive?"
                + " And how long did an order live, against retention.ms of two hours?");
        Analysis.Options options = new Analysis.Options(List.of(BROKER_DATA), Set.of(), Instant.MIN, Instant.MAX,
                ChronoUnit.HOURS, 3, ANALYSIS);
        new Analysis(new TablesawSummaries()).run(options, (rows, bytes, total, done, files) -> { }, story.out());

        story.say("till-1's key always hashes to the same partition, so that partition carries its half of the"
                + " orders: key skew becomes partition skew, whatever the partition count. Orders lived past"
                + " retention.ms because retention deletes whole segments, and only once a segment's newest record"
                + " has expired. The kitchen's lag rose through the dinner rush and drained after it.");
        story.say("Open " + ANALYSIS.resolve("index.html") + " to see the charts, or run ./toykafka analyse "
                + BROKER_DATA + " yourself.");
    }

    // tag::day[]
    /** Ten hours of orders and payments, a minute at a time; returns how many orders were taken. */
    private static long serveADay(Narrator story, Broker broker, ConsumerInstances kitchens, ManualClock clock) {
        broker.createTopic("orders", 3, Map.of(TopicConfig.RETENTION_MS, "7200000", TopicConfig.SEGMENT_BYTES, "4096"),
                OnDuplicate.FAIL);
        broker.createTopic("payments", 2, Map.of(TopicConfig.RETENTION_MS, "14400000",
                TopicConfig.SEGMENT_BYTES, "4096"), OnDuplicate.FAIL);
        String kitchen = kitchens.create("kitchen", "kitchen-1", OffsetReset.EARLIEST);
        kitchens.subscribe("kitchen", kitchen, Set.of("orders"));
        Map<TopicPartition, Long> cooked = new HashMap<>();
        Random random = new Random(10);
        long order = 0;
        for (int minute = 0; minute < MINUTES_OPEN; minute++) {
            int lunch = minute >= 60 && minute < 150 ? 4 : 0;
            int dinner = minute >= 390 && minute < 510 ? 6 : 0;
            int count = 1 + lunch + dinner + random.nextInt(2);
            Instant start = clock.instant();
            for (int i = 0; i < count; i++) {
                Instant at = start.plusSeconds(60L * i / count);
                String till = TILLS[random.nextInt(TILLS.length)];
                String dish = DISHES[random.nextInt(DISHES.length)];
                order++;
                broker.partitions().appendRecords("orders", List.of(new ProduceRecord(null, Record.of(till,
                        "{\"order\":" + order + ",\"dish\":\"" + dish + "\"}", at))));
                broker.partitions().appendRecords("payments", List.of(new ProduceRecord(null, Record.of(null,
                        "{\"order\":" + order + ",\"pence\":" + (450 + random.nextInt(600)) + "}", at))));
            }
            cook(kitchens, kitchen, cooked);
            clock.advance(Duration.ofMinutes(1));
            if (minute % 10 == 9) {
                kitchens.commit("kitchen", kitchen, cooked);
                broker.jobs().writeStats();
            }
            if (minute % 5 == 4) {
                broker.jobs().applyRetention();
            }
            if (minute == 5 * 60) {
                archivePaymentsBefore(story, broker, clock.instant().minus(Duration.ofHours(2)));
            }
        }
        return order;
    }
    // end::day[]

    /** The kitchen cooks at most six orders a minute, noting where it got to; it commits every ten minutes. */
    private static void cook(ConsumerInstances kitchens, String kitchen, Map<TopicPartition, Long> cooked) {
        for (ConsumerRecord record : kitchens.poll("kitchen", kitchen, KITCHEN_PER_MINUTE, Duration.ZERO)) {
            cooked.merge(record.partition(), record.offset() + 1, Math::max);
        }
    }

    /** The manager moves the payments taken before a time out of the log: Kafka's deleteRecords, Kaf's archive. */
    private static void archivePaymentsBefore(Narrator story, Broker broker, Instant before) {
        for (int partition = 0; partition < 2; partition++) {
            long offset = broker.partitions().listOffsets(new TopicPartition("payments", partition), before.toEpochMilli()).offset();
            if (offset < 0) { // no payment that late: every one goes
                offset = broker.partitions().listOffsets(new TopicPartition("payments", partition), Partitions.LATEST).offset();
            }
            broker.deleteRecords("payments", partition, offset);
        }
        story.show("at 16:00 the manager archives payments before", before);
    }

    private static String firstArchiveFile(Path archive) {
        try (Stream<Path> files = Files.walk(archive)) {
            return files.filter(Files::isRegularFile).map(archive::relativize).map(Path::toString)
                    .sorted().findFirst().orElse("(none)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + archive + ": " + e.getMessage(), e);
        }
    }
}

package toykafka.lesson17;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import toykafka.broker.share.partition.AcknowledgeType;
import toykafka.broker.share.partition.AcknowledgementBatch;
import toykafka.broker.share.partition.AcquiredRecords;
import toykafka.broker.share.partition.FetchedBatch;
import toykafka.broker.share.partition.OffsetLookup;
import toykafka.broker.share.partition.PersisterStateBatch;
import toykafka.broker.share.partition.ShareAcquireMode;
import toykafka.broker.share.partition.ShareAutoOffsetReset;
import toykafka.broker.share.partition.ShareFetchLimits;
import toykafka.broker.share.partition.ShareGroupSettings;
import toykafka.broker.share.partition.ShareGroupState;
import toykafka.broker.share.partition.SharePartition;
import toykafka.broker.share.partition.SharePartitionException;
import toykafka.clock.ManualClock;
import toykafka.narration.Narrator;

/**
 * Lesson 17, narrated: the shop's kitchen as a share group. Three cooks share the one partition of {@code orders}
 * through the broker's own {@link SharePartition} (Kafka's {@code SharePartition}), driven here as a share fetch and
 * its acknowledgements drive it, on a manual clock: each cook is handed orders, not a partition; a burnt order is
 * released and cooked again until share.delivery.count.limit sets it aside; a cook who walks out loses its orders
 * when its locks run out.
 */
public final class Lesson17Demo {

    /** Offsets 0 to 5 are the first orders; 6 and 7 come later. */
    static final List<String> DISHES = List.of("cod and chips", "haddock", "mushy peas", "battered sausage",
            "fish cake", "pizza", "cod and chips", "scampi");
    static final int BURNT = 3;
    static final int NOT_ON_THE_MENU = 5;
    static final int DELIVERY_COUNT_LIMIT = 3;
    static final int LOCK_MS = 30_000;

    /** What the story saw, for its test. */
    record Told(List<String> burntDeliveries, long startOffsetAfterFirstRound, long startOffsetAfterBurnt,
                String walkedOutRefusal, List<AcquiredRecords> redelivered, long finalStartOffset) {
    }

    private final Narrator story;
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T12:00:00Z"));
    private final SharePartition orders;
    private long logEnd = 6;

    private Lesson17Demo(Narrator story) {
        this.story = story;
        ShareGroupSettings settings = new ShareGroupSettings(LOCK_MS, DELIVERY_COUNT_LIMIT, 2000,
                ShareAutoOffsetReset.EARLIEST, false, true);
        this.orders = SharePartition.start(settings, clock, new OffsetLookup() {
            @Override
            public long earliestOffset() {
                return 0;
            }

            @Override
            public long latestOffset() {
                return logEnd;
            }

            @Override
            public long offsetForTimestamp(long timestampMs) {
                return 0;
            }
        });
    }

    public static void main(String[] args) {
        narrate(Narrator.toStandardOut());
    }

    public static void narrate(Narrator story) {
        tell(story);
    }

    static Told tell(Narrator story) {
        return new Lesson17Demo(story).tell();
    }

    private Told tell() {
        story.title("Lesson 17: queues in the log");
        story.say("The topic orders has one partition and six orders, each in a batch of its own. Three cooks share"
                + " it as one share group: share.delivery.count.limit=" + DELIVERY_COUNT_LIMIT + " (Kafka's default"
                + " is 5), share.record.lock.duration.ms=" + LOCK_MS + ", share.auto.offset.reset=earliest. Each"
                + " cook fetches at most 2 orders (max.poll.records=2, share.acquire.mode=record_limit).");
        story.predict("one partition, three cooks: how many of them get orders?");
        List<AcquiredRecords> first = fetch("cook-1");
        fetch("cook-2");
        fetch("cook-3");

        story.say("Each cook says what became of its orders. The battered sausage (offset 3) burns: cook-2 releases"
                + " it. Offset 5 asks for a pizza, which the shop does not make: cook-3 rejects it.");
        story.predict("once orders 4 and 5 are settled, how far has the share-partition start offset moved?");
        acknowledge("cook-1", first.get(0).firstOffset(), first.get(0).lastOffset(), AcknowledgeType.ACCEPT);
        acknowledge("cook-2", 2, 2, AcknowledgeType.ACCEPT);
        acknowledge("cook-2", BURNT, BURNT, AcknowledgeType.RELEASE);
        acknowledge("cook-3", 4, 4, AcknowledgeType.ACCEPT);
        acknowledge("cook-3", NOT_ON_THE_MENU, NOT_ON_THE_MENU, AcknowledgeType.REJECT);
        long afterFirstRound = orders.startOffset();
        story.show("start offset", afterFirstRound + ": offset " + BURNT + " is not settled, so it stops there");
        story.show("what __share_group_state would keep", persisted(orders.stateSnapshot()));

        story.say("The burnt order goes round. Every cook who gets it burns it and releases it.");
        story.predict("with share.delivery.count.limit=" + DELIVERY_COUNT_LIMIT + ", how many times is it cooked,"
                + " and what happens to it then?");
        List<String> burntDeliveries = new ArrayList<>();
        burntDeliveries.add("cook-2 (delivery 1)");
        for (String cook : List.of("cook-1", "cook-3")) {
            List<AcquiredRecords> got = fetch(cook);
            burntDeliveries.add(cook + " (delivery " + got.get(0).deliveryCount() + ")");
            acknowledge(cook, BURNT, BURNT, AcknowledgeType.RELEASE);
        }
        long afterBurnt = orders.startOffset();
        story.show("start offset", afterBurnt + ": the burnt order was archived after delivery "
                + DELIVERY_COUNT_LIMIT + ", and nobody gets it again");
        fetch("cook-2");

        logEnd = DISHES.size();
        story.say("Two more orders come in: " + DISHES.get(6) + " and " + DISHES.get(7) + ". cook-3 takes both and"
                + " walks out of the kitchen without a word.");
        fetch("cook-3");
        story.predict("cook-3 holds offsets 6 and 7 under a 30 s lock. What does cook-1 get now, and 30 s later?");
        fetch("cook-1");
        clock.advance(Duration.ofMillis(LOCK_MS));
        story.show("records released, 30 s later", orders.expireLocks(clock.millis()));
        List<AcquiredRecords> redelivered = fetch("cook-1");
        String refusal = "";
        try {
            orders.acknowledge("cook-3", List.of(AcknowledgementBatch.of(6, 7, AcknowledgeType.ACCEPT)));
        } catch (SharePartitionException e) {
            refusal = e.getMessage();
            story.showRefusal("cook-3 comes back and accepts 6 and 7", e);
        }
        acknowledge("cook-1", 6, 7, AcknowledgeType.ACCEPT);
        story.say("If cook-3 had cooked them before it left, the customers got their food twice: a share group"
                + " delivers at least once.");
        story.show("start offset", orders.startOffset() + ": every order settled");
        return new Told(burntDeliveries, afterFirstRound, afterBurnt, refusal, redelivered, orders.startOffset());
    }

    /** A cook's share fetch: the log read from where the window wants records next, the partition acquiring. */
    private List<AcquiredRecords> fetch(String cook) {
        long from = orders.nextFetchOffset();
        List<FetchedBatch> read = new ArrayList<>();
        for (long offset = from; offset < logEnd; offset++) {
            read.add(FetchedBatch.of(offset, offset));
        }
        List<AcquiredRecords> got = orders.acquire(cook, new ShareFetchLimits(ShareAcquireMode.RECORD_LIMIT, 2, 2),
                from, read, logEnd);
        story.show(cook + " fetches", got.isEmpty() ? "nothing" : dishes(got));
        return got;
    }

    private void acknowledge(String cook, long first, long last, AcknowledgeType type) {
        orders.acknowledge(cook, List.of(AcknowledgementBatch.of(first, last, type)));
        story.show(cook + " " + type.name().toLowerCase(Locale.ROOT) + "s " + first
                + (last == first ? "" : " to " + last), "start offset " + orders.startOffset());
    }

    private static String dishes(List<AcquiredRecords> got) {
        return got.stream().map(run -> {
            List<String> named = new ArrayList<>();
            for (long offset = run.firstOffset(); offset <= run.lastOffset(); offset++) {
                named.add(offset + " " + DISHES.get((int) offset));
            }
            return String.join(", ", named) + " (delivery " + run.deliveryCount() + ")";
        }).collect(Collectors.joining("; "));
    }

    /** A snapshot's batches as the record format keeps them: runs of offsets, each a state and a delivery count. */
    static String persisted(ShareGroupState state) {
        return "start offset " + state.startOffset() + ", " + state.stateBatches().stream()
                .map(Lesson17Demo::run).collect(Collectors.joining(", "));
    }

    private static String run(PersisterStateBatch batch) {
        String offsets = batch.firstOffset() == batch.lastOffset() ? "" + batch.firstOffset()
                : batch.firstOffset() + "-" + batch.lastOffset();
        return offsets + " " + batch.state() + " (delivered " + batch.deliveryCount() + ")";
    }
}

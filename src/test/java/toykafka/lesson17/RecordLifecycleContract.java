package toykafka.lesson17;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.broker.share.partition.RecordState;
import toykafka.lesson17.RecordLifecycle.Delivery;
import toykafka.lesson17.RecordLifecycle.Event;

/**
 * The life of one record of a share partition, for every {@link RecordLifecycle}: the lesson's {@link DeliveryRules}
 * and the learner's class ({@code ./toykafka check 17}). Each case is one event, with Kafka's default
 * share.delivery.count.limit of 5 unless it says otherwise.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
public abstract class RecordLifecycleContract {

    private static final int LIMIT = 5;

    protected abstract RecordLifecycle newLifecycle();

    private static Delivery record(RecordState state, int deliveryCount) {
        return new Delivery(state, deliveryCount);
    }

    @Test
    void acquiring_an_available_record_counts_one_more_delivery() {
        assertEquals(record(RecordState.ACQUIRED, 1),
                newLifecycle().next(record(RecordState.AVAILABLE, 0), Event.ACQUIRE, LIMIT), "its first delivery");
        assertEquals(record(RecordState.ACQUIRED, 3),
                newLifecycle().next(record(RecordState.AVAILABLE, 2), Event.ACQUIRE, LIMIT), "its third");
    }

    @Test
    void an_available_record_at_the_limit_is_still_acquired_the_limit_guards_only_giving_back() {
        // a restart forgets the delivery a record was on, so it can be AVAILABLE with its count at the limit
        Delivery once = newLifecycle().next(record(RecordState.AVAILABLE, LIMIT), Event.ACQUIRE, LIMIT);
        assertEquals(record(RecordState.ACQUIRED, LIMIT + 1), once, "acquiring is a delivery, whatever the count");
        assertEquals(record(RecordState.ARCHIVED, LIMIT + 1), newLifecycle().next(once, Event.RELEASE, LIMIT),
                "given back past the limit: archived");
    }

    @Test
    void an_accepted_record_is_acknowledged_and_a_rejected_one_archived_both_keeping_their_count() {
        assertEquals(record(RecordState.ACKNOWLEDGED, 2),
                newLifecycle().next(record(RecordState.ACQUIRED, 2), Event.ACCEPT, LIMIT));
        assertEquals(record(RecordState.ARCHIVED, 1),
                newLifecycle().next(record(RecordState.ACQUIRED, 1), Event.REJECT, LIMIT),
                "rejected on its first delivery: archived at once, whatever the limit");
    }

    @Test
    void a_released_record_is_available_again_with_its_count() {
        assertEquals(record(RecordState.AVAILABLE, 1),
                newLifecycle().next(record(RecordState.ACQUIRED, 1), Event.RELEASE, LIMIT));
        assertEquals(record(RecordState.AVAILABLE, 4),
                newLifecycle().next(record(RecordState.ACQUIRED, 4), Event.RELEASE, LIMIT), "one delivery left");
    }

    @Test
    void a_record_released_after_its_last_delivery_is_archived() {
        assertEquals(record(RecordState.ARCHIVED, 5),
                newLifecycle().next(record(RecordState.ACQUIRED, 5), Event.RELEASE, LIMIT));
        assertEquals(record(RecordState.ARCHIVED, 2),
                newLifecycle().next(record(RecordState.ACQUIRED, 2), Event.RELEASE, 2), "at the smallest limit, 2");
    }

    @Test
    void a_lock_that_runs_out_releases_the_record_as_a_release_does() {
        assertEquals(record(RecordState.AVAILABLE, 3),
                newLifecycle().next(record(RecordState.ACQUIRED, 3), Event.LOCK_EXPIRED, LIMIT));
        assertEquals(record(RecordState.ARCHIVED, 5),
                newLifecycle().next(record(RecordState.ACQUIRED, 5), Event.LOCK_EXPIRED, LIMIT),
                "a poison record that crashes its consumer every time ends archived too");
    }

    @Test
    void renewing_keeps_the_record_acquired_without_a_new_delivery() {
        assertEquals(record(RecordState.ACQUIRED, 2),
                newLifecycle().next(record(RecordState.ACQUIRED, 2), Event.RENEW, LIMIT));
    }

    @Test
    void a_poison_record_is_delivered_exactly_limit_times_then_set_aside() {
        RecordLifecycle lifecycle = newLifecycle();
        Delivery order = record(RecordState.AVAILABLE, 0);
        int deliveries = 0;
        while (order.state() == RecordState.AVAILABLE) {
            order = lifecycle.next(lifecycle.next(order, Event.ACQUIRE, 3), Event.RELEASE, 3);
            deliveries++;
        }
        assertEquals(3, deliveries, "share.delivery.count.limit=3: three deliveries, then no more");
        assertEquals(record(RecordState.ARCHIVED, 3), order);
    }

    @Test
    void only_an_available_record_is_acquired_and_only_an_acquired_one_acknowledged() {
        RecordLifecycle lifecycle = newLifecycle();
        assertRefused(lifecycle, record(RecordState.ACQUIRED, 1), Event.ACQUIRE, "a record held already");
        assertRefused(lifecycle, record(RecordState.ACKNOWLEDGED, 1), Event.ACQUIRE, "a record processed already");
        assertRefused(lifecycle, record(RecordState.ARCHIVED, 5), Event.ACQUIRE, "a record set aside");
        assertRefused(lifecycle, record(RecordState.AVAILABLE, 1), Event.ACCEPT, "a record nobody holds");
        assertRefused(lifecycle, record(RecordState.ACKNOWLEDGED, 1), Event.RELEASE, "a record settled for good");
        assertRefused(lifecycle, record(RecordState.ARCHIVED, 1), Event.LOCK_EXPIRED, "a record with no lock");
    }

    @Test
    void a_record_archiving_takes_no_event_as_an_archived_one_takes_none() {
        RecordLifecycle lifecycle = newLifecycle();
        for (Event event : Event.values()) {
            assertRefused(lifecycle, record(RecordState.ARCHIVING, 2), event,
                    "a record set aside, waiting for its dead letter");
        }
    }

    @Test
    void a_limit_outside_2_to_10_is_refused_naming_the_range() {
        for (int limit : new int[] {1, 11}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> newLifecycle().next(record(RecordState.AVAILABLE, 0), Event.ACQUIRE, limit));
            assertTrue(refused.getMessage() != null && refused.getMessage().contains("2")
                    && refused.getMessage().contains("10"), "the refusal names the range 2 to 10: " + refused.getMessage());
        }
    }

    private static void assertRefused(RecordLifecycle lifecycle, Delivery record, Event event, String what) {
        assertThrows(IllegalStateException.class, () -> lifecycle.next(record, event, LIMIT),
                what + " cannot take " + event);
    }
}

package toykafka.kafka;

/** When the records the client and tool tests write say they were made. */
final class RecordTimes {

    /** An hour ago, on a whole second: old enough to be in the past, young enough for any retention. */
    static final long FIRST_TIMESTAMP = (System.currentTimeMillis() - 3_600_000) / 1000 * 1000;

    private RecordTimes() {
    }
}

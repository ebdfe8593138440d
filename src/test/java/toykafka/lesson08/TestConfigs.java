package toykafka.lesson08;

import toykafka.common.TopicConfig;

/**
 * The sizes the log tests of lessons 8 and 9 open their logs with, small enough that a few {@link TestRecords#order}
 * batches (49 to 51 bytes each) fill a segment and pass index entries.
 */
public final class TestConfigs {

    /** One segment for every order a test writes, with an index entry every 100 bytes. */
    public static final TopicConfig ONE_SEGMENT = TopicConfig.defaults().with(TopicConfig.INDEX_INTERVAL_BYTES, 100);
    /** 300-byte segments of 5 or 6 orders, with an index entry every 100 bytes. */
    public static final TopicConfig SMALL = ONE_SEGMENT.with(TopicConfig.SEGMENT_BYTES, 300);

    private TestConfigs() {
    }
}

package toykafka.lesson06;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import toykafka.archive.Archive;

/** The reference compacted log keeps the compacted-log contract, with its exact messages. */
class TreeMapCompactedLogTest extends CompactedLogContract {

    @Override
    protected CompactedLog newLog(String topic, int partition, CompactionConfig config, Clock clock, Archive archive) {
        return new TreeMapCompactedLog(topic, partition, config, clock, archive);
    }

    @Test
    void the_reference_names_what_was_refused_exactly() {
        CompactedLog log = logWithSegmentsOf(2);
        IllegalArgumentException keyless = assertThrows(IllegalArgumentException.class,
                () -> log.append(change(null, "cod")));
        assertEquals("a compacted log keeps the latest record per key, so every record needs a key; this one has"
                + " none (value 'cod'): nothing was appended", keyless.getMessage());
        append(log, "a=1", "a=2", "a=3");
        log.compact();
        NoSuchElementException removed = assertThrows(NoSuchElementException.class, () -> log.read(0));
        assertEquals("offset 0 was removed by compaction; readFrom(0) returns the next record the log holds, at offset 1",
                removed.getMessage());
        var outside = assertThrows(toykafka.common.OffsetOutOfRangeException.class, () -> log.readFrom(4));
        assertEquals("offset 4 is out of range: readFrom accepts offsets 0..3 (3 is the end, where nothing is yet)",
                outside.getMessage());
    }

    @Test
    void a_partition_number_below_0_is_refused() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new TreeMapCompactedLog("t", -1, CompactionConfig.segmentsOf(1), Clock.systemUTC(), Archive.discard()));
        assertEquals("a partition number is 0 or more, was -1", error.getMessage());
    }

    @Test
    void it_prints_each_record_and_where_the_head_begins() {
        CompactedLog log = logWithSegmentsOf(2);
        assertEquals("TreeMapCompactedLog[]", log.toString());
        append(log, "a=1", "b=", "a=2");
        assertEquals("TreeMapCompactedLog[0:a=1, 1:b=null | head: 2:a=2]", log.toString());
    }

    /** The contract's own check has teeth: a bare NullPointerException, with no message, does not pass it. */
    @Test
    void the_null_record_check_fails_a_log_whose_exception_says_nothing() {
        CompactedLogContract bareNullPointer = new CompactedLogContract() {
            @Override
            protected CompactedLog newLog(String topic, int partition, CompactionConfig config, Clock clock,
                                          Archive archive) {
                CompactedLog log = new TreeMapCompactedLog(topic, partition, config, clock, archive);
                InvocationHandler handler = (proxy, method, args) -> {
                    if (method.getName().equals("append") && args[0] == null) {
                        throw new NullPointerException(); // what record.hasKey() would throw: no message at all
                    }
                    try {
                        return method.invoke(log, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                };
                return (CompactedLog) Proxy.newProxyInstance(CompactedLog.class.getClassLoader(),
                        new Class<?>[] {CompactedLog.class}, handler);
            }
        };
        AssertionFailedError failure = assertThrows(AssertionFailedError.class, bareNullPointer::a_null_record_is_refused);
        assertEquals("the error should say the record was null, but it has no message ==> expected: not <null>",
                failure.getMessage());
    }
}

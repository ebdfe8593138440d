package toykafka.lesson09;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import toykafka.common.Header;
import toykafka.common.Record;
import toykafka.common.TopicConfig;
import toykafka.lesson08.TestRecords;

/**
 * The process the crash drill kills. It opens the drill's log with fsync per append, then appends from
 * several threads, printing {@code ack <offset> <thread> <seq>} after each append returns, until killed.
 * Arguments: the data directory, the cycle number, the number of appender threads.
 */
public final class CrashDrillChild {

    static final TopicConfig CONFIG = TopicConfig.defaults().with(TopicConfig.SEGMENT_BYTES, 16 * 1024)
            .with(TopicConfig.INDEX_INTERVAL_BYTES, 512).with(TopicConfig.FLUSH_MESSAGES, 1);
    static final String TOPIC = "drill";
    /** A safety net: a child nobody kills stops by itself. */
    private static final int MAX_APPENDS_PER_THREAD = 50_000;

    private CrashDrillChild() {
    }

    /** The record appender {@code thread} of cycle {@code cycle} appends as its {@code seq}-th. */
    static Record record(int cycle, int thread, int seq) {
        int fill = (cycle * 31 + thread * 17 + seq * 7919) % 400;
        String value = "c" + cycle + " t" + thread + " s" + seq + " " + "fish and chips ".repeat(30).substring(0, fill);
        return new Record(("t" + thread).getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8),
                TestRecords.START.plus(Duration.ofMillis(cycle * 1_000_000L + seq)),
                List.of(Header.of("cycle", String.valueOf(cycle))));
    }

    /** Reads cycle, thread and seq back out of a drill record's value. */
    static int[] identify(Record record) {
        String[] words = record.valueText().split(" ");
        return new int[] {Integer.parseInt(words[0].substring(1)), Integer.parseInt(words[1].substring(1)),
                Integer.parseInt(words[2].substring(1))};
    }

    public static void main(String[] args) {
        Path dataDir = Path.of(args[0]);
        int cycle = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        FileLog log = FileLog.open(dataDir, TOPIC, 0, CONFIG);
        synchronized (out) {
            out.println("ready " + log.endOffset());
            out.flush();
        }
        for (int t = 0; t < threads; t++) {
            int thread = t;
            new Thread(() -> {
                for (int seq = 0; seq < MAX_APPENDS_PER_THREAD; seq++) {
                    long offset = log.append(record(cycle, thread, seq)); // returns once the record is on disk
                    synchronized (out) {
                        out.println("ack " + offset + " " + thread + " " + seq);
                        out.flush();
                    }
                }
            }, "appender-" + t).start();
        }
    }
}

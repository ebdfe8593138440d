package toykafka.lesson07;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ThreadingBenchmarkTest {

    @Test
    void the_benchmark_times_all_three_designs_and_loses_no_event() {
        List<String> lines = ThreadingBenchmark.compare(2, 500, 2); // it throws if any event went missing
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).contains("MiniKafka") && lines.get(1).contains("Kaf") && lines.get(2).contains("Kafka"),
                lines.toString());
        assertTrue(Threads.running().isEmpty(), "the benchmark closes every producer: " + Threads.running());
    }
}

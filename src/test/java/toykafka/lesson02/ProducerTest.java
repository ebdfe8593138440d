package toykafka.lesson02;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import toykafka.lesson01.ListLog;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProducerTest {

    @Test
    void however_producers_interleave_each_ones_order_is_kept_and_no_offset_is_shared() {
        for (int seed = 0; seed < 500; seed++) {
            Random random = new Random(seed);
            ListLog<String> log = new ListLog<>();
            List<Producer<String>> producers = new ArrayList<>();
            List<List<String>> sent = new ArrayList<>();
            int producerCount = 2 + random.nextInt(4);
            for (int p = 0; p < producerCount; p++) {
                producers.add(new Producer<>("P" + p, log));
                sent.add(new ArrayList<>());
            }
            int events = random.nextInt(60);
            for (int i = 0; i < events; i++) {
                int p = random.nextInt(producerCount);
                String event = "P" + p + "-" + sent.get(p).size();
                producers.get(p).send(event);
                sent.get(p).add(event);
            }
            List<Long> allOffsets = new ArrayList<>();
            for (int p = 0; p < producerCount; p++) {
                assertEquals(sent.get(p), producers.get(p).eventsInLog(), "seed " + seed + ": P" + p + "'s order");
                allOffsets.addAll(producers.get(p).sentOffsets());
            }
            allOffsets.sort(null);
            assertEquals(LongStream.range(0, events).boxed().toList(), allOffsets,
                    "seed " + seed + ": every offset given out exactly once");
        }
    }

    @Test
    void a_producer_remembers_the_offsets_it_was_given() {
        ListLog<String> log = new ListLog<>();
        Producer<String> till1 = new Producer<>("till-1", log);
        Producer<String> till2 = new Producer<>("till-2", log);
        till1.send("cod");
        till2.send("pie");
        till1.send("chips");
        assertEquals(List.of(0L, 2L), till1.sentOffsets());
        assertEquals(List.of(1L), till2.sentOffsets());
        assertEquals("Producer[till-1, sent 2]", till1.toString());
    }
}
